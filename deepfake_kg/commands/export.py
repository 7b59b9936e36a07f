"""`deepfake-kg export`: dump the ontology, the knowledge base, the contributed cases, or all of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, store_or_fail
from deepfake_kg.export import Format, What, export_ntriples, serialize
from deepfake_kg.store import StoreError


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.ttl,
        what: Annotated[What, typer.Option("--what", help="Which graphs: the ontology, the knowledge base, contributed cases, or all.")] = What.all,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Dump graphs of the store as Turtle, N-Triples, JSON-LD or RDF/XML."""
        target = store_or_fail(data_dir, store)
        try:
            data = serialize(export_ntriples(target, what), format)
        except StoreError as error:
            fail(f"the graphs could not be read from the store: {error}")
        finally:
            target.close()
        if output is None:
            sys.stdout.buffer.write(data)
            return
        try:
            output.write_bytes(data)
        except OSError as error:
            fail(f"cannot write {output}: {error}")
