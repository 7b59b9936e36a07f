"""What a load writes for its cases, computed before the write: each case's graph as N-Triples and its entailments."""

from __future__ import annotations

from rdflib import BNode, URIRef

from deepfake_kg.entailments import entail
from deepfake_kg.loaders.ntriples import NTriples
from deepfake_kg.loaders.records import CASE_ID, Record
from deepfake_kg.namespaces import case_graph, case_iri

PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")

Job = tuple[Record, URIRef]  # a record and the batch activity that stores it
Prepared = tuple[dict[str, str], dict[str, str]]  # case graph -> its N-Triples, case graph -> its entailments


class ForgedRecord(ValueError):
    """A record whose subject or statements reach beyond the case its case_id names; it is never written."""


def graph_of(record: Record) -> str:
    """The record's case graph, minted only from its case_id, which must also have minted its subject."""
    case_id = record.case_id
    if not isinstance(case_id, str) or not CASE_ID.fullmatch(case_id) or record.node != URIRef(case_iri(case_id)):
        raise ForgedRecord(f"the record at {record.place.label} has no case IRI minted from a valid case_id "
                           f"(case_id {case_id!r}, subject {record.node}); nothing was stored")
    return case_graph(case_id)


def confined(record: Record) -> Record:
    """The record, once every statement is checked to be about the case, its own graph (minted from the same case_id,
    where the loaders state provenance) or a blank node of it."""
    own = {record.node, URIRef(graph_of(record))}
    for subject, _, _ in record.triples:
        if subject not in own and not isinstance(subject, BNode):
            raise ForgedRecord(f"the record at {record.place.label} states something about {subject}, which is not "
                               f"its case {record.node}; nothing was stored")
    return record


def prepare(jobs: list[Job], known: str) -> Prepared:
    """Each record's case graph, which also records the batch activity that generated it, and its entailments."""
    convert = NTriples()
    cases = {}
    for record, activity in jobs:
        graph = graph_of(confined(record))
        cases[graph] = convert([*record.triples, (URIRef(graph), PROV_GENERATED, activity)])
    return cases, entail(cases, known)
