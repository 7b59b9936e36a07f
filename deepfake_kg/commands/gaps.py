"""`deepfake-kg gaps`: the regulatory gap findings of gaps.md, or one case's whole assessment (`--case ID --explain`)."""

from __future__ import annotations

from typing import Annotated

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, opened_store
from deepfake_kg.gaps.terminal import AsOfOption, FormatOption, ReportFormat


def register(app: typer.Typer) -> None:
    @app.command()
    def gaps(
        gap: Annotated[str | None, typer.Option("--gap", metavar="ID", help="Only findings with this gap or notice id.")] = None,
        jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", metavar="J", help="Only cases judged in this jurisdiction code.")] = None,
        case: Annotated[str | None, typer.Option("--case", metavar="ID", help="Only findings on the case with this case_id.")] = None,
        explain: Annotated[bool, typer.Option("--explain", help="With --case: the case's whole assessment (every provision version with its status, the elements failed or unknown, the legal domains engaged, every scope check) and its findings.")] = False,
        as_of: AsOfOption = None,
        format: FormatOption = ReportFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Find where the modelled law fails to reach harmful deepfake conduct, or reaches harmless conduct."""
        from deepfake_kg.gaps import find_gaps, render, terminal
        from deepfake_kg.gaps.api import explain_case
        from deepfake_kg.gaps.explain import CaseNotFound

        if explain and case is None:
            fail("--explain needs --case ID: it explains one case")
        if explain and (gap or jurisdiction):
            fail("--explain shows every finding on the case; leave out --gap and --jurisdiction")
        with opened_store(data_dir, store) as target:
            if explain:
                try:
                    assessment = explain_case(target, case, as_of=as_of)
                except CaseNotFound as error:
                    fail(str(error))
                terminal.emit(format, assessment, table=terminal.explain_table, csv=render.explain_csv, html=render.explain_html)
                return
            findings = find_gaps(target, gap=gap, jurisdiction=jurisdiction, as_of=as_of, case_id=case)
            terminal.emit(format, findings, table=terminal.findings_table, csv=render.findings_csv, html=render.findings_html)
