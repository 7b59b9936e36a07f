"""Working datasets: a store's law (its context), some of its case graphs and the scenario, with the derivation rules applied."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from deepfake_kg.entailments import ENTAILMENTS_GRAPH
from deepfake_kg.namespaces import CASE_GRAPHS, DFK, DRAFTS_GRAPH, GRAPH, META_GRAPH, PROVENANCE_GRAPH
from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store import Store

DERIVE_DIR = QUERIES_DIR / "derive"
# Graphs the rules never read: drafts are never judged, and provenance, bookkeeping and alignment entailments
# say nothing the law's elements test.
IGNORED_GRAPHS = frozenset({str(DRAFTS_GRAPH), str(PROVENANCE_GRAPH), str(META_GRAPH)})
EVALUATION = ox.NamedNode(f"{GRAPH}evaluation")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class Scenario:
    """What the evaluation assumes: a fixed law date, versions assumed in force (from a date), extra triples."""

    as_of: str | None = None
    assume_in_force: tuple[str, ...] = ()
    assumed_from: str | None = None
    extra_ntriples: bytes = field(default=b"", compare=True)

    def key(self) -> tuple:
        return (self.as_of, self.assume_in_force, self.assumed_from, hashlib.sha256(self.extra_ntriples).hexdigest())

    def quads(self) -> list[ox.Quad]:
        """The evaluation settings the derivation rules read."""
        quads = []
        if self.as_of or self.assume_in_force:
            quads.append(ox.Quad(EVALUATION, RDF_TYPE, ox.NamedNode(f"{DFK}Evaluation")))
        if self.as_of:
            quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}evaluationDate"), ox.Literal(self.as_of, datatype=XSD_DATE)))
        for version in self.assume_in_force:
            quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}assumesInForce"), ox.NamedNode(version)))
        if self.assumed_from:
            quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}assumedInForceFrom"),
                                 ox.Literal(self.assumed_from, datatype=XSD_DATE)))
        return quads


def is_case_graph(graph: str) -> bool:
    return graph.startswith(CASE_GRAPHS)


def is_context_graph(graph: str) -> bool:
    """A graph every evaluation reads whole: the ontology, the law, and case data kept outside case graphs."""
    return not (is_case_graph(graph) or graph in IGNORED_GRAPHS or graph.startswith(ENTAILMENTS_GRAPH))


def graph_triples(store: Store, graphs: Sequence[str]) -> bytes:
    """The triples of the given named graphs, as N-Triples."""
    if not graphs:
        return b""
    values = " ".join(f"<{graph}>" for graph in graphs)
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def graph_cases(store: Store, graphs: Sequence[str]) -> dict[str, set[str]]:
    """The case records each of the given named graphs holds (graphs with none are left out)."""
    cases: dict[str, set[str]] = {}
    if graphs:
        values = " ".join(f"<{graph}>" for graph in graphs)
        # The type is filtered, not written in the pattern: with the predicate alone bound, Oxigraph reads each
        # graph by its own index instead of every CaseRecord of the store (70 times faster with 100,000 cases).
        query = f"SELECT ?g ?case WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?case a ?type }} FILTER(?type = <{DFK}CaseRecord>) }}"
        for row in store.select(query):
            cases.setdefault(str(row["g"]), set()).add(str(row["case"]))
    return cases


def derive_rules() -> list[tuple[str, str]]:
    """The derivation rules, in the order of their file names."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(DERIVE_DIR.glob("*.rq"))]


def build(context: bytes, cases: bytes, scenario: Scenario, timings: dict[str, float] | None = None) -> ox.Store:
    """A fresh in-memory store: the context, the cases, the scenario, then every derivation rule in order."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    working = ox.Store()
    for triples in (context, scenario.extra_ntriples, cases):
        if triples:
            working.bulk_load(triples, format=ox.RdfFormat.N_TRIPLES)
    working.extend(scenario.quads())
    timings["load"] = timings.get("load", 0.0) + time.perf_counter() - started
    for name, rule in derive_rules():
        started = time.perf_counter()
        working.update(rule)
        timings[f"derive/{name}"] = timings.get(f"derive/{name}", 0.0) + time.perf_counter() - started
    return working
