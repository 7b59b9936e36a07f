"""`deepfake-kg validate`: check contributed case records against the shapes; store nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import EXIT_INVALID, EXIT_OK, DataDirOption, StoreOption, fail, store_or_fail

FilesArgument = Annotated[list[Path], typer.Argument(metavar="FILE...", help="Case records: .csv .json .jsonld .ttl .nt .rdf")]


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    ttl = "ttl"


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="Report format (ttl: the standard SHACL report).")]


def read_or_fail(files: list[Path]):
    """Every file read, or exit 2 with one sentence about the first that cannot be."""
    from deepfake_kg.loaders.errors import UnreadableInput
    from deepfake_kg.loaders.read import read_file

    try:
        return [read_file(path) for path in files]
    except UnreadableInput as error:
        fail(str(error))


@contextmanager
def progress_bar(total: int, description: str) -> Iterator:
    """A rich progress bar on a terminal for runs of thousands of records; nothing otherwise."""
    if total < 1000 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.advance(task, done)


def check(files: list[Path], data_dir: Path | None, store: str | None):
    """Read and validate a run of files; returns the report and the open store."""
    from deepfake_kg.loaders.validate import validate_batches

    batches = read_or_fail(files)
    target = store_or_fail(data_dir, store)
    try:
        with progress_bar(sum(len(batch.records) for batch in batches), "validating") as advance:
            return validate_batches(batches, target, progress=advance), target
    except BaseException:
        target.close()
        raise


def print_report(report, format: ReportFormat, quiet_when_clean: bool = False) -> None:
    from deepfake_kg.loaders.report import as_json, as_text, as_turtle

    if format is ReportFormat.json:
        typer.echo(as_json(report), nl=False)
    elif format is ReportFormat.ttl:
        typer.echo(as_turtle(report), nl=False)
    elif not (quiet_when_clean and report.conforms and not report.problems):
        typer.echo(as_text(report), nl=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        files: FilesArgument,
        format: FormatOption = ReportFormat.text,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Validate case records (CSV, JSON, JSON-LD, RDF) and print the report; exit 1 if any is invalid."""
        report, target = check(files, data_dir, store)
        target.close()
        print_report(report, format)
        raise typer.Exit(EXIT_OK if report.conforms else EXIT_INVALID)
