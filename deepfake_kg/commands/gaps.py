"""`deepfake-kg gaps`: the regulatory gap findings of gaps.md."""

from __future__ import annotations

from typing import Annotated

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, opened_store
from deepfake_kg.gaps.terminal import AsOfOption, FormatOption, ReportFormat


def register(app: typer.Typer) -> None:
    @app.command()
    def gaps(
        gap: Annotated[str | None, typer.Option("--gap", metavar="ID", help="Only findings with this gap or notice id.")] = None,
        jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", metavar="J", help="Only cases judged in this jurisdiction code.")] = None,
        as_of: AsOfOption = None,
        format: FormatOption = ReportFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Find where the modelled law fails to reach harmful deepfake conduct, or reaches harmless conduct."""
        from deepfake_kg.gaps import find_gaps, render, terminal

        with opened_store(data_dir, store) as target:
            findings = find_gaps(target, gap=gap, jurisdiction=jurisdiction, as_of=as_of)
            terminal.emit(format, findings, table=terminal.findings_table, csv=render.findings_csv, html=render.findings_html)
