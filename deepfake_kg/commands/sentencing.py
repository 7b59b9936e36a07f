"""`deepfake-kg sentencing`: cases ranked by dissemination alone beside realism, exploitation and harm."""

from __future__ import annotations

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, opened_store
from deepfake_kg.gaps.terminal import FormatOption, ReportFormat


def register(app: typer.Typer) -> None:
    @app.command()
    def sentencing(
        format: FormatOption = ReportFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Show where ranking by dissemination counts disagrees with ranking by the paper's sentencing factors."""
        from deepfake_kg.gaps import render, terminal
        from deepfake_kg.gaps import sentencing as sentencing_view

        with opened_store(data_dir, store) as target:
            view = sentencing_view(target)
            terminal.emit(format, view, table=terminal.sentencing_table, csv=render.sentencing_csv, html=render.sentencing_html)
