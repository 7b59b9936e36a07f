"""Store validated records in one transaction: one named graph per case with its entailments, PROV-O appended."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, background, case_entailments_graph, entail
from deepfake_kg.loaders.read import Batch
from deepfake_kg.loaders.validate import Report
from deepfake_kg.namespaces import DFK, ID, PROVENANCE_GRAPH, case_graph
from deepfake_kg.store import Store

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
CASE_PREFIX = f"{ID}case/"

Triple = tuple[Node, Node, Node]


class NotLoaded(Exception):
    """The run has violations, so nothing was stored."""


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class OxTriples:
    """Converts rdflib triples to pyoxigraph triples, each distinct term once (a batch repeats most of them)."""

    def __init__(self) -> None:
        self._terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        converted = self._terms.get(term)
        if converted is None:
            converted = self._terms[term] = ox_term(term)
        return converted

    def __call__(self, triples: Iterable[Triple]) -> list[ox.Triple]:
        term = self.term
        return [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]


def ntriples(triples: Iterable[Triple]) -> str:
    """rdflib triples as N-Triples text (pyoxigraph does the escaping)."""
    return ox.serialize(OxTriples()(triples), format=ox.RdfFormat.N_TRIPLES).decode()


def default_submitter() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def agent_iri(submitter: str) -> URIRef:
    return URIRef(f"{ID}agent/{quote(submitter, safe='')}")


def provenance(batch, activity: URIRef, agent: URIRef, started: datetime, ended: datetime) -> list[Triple]:
    """PROV-O for one file (a Batch or a draft batch): the activity, who did it, when, the file with its checksum."""
    file = URIRef(f"{ID}file/sha256-{batch.sha256}")
    prov = lambda name: URIRef(PROV + name)  # noqa: E731
    return [
        (activity, URIRef(RDF_TYPE), DFK.SubmissionBatch),
        (activity, URIRef(RDF_TYPE), prov("Activity")),
        (activity, prov("startedAtTime"), Literal(started.isoformat(), datatype=URIRef(XSD_DATETIME))),
        (activity, prov("endedAtTime"), Literal(ended.isoformat(), datatype=URIRef(XSD_DATETIME))),
        (activity, prov("wasAssociatedWith"), agent),
        (activity, prov("used"), file),
        (agent, URIRef(RDF_TYPE), prov("Agent")),
        (file, URIRef(RDF_TYPE), prov("Entity")),
        (file, DFK.fileName, Literal(batch.name)),
        (file, DFK.sha256, Literal(batch.sha256)),
    ]


def case_graphs(batch: Batch, activity: URIRef, convert: OxTriples) -> dict[str, list[ox.Triple]]:
    """Each case's own named graph, which also records the batch that generated it."""
    graphs = {}
    for record in batch.records:
        graph = case_graph(str(record.node).removeprefix(CASE_PREFIX))
        graphs[graph] = convert([*record.triples, (URIRef(graph), URIRef(PROV + "wasGeneratedBy"), activity)])
    return graphs


def write_cases(store: Store, cases: dict[str, list[ox.Triple]], prov: list[ox.Triple],
                remove: dict[str, list[ox.Triple]] | None = None) -> None:
    """One transaction: the case graphs and their entailments (replacing earlier versions), the provenance and its
    entailments appended to their graphs, and `remove`'s triples deleted."""
    written = {**cases, str(PROVENANCE_GRAPH): prov}
    entailed = entail(written, background(store, written))
    graphs = {**cases, **{case_entailments_graph(graph): entailed[graph] for graph in cases}}
    store.replace_graphs(graphs, add={str(PROVENANCE_GRAPH): prov, ENTAILMENTS_GRAPH: entailed[str(PROVENANCE_GRAPH)]},
                         remove=remove)


def load_batches(report: Report, store: Store, *, submitter: str | None = None) -> list[str]:
    """Store every record of a conforming run in one transaction; return the case graphs written."""
    if not report.conforms:
        raise NotLoaded("the run has violations; nothing was stored")
    started = datetime.now(timezone.utc)
    submitter = submitter or default_submitter()
    agent = agent_iri(submitter)
    convert = OxTriples()
    cases: dict[str, list[ox.Triple]] = {}
    prov: list[Triple] = [(agent, URIRef(RDFS_LABEL), Literal(submitter))]
    for batch in report.batches:
        activity = URIRef(f"{ID}batch/{uuid.uuid4()}")
        cases.update(case_graphs(batch, activity, convert))
        prov += provenance(batch, activity, agent, started, datetime.now(timezone.utc))
    write_cases(store, cases, convert(prov))
    return list(cases)
