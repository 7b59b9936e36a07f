"""Store validated records in one transaction: one named graph per case with its entailments, PROV-O appended."""

from __future__ import annotations

import getpass
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, background, case_entailments_graph, entail
from deepfake_kg.loaders.ntriples import Triple, ntriples
from deepfake_kg.loaders.prepare import Job, prepare
from deepfake_kg.loaders.records import cited
from deepfake_kg.loaders.validate import Report
from deepfake_kg.namespaces import DFK, ID, PROVENANCE_GRAPH
from deepfake_kg.store import Store

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


class NotLoaded(Exception):
    """The run has violations, so nothing was stored."""


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


def write_cases(store: Store, jobs: list[Job], prov: list[Triple], *, workers: int | None = None,
                remove: dict[str, list[ox.Triple]] | None = None) -> list[str]:
    """One transaction: each job's case graph and its entailments (replacing earlier versions), the provenance and
    its entailments appended to their graphs, and `remove`'s triples deleted. Returns the case graphs."""
    known = background(store, cited(record for record, _ in jobs))
    cases, entailed = prepare(jobs, known, workers)
    prov_text = ntriples(prov)
    prov_entailed = entail({str(PROVENANCE_GRAPH): prov_text}, known)[str(PROVENANCE_GRAPH)]
    graphs = {**cases, **{case_entailments_graph(graph): entailed[graph] for graph in cases}}
    store.replace_graphs(graphs, add={str(PROVENANCE_GRAPH): prov_text, ENTAILMENTS_GRAPH: prov_entailed}, remove=remove)
    return list(cases)


def load_batches(report: Report, store: Store, *, submitter: str | None = None, workers: int | None = None) -> list[str]:
    """Store every record of a conforming run in one transaction; return the case graphs written.

    `workers`: processes that prepare the graphs of a big run (default: one per core; pass 1 in a threaded server).
    """
    if not report.conforms:
        raise NotLoaded("the run has violations; nothing was stored")
    started = datetime.now(timezone.utc)
    submitter = submitter or default_submitter()
    agent = agent_iri(submitter)
    jobs: list[Job] = []
    prov: list[Triple] = [(agent, URIRef(RDFS_LABEL), Literal(submitter))]
    for batch in report.batches:
        activity = URIRef(f"{ID}batch/{uuid.uuid4()}")
        jobs += [(record, activity) for record in batch.records]
        prov += provenance(batch, activity, agent, started, datetime.now(timezone.utc))
    return write_cases(store, jobs, prov, workers=workers)
