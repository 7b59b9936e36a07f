"""`deepfake-kg what-if`: which findings close, stay and open if proposed provisions were law."""

from __future__ import annotations

from typing import Annotated

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, opened_store
from deepfake_kg.gaps.terminal import FormatOption, ReportFormat


def register(app: typer.Typer) -> None:
    @app.command("what-if")
    def what_if_command(
        proposals: Annotated[list[str], typer.Argument(metavar="PROPOSAL", help="A provision id or IRI in the knowledge base, or a Turtle / JSON-LD file in the same model.")],
        from_date: Annotated[str | None, typer.Option("--from", metavar="DATE", help="Treat the proposals as in force from this date (default: for every case).")] = None,
        format: FormatOption = ReportFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Apply proposals in a temporary overlay (nothing stored changes) and compare the findings."""
        from deepfake_kg.gaps import ProposalError, render, terminal, what_if

        def tables(result: dict) -> None:
            for change in render.CHANGES:
                terminal.findings_table(result[change], title=change)

        with opened_store(data_dir, store) as target:
            try:
                result = what_if(target, proposals, from_date=from_date)
            except ProposalError as error:
                fail(f"bad proposal: {error}")
            terminal.emit(format, result, table=tables, csv=render.what_if_csv,
                          html=lambda result: render.what_if_html(result, proposals))
