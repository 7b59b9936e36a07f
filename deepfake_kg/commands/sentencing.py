"""`deepfake-kg sentencing`: cases ranked by dissemination alone beside realism, exploitation and harm."""

from __future__ import annotations

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, store_or_fail
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
        from deepfake_kg.store import StoreError

        target = store_or_fail(data_dir, store)
        try:
            view = sentencing_view(target)
            if format is ReportFormat.table:
                terminal.sentencing_table(view)
            elif format is ReportFormat.json:
                typer.echo(render.to_json(view))
            elif format is ReportFormat.csv:
                typer.echo(render.sentencing_csv(view), nl=False)
            else:
                typer.echo(render.sentencing_html(view))
        except StoreError as error:
            fail(str(error))
        finally:
            target.close()
