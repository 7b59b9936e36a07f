"""`deepfake-kg import-aiid`: AI Incident Database incidents as draft case records, kept apart from cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import EXIT_INVALID, DataDirOption, StoreOption, fail, store_or_fail


def register(app: typer.Typer) -> None:
    @app.command("import-aiid")
    def import_aiid(
        file: Annotated[Path, typer.Argument(metavar="FILE", help="An AIID incidents CSV export.")],
        submitter: Annotated[str | None, typer.Option("--submitter", help="Who imports (default: the login name).")] = None,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Import AIID incidents as drafts (graph/drafts); guessed values are marked machine-suggested and unreviewed."""
        from deepfake_kg.loaders.aiid import read_aiid, store_drafts, validate_drafts
        from deepfake_kg.loaders.errors import UnreadableInput
        from deepfake_kg.store import StoreError

        try:
            batch = read_aiid(file.read_bytes(), file.name)
        except OSError as error:
            fail(f"{file}: cannot be read ({error.strerror or error})")
        except UnreadableInput as error:
            fail(str(error))
        target = store_or_fail(data_dir, store)
        try:
            conforms, problems, _ = validate_drafts(batch, target)
            if not conforms:
                for problem in problems:
                    typer.echo(f"error: {problem.place}: {problem.message}")
                typer.echo("deepfake-kg: no drafts were stored because of the errors above", err=True)
                raise typer.Exit(EXIT_INVALID)
            count = store_drafts(batch, target, submitter)
        except StoreError as error:
            fail(f"no drafts were stored: {error}")
        finally:
            target.close()
        typer.echo(f"stored {count} draft case records from {file.name} in graph/drafts (not used by gap detection "
                   f"until reviewed and promoted)", err=True)
