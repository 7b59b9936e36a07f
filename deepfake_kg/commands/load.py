"""`deepfake-kg load`: validate, then store case records, all or nothing per run."""

from __future__ import annotations

from typing import Annotated

import typer

from deepfake_kg.commands.common import EXIT_INVALID, DataDirOption, StoreOption, fail
from deepfake_kg.commands.validate import FilesArgument, FormatOption, ReportFormat, check, print_report, progress_bar
from deepfake_kg.store import StoreError


def register(app: typer.Typer) -> None:
    @app.command()
    def load(
        files: FilesArgument,
        format: FormatOption = ReportFormat.text,
        submitter: Annotated[str | None, typer.Option("--submitter", help="Who submits the records (default: the login name).")] = None,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Validate case records and store them; a run with any violation stores nothing (exit 1).

        A run of thousands of new cases is bulk-loaded in stages and then committed; if the load is cut short, the next
        opening of the store drops the stages, so the run is still stored whole or not at all.
        """
        from deepfake_kg.loaders.load import NotLoaded, load_batches
        from deepfake_kg.loaders.prepare import ForgedRecord

        report, target = check(files, data_dir, store)
        try:
            print_report(report, format, quiet_when_clean=True)
            if not report.conforms:
                typer.echo("deepfake-kg: nothing was loaded because of the errors above", err=True)
                raise typer.Exit(EXIT_INVALID)
            with progress_bar(sum(len(batch.records) for batch in report.batches), "storing") as advance:
                written = load_batches(report, target, submitter=submitter, staged=True, progress=advance)
        except (NotLoaded, ForgedRecord) as error:
            fail(str(error), EXIT_INVALID)
        except StoreError as error:
            fail(f"nothing was loaded: {error}")
        finally:
            target.close()
        typer.echo(f"loaded {len(written)} case records from {', '.join(b.name for b in report.batches)}", err=True)
