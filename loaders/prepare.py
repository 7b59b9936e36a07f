"""What a load writes for its cases, computed before the write: each case's graph as N-Triples and its entailments."""

from __future__ import annotations

from rdflib import URIRef

from deepfake_kg.entailments import entail
from deepfake_kg.loaders.ntriples import NTriples
from deepfake_kg.loaders.records import Record
from deepfake_kg.namespaces import CASE_IRIS, case_graph

PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")

Job = tuple[Record, URIRef]  # a record and the batch activity that stores it
Prepared = tuple[dict[str, str], dict[str, str]]  # case graph -> its N-Triples, case graph -> its entailments


def graph_of(record: Record) -> str:
    return case_graph(str(record.node).removeprefix(CASE_IRIS))


def prepare(jobs: list[Job], known: str) -> Prepared:
    """Each record's case graph, which also records the batch activity that generated it, and its entailments."""
    convert = NTriples()
    cases = {}
    for record, activity in jobs:
        graph = graph_of(record)
        cases[graph] = convert([*record.triples, (URIRef(graph), PROV_GENERATED, activity)])
    return cases, entail(cases, known)
