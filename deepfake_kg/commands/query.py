"""`deepfake-kg query`: a read-only SPARQL query over the store."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from deepfake_kg.commands.common import DataDirOption, StoreOption, fail, store_or_fail
from deepfake_kg.store import Store, StoreError


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    ttl = "ttl"


MEDIA_TYPES = {
    QueryFormat.json: "application/sparql-results+json",
    QueryFormat.csv: "text/csv",
    QueryFormat.tsv: "text/tab-separated-values",
    QueryFormat.ttl: "text/turtle",
}


def query_text(sparql_or_file: str) -> str:
    """The argument itself, or the content of the file it names."""
    path = Path(sparql_or_file)
    if len(sparql_or_file) < 4096 and path.is_file():
        return path.read_text(encoding="utf-8")
    return sparql_or_file


def select_table(target: Store, text: str) -> tuple[list[str], list[dict]]:
    """The query's variables (even when no row matches) and its rows."""
    import pyoxigraph as ox

    from deepfake_kg.store.terms import to_rdflib

    body = target.query_serialized(text, MEDIA_TYPES[QueryFormat.json])
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    variables = [variable.value for variable in solutions.variables]
    rows = [{name: to_rdflib(solution[name]) for name in variables if solution[name] is not None} for solution in solutions]
    return variables, rows


def print_table(rows: list[dict], variables: list[str]) -> None:
    table = Table(*variables)
    for row in rows:
        table.add_row(*(str(row.get(name, "")) for name in variables))
    Console().print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def query(
        sparql_or_file: Annotated[str, typer.Argument(metavar="SPARQL_OR_FILE", help="A SPARQL query, or a file holding one.")],
        format: Annotated[QueryFormat, typer.Option("--format", help="Output format.")] = QueryFormat.table,
        data_dir: DataDirOption = None,
        store: StoreOption = None,
    ) -> None:
        """Run a read-only SPARQL query over the store."""
        from deepfake_kg.sparql_guard import QueryRefused, check_read_only

        text = query_text(sparql_or_file)
        try:
            kind = check_read_only(text)
        except QueryRefused as refusal:
            fail(str(refusal))
        target = store_or_fail(data_dir, store)
        try:
            if format is QueryFormat.table and kind == "SELECT":
                variables, rows = select_table(target, text)
                print_table(rows, variables)
            elif format is QueryFormat.table and kind == "ASK":
                typer.echo("true" if target.ask(text) else "false")
            else:
                media_type = MEDIA_TYPES.get(format, "text/turtle" if kind in ("CONSTRUCT", "DESCRIBE") else MEDIA_TYPES[QueryFormat.json])
                sys.stdout.buffer.write(target.query_serialized(text, media_type))
        except (StoreError, KeyError) as error:
            fail(f"the query could not be answered: {error}")
        finally:
            target.close()
