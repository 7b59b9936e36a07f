"""Store validated records: one named graph per case, PROV-O provenance, all in one transaction."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from deepfake_kg.alignments import refresh_entailments
from deepfake_kg.loaders.read import Batch
from deepfake_kg.loaders.validate import Report
from deepfake_kg.namespaces import DFK, ID, PROVENANCE_GRAPH, case_graph
from deepfake_kg.store import Store

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
CASE_PREFIX = f"{ID}case/"


class NotLoaded(Exception):
    """The run has violations, so nothing was stored."""


def nt_term(term: Node) -> str:
    """An rdflib term in N-Triples syntax (pyoxigraph does the escaping)."""
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, BNode):
        return str(ox.BlankNode(str(term)))
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    if term.datatype:
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
    return str(ox.Literal(str(term)))


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> str:
    return "\n".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples)


def default_submitter() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def provenance(batch: Batch, activity: URIRef, agent: URIRef, started: datetime, ended: datetime) -> list[tuple]:
    """PROV-O for one loaded file: the batch activity, who did it, when, and the file with its checksum."""
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


def case_graphs(batch: Batch, activity: URIRef) -> dict[str, str]:
    """N-Triples of each case's own named graph, which also records the batch that generated it."""
    graphs = {}
    for record in batch.records:
        graph = case_graph(str(record.node).removeprefix(CASE_PREFIX))
        generated = (URIRef(graph), URIRef(PROV + "wasGeneratedBy"), activity)
        graphs[graph] = ntriples([*record.triples, generated])
    return graphs


def load_batches(report: Report, store: Store, *, submitter: str | None = None) -> list[str]:
    """Store every record of a conforming run in one transaction; return the case graphs written."""
    if not report.conforms:
        raise NotLoaded("the run has violations; nothing was stored")
    started = datetime.now(timezone.utc)
    submitter = submitter or default_submitter()
    agent = URIRef(f"{ID}agent/{quote(submitter, safe='')}")
    graphs: dict[str, str] = {}
    prov_triples = [(agent, URIRef(RDFS_LABEL), Literal(submitter))]
    for batch in report.batches:
        activity = URIRef(f"{ID}batch/{uuid.uuid4()}")
        graphs.update(case_graphs(batch, activity))
        prov_triples += provenance(batch, activity, agent, started, datetime.now(timezone.utc))
    earlier = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?s ?p ?o }} }}")
    graphs[str(PROVENANCE_GRAPH)] = earlier.decode() + "\n" + ntriples(prov_triples)
    store.replace_graphs(graphs)
    refresh_entailments(store)
    return [graph for graph in graphs if graph != str(PROVENANCE_GRAPH)]
