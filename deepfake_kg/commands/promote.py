"""`deepfake-kg promote`: complete an AIID draft with a person's record and store it as a case, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import EXIT_INVALID, DataDirOption, StoreOption, fail, store_or_fail
from deepfake_kg.commands.validate import FormatOption, ReportFormat, print_report, read_or_fail

HELP = ("Promote an AIID draft (see import-aiid): FILE holds the completed case record, in any contributor format "
        "(CSV, JSON, JSON-LD, RDF), and must state the draft's incident as its aiid_incident.\n\n"
        "The record is validated like any contributed record, and only what it states is stored: nothing is copied "
        "from the draft or its machine suggestions. The case is stored with its provenance (derived from the draft; "
        "who, when, file, checksum) and the draft leaves graph/drafts in the same transaction.\n\n"
        "Exit 0 promoted, 1 invalid record (nothing changed), 2 unreadable file or unknown draft.")


def register(app: typer.Typer) -> None:
    @app.command(help=HELP)
    def promote(
        draft: Annotated[str, typer.Argument(metavar="DRAFT", help="The draft: its id (aiid-<incident>) or its IRI.")],
        file: Annotated[Path, typer.Argument(metavar="FILE", help="The completed case record (.csv .json .jsonld .ttl .nt .rdf), one record.")],
        format: FormatOption = ReportFormat.text,
        submitter: Annotated[str | None, typer.Option("--submitter", help="Who completed the record (default: the login name).")] = None,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Complete an AIID draft with a person's record and store it as a case."""
        from deepfake_kg.loaders.load import NotLoaded
        from deepfake_kg.loaders.prepare import ForgedRecord
        from deepfake_kg.loaders.promote import UnknownDraft, find_draft, link_problems, promote
        from deepfake_kg.loaders.validate import validate_batches
        from deepfake_kg.store import StoreError

        [batch] = read_or_fail([file])
        target = store_or_fail(data_dir, store)
        try:
            found = find_draft(target, draft)
            batch.problems += link_problems(batch, found)
            report = validate_batches([batch], target)
            print_report(report, format, quiet_when_clean=True)
            if not report.conforms:
                typer.echo(f"deepfake-kg: draft {found.id} was not promoted because of the errors above", err=True)
                raise typer.Exit(EXIT_INVALID)
            graph = promote(report, found, target, submitter=submitter)
        except UnknownDraft as error:
            fail(str(error))
        except (NotLoaded, ForgedRecord) as error:
            fail(str(error), EXIT_INVALID)
        except StoreError as error:
            fail(f"nothing was stored: {error}")
        finally:
            target.close()
        typer.echo(f"promoted draft {found.id} to case {graph.rsplit('/', 1)[1]}", err=True)
