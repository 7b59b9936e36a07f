"""Options and error handling shared by every sub-command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from deepfake_kg.store import Store, StoreError, open_store

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of the embedded store (default: $DEEPFAKE_KG_DATA or the per-user data folder)."),
]
StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="URL of a remote SPARQL 1.1 endpoint to use instead of the embedded store."),
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one sentence on stderr and exit; never a traceback."""
    typer.echo(f"deepfake-kg: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened_store(data_dir: Path | None, store_url: str | None) -> Iterator[Store]:
    """The store for one command; a value or store error while using it is one sentence on stderr; always closed."""
    target = store_or_fail(data_dir, store_url)
    try:
        yield target
    except (ValueError, StoreError) as error:
        fail(str(error))
    finally:
        target.close()


def store_or_fail(data_dir: Path | None, store_url: str | None) -> Store:
    try:
        return open_store(data_dir, store_url)
    except StoreError as error:
        fail(str(error))


def read_text_or_fail(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {path}: {error}")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
