"""Store validated records all or nothing: one named graph per case with its entailments, PROV-O appended."""

from __future__ import annotations

import getpass
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from datetime import datetime, timezone
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, background, case_entailments_graph, entail
from deepfake_kg.loaders.ntriples import Triple, ntriples
from deepfake_kg.loaders.prepare import Job, Prepared, graph_of, prepare
from deepfake_kg.loaders.records import cited
from deepfake_kg.loaders.shipped import curated_among
from deepfake_kg.loaders.validate import Progress, Report
from deepfake_kg.namespaces import DFK, ID, PROVENANCE_GRAPH
from deepfake_kg.store import EmbeddedStore, Store
from deepfake_kg.store.embedded import StagedLoad

PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
STAGED_MIN = 1000  # a staged load bulk-loads its new cases only when there are at least this many
STAGE_SIZE = 2000  # new cases per stage (about 80,000 quads)


class NotLoaded(Exception):
    """The run has violations, so nothing was stored."""


class CuratedCase(NotLoaded):
    """The run would replace a curated case shipped in kb/cases, so nothing was stored."""


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


def staged_jobs(store: Store, jobs: list[Job]) -> list[Job]:
    """The jobs a staged load bulk-loads: those of new cases (neither graph nor entailments stored), when there are
    enough of them to pay for a stage's own files."""
    stored = set(store.graph_names())
    fresh = [job for job in jobs
             if graph_of(job[0]) not in stored and case_entailments_graph(graph_of(job[0])) not in stored]
    return fresh if len(fresh) >= STAGED_MIN else []


def case_graphs(prepared: Prepared) -> dict[str, str]:
    """Each prepared case's graph and its entailments' graph, as N-Triples text."""
    cases, entailed = prepared
    return {**cases, **{case_entailments_graph(graph): entailed[graph] for graph in cases}}


def write_cases(store: Store, jobs: list[Job], prov: list[Triple], *, remove: dict[str, list[ox.Triple]] | None = None,
                staged: bool = False, progress: Progress | None = None) -> list[str]:
    """Each job's case graph and its entailments (replacing earlier versions), the provenance and its entailments
    appended to their graphs, and `remove`'s triples deleted, all or nothing. Returns the case graphs.

    Without `staged` everything is one transaction. With `staged` (an embedded store that this process has to itself),
    new cases are first bulk-loaded STAGE_SIZE at a time, which keeps the cost linear and memory bounded; the rest goes
    in with the commit, and a load cut short is rolled back (see `EmbeddedStore.staged_load`).
    """
    curated = curated_among(store, [graph_of(record) for record, _ in jobs])
    if curated:
        names = ", ".join(repr(graph.rsplit("/", 1)[1]) for graph in curated)
        one = len(curated) == 1
        raise CuratedCase(f"{'case' if one else 'cases'} {names} {'is one of' if one else 'are among'} the curated "
                          "cases shipped in kb/cases; change those files instead (nothing was stored)")
    known = background(store, cited(record for record, _ in jobs))
    prov_text = ntriples(prov)
    prov_entailed = entail({str(PROVENANCE_GRAPH): prov_text}, known)[str(PROVENANCE_GRAPH)]
    fresh = staged_jobs(store, jobs) if staged and isinstance(store, EmbeddedStore) else []
    with store.staged_load() if fresh else nullcontext() as stage:
        if stage:
            load_stages(stage, fresh, known, progress)
        staged_graphs = {graph_of(record) for record, _ in fresh}
        rest = [job for job in jobs if graph_of(job[0]) not in staged_graphs]
        commit = stage.commit if stage else store.replace_graphs
        commit(case_graphs(prepare(rest, known)), add={str(PROVENANCE_GRAPH): prov_text, ENTAILMENTS_GRAPH: prov_entailed},
               remove=remove)
        if progress:
            progress(len(rest))
    return [graph_of(record) for record, _ in jobs]


def load_stages(stage: StagedLoad, jobs: list[Job], known: str, progress: Progress | None) -> None:
    """Bulk-load the jobs' graphs a stage at a time, preparing each stage while the one before is loaded (pyoxigraph
    lets go of the GIL while it loads)."""
    with ThreadPoolExecutor(1, thread_name_prefix="stage-loader") as loader:
        loading: tuple[Future, int] | None = None
        for start in range(0, len(jobs), STAGE_SIZE):
            part = jobs[start:start + STAGE_SIZE]
            graphs = case_graphs(prepare(part, known))
            if loading:
                finish(*loading, progress)
            loading = loader.submit(stage.add, graphs), len(part)
        if loading:
            finish(*loading, progress)


def finish(loading: Future, count: int, progress: Progress | None) -> None:
    loading.result()
    if progress:
        progress(count)


def load_batches(report: Report, store: Store, *, submitter: str | None = None, staged: bool = False,
                 progress: Progress | None = None) -> list[str]:
    """Store every record of a conforming run, all or nothing; return the case graphs written.

    `staged`: bulk-load a big run's new cases in stages (see `write_cases`); only for a process that has the store to
    itself, since its readers would see the stages before the commit. `progress` is called with each count of records
    stored.
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
    return write_cases(store, jobs, prov, staged=staged, progress=progress)
