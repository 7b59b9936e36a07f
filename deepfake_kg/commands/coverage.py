"""`deepfake-kg coverage`: the act type x jurisdiction coverage matrix on a date."""

from __future__ import annotations

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, opened_store
from deepfake_kg.gaps.terminal import AsOfOption, FormatOption, ReportFormat


def register(app: typer.Typer) -> None:
    @app.command()
    def coverage(
        as_of: AsOfOption = None,
        format: FormatOption = ReportFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Show which provisions (and sanction kinds) cover each act type in each jurisdiction on a date (default today)."""
        from deepfake_kg.gaps import coverage as coverage_matrix
        from deepfake_kg.gaps import render, terminal

        with opened_store(data_dir, store) as target:
            cells = coverage_matrix(target, as_of)
            terminal.emit(format, cells, table=terminal.coverage_table, csv=render.coverage_csv, html=render.coverage_html)
