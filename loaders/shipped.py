"""The curated case files shipped in kb/cases/ (CSV, JSON, JSON-LD), read by the loaders into the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from deepfake_kg.namespaces import GRAPH
from deepfake_kg.paths import KB_DIR
from deepfake_kg.store.terms import iri_values

if TYPE_CHECKING:
    from deepfake_kg.store import Store

SHIPPED_CASES = str(GRAPH["kb-cases"])  # holds, in the meta graph, the fingerprint and the case graphs built
HAS_PART = "http://purl.org/dc/terms/hasPart"
PREVIOUS_QUERY = f"SELECT ?graph WHERE {{ GRAPH <{GRAPH['meta']}> {{ <{SHIPPED_CASES}> <{HAS_PART}> ?graph }} }}"
CASE_SUFFIXES = (".csv", ".json", ".jsonld")


def curated_among(store: Store, graphs: list[str]) -> list[str]:
    """Those of the case graphs that are curated cases shipped in kb/cases (a load may not replace them)."""
    values = iri_values(graphs)
    if not values:
        return []
    rows = store.select(f"SELECT ?graph WHERE {{ VALUES ?graph {{ {values} }} "
                        f"GRAPH <{GRAPH['meta']}> {{ <{SHIPPED_CASES}> <{HAS_PART}> ?graph }} }}")
    return sorted(str(row["graph"]) for row in rows)


def case_files() -> list[Path]:
    """Every shipped case file, in a stable order."""
    return sorted(path for path in (KB_DIR / "cases").glob("*") if path.suffix.lower() in CASE_SUFFIXES)


def shipped_cases_update(files: list[Path], digest: str, previous: list[str], portable: bool = False) -> str:
    """One SPARQL update: drop the case graphs built before, write one graph per shipped case, record the fingerprint.

    `portable` (for remote stores) splits the inserts into operations any SPARQL server accepts.
    """
    from deepfake_kg.loaders.errors import UnreadableInput
    from deepfake_kg.loaders.ntriples import ntriples
    from deepfake_kg.loaders.prepare import confined, graph_of
    from deepfake_kg.loaders.read import read_file
    from deepfake_kg.store import StoreError, updates

    graphs = {}
    for path in files:
        try:
            batch = read_file(path)
        except UnreadableInput as error:
            raise StoreError(f"a shipped case file cannot be read: {error}") from None
        for record in batch.records:
            graphs[graph_of(confined(record))] = ntriples(record.triples)
    parts = " ".join(f"<{SHIPPED_CASES}> <{HAS_PART}> <{graph}> ." for graph in graphs)
    return " ;\n".join(filter(None, [
        updates.replace_graphs(graphs, drop=previous, portable=portable),
        f"DELETE WHERE {{ GRAPH <{updates.META_GRAPH}> {{ <{SHIPPED_CASES}> ?p ?o }} }}",
        f'INSERT DATA {{ GRAPH <{updates.META_GRAPH}> {{ <{SHIPPED_CASES}> <{updates.SOURCE_HASH}> "{digest}" . {parts} }} }}',
    ]))
