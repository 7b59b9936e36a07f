"""Entailments in external vocabularies (DPV, ELI, schema.org, PROV, Dublin Core, outbound links): the CONSTRUCT
rules of queries/entailments, run over a batch being written or over the whole store.

Each contributed case's entailments live in a graph of their own (graph/entailments/case/<id>), written and dropped
with the case's graph, so replacing or deleting a case leaves no orphans; graph/entailments holds the entailments of
every other graph (ontology, knowledge base, provenance, drafts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import pyoxigraph as ox

from deepfake_kg.namespaces import CASE_GRAPHS, DFK, GRAPH, KB_GRAPH, ONTOLOGY_GRAPH
from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store.base import Store
from deepfake_kg.store.terms import iri_values
from deepfake_kg.store.updates import trig

ENTAILMENTS_GRAPH = str(GRAPH["entailments"])
CASE_ENTAILMENTS = f"{GRAPH}entailments/case/"
ENTAILMENT_RULES_DIR = QUERIES_DIR / "entailments"
BACKGROUND = ox.NamedNode("urn:deepfake-kg:background")
OWNED_BY = "urn:deepfake-kg:subjectIn"
BACKGROUND_QUERY = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ <{ONTOLOGY_GRAPH}> <{KB_GRAPH}> }} "
                    f"GRAPH ?g {{ ?s ?p ?o }} }}")
# Cited law kept outside the knowledge base graph: each cited provision and what it is part of, at any depth.
CITED_QUERY = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
    {{ VALUES ?cited {{ %s }} BIND(?cited AS ?s) }} UNION {{ VALUES ?cited {{ %s }} ?cited <{DFK["isPartOf"]}>+ ?s }}
    ?s ?p ?o }}"""
OWNERS_QUERY = (f"CONSTRUCT {{ ?s <{OWNED_BY}> ?g }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(STRSTARTS(STR(?g), \"{CASE_GRAPHS}\")) }}")
STORED_QUERY = (f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                f"FILTER(STRSTARTS(STR(?g), \"{CASE_ENTAILMENTS}\")) }}")


@cache
def entailment_rules() -> dict[str, str]:
    """The CONSTRUCT rules, by file name, in a stable order."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(ENTAILMENT_RULES_DIR.glob("*.rq"))}


def case_entailments_graph(case_graph: str) -> str:
    """Where the entailments of the case in graph/case/<id> live: graph/entailments/case/<id>."""
    return CASE_ENTAILMENTS + case_graph.removeprefix(CASE_GRAPHS)


def triples_of(ntriples: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def background(store: Store, cited: Iterable[str] = ()) -> str:
    """What the rules join a batch with, as N-Triples: the ontology (with the alignment module), the knowledge base,
    and the cited provisions wherever they are kept (each with what it is part of)."""
    known = store.construct(BACKGROUND_QUERY).decode()
    values = iri_values(cited)
    if values:  # an empty VALUES trips Virtuoso
        known += store.construct(CITED_QUERY % (values, values)).decode()
    return known


def entail(graphs: Mapping[str, str], known: str) -> dict[str, str]:
    """The entailments of each graph's triples (N-Triples, one per line) given `known`, as N-Triples: every rule runs
    once over all of them, and each entailed triple goes to the graph that holds its subject (entailments of
    `known` alone go nowhere)."""
    scratch = ox.Store()
    scratch.load(known, format=ox.RdfFormat.N_TRIPLES, to_graph=BACKGROUND, lenient=True)
    document = trig(graphs.items())
    if "_:" in document:  # keep the batch's blank node labels, so that entailments about them find their graph
        scratch.extend(ox.parse(document, format=ox.RdfFormat.TRIG))
    else:  # the scratch store is thrown away: the store that keeps the batch checks its IRIs
        scratch.load(document, format=ox.RdfFormat.TRIG, lenient=True)
    owner: dict[ox.NamedNode | ox.BlankNode, str | None] = {}
    found: dict[str, set[str]] = {graph: set() for graph in graphs}
    for rule in entailment_rules().values():
        for triple in scratch.query(rule, use_default_graph_as_union=True):
            subject = triple.subject
            if subject not in owner:
                holders = (quad.graph_name for quad in scratch.quads_for_pattern(subject, None, None))
                owner[subject] = next((holder.value for holder in holders if holder != BACKGROUND), None)
            if owner[subject] is not None:
                found[owner[subject]].add(f"{triple} .")
    return {graph: as_text(sorted(lines)) for graph, lines in found.items()}


def store_entailments(store: Store) -> tuple[str, dict[str, str]]:
    """Every rule over the store's union graph, as sorted N-Triples: (what graph/entailments holds, and for each
    case graph what its entailments graph holds)."""
    lines: set[str] = set()
    for rule in entailment_rules().values():
        lines.update(line for line in store.construct(rule).decode("utf-8").splitlines() if line.strip())
    owner = {}
    for line in store.construct(OWNERS_QUERY).decode("utf-8").splitlines():
        if line.strip():
            subject, _, graph, _ = line.rsplit(" ", 3)
            owner[subject] = graph[1:-1]
    shared: list[str] = []
    cases: dict[str, list[str]] = {graph: [] for graph in owner.values()}
    for line in sorted(lines):
        graph = owner.get(line.split(" ", 1)[0])
        (shared if graph is None else cases[graph]).append(line)
    return as_text(shared), {graph: as_text(case_lines) for graph, case_lines in cases.items()}


def as_text(lines: list[str]) -> str:
    return "\n".join(lines) + ("\n" if lines else "")


def refresh_entailments(store: Store) -> int:
    """Recompute every entailment and swap them in (graph/entailments and each case's); the number of triples."""
    shared, cases = store_entailments(store)
    graphs = {ENTAILMENTS_GRAPH: shared, **{case_entailments_graph(graph): text for graph, text in cases.items()}}
    stale = [str(row["g"]) for row in store.select(STORED_QUERY) if str(row["g"]) not in graphs]
    store.replace_graphs(graphs, drop=stale)
    return sum(text.count("\n") for text in graphs.values())
