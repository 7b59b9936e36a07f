"""Promote an AIID draft: a person's completed record of the same incident, validated like any contributed record,
is stored as a case derived from the draft, and the draft leaves graph/drafts in the same transaction.

The completed record is the only source of the case's facts: nothing of the draft (in particular no machine
suggestion) is copied into the case. It must state the draft's incident as its `aiid_incident`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import RDF, RDFS, Literal, URIRef

from deepfake_kg.loaders.drafts import stored_drafts
from deepfake_kg.loaders.load import PROV, NotLoaded, agent_iri, default_submitter, provenance, write_cases
from deepfake_kg.loaders.prepare import graph_of
from deepfake_kg.loaders.read import Batch
from deepfake_kg.loaders.records import CASE_ID, Problem, Record
from deepfake_kg.loaders.validate import Report
from deepfake_kg.namespaces import DFK, DRAFTS_GRAPH, ID
from deepfake_kg.store import Store

DRAFT_PREFIX = f"{ID}draft/"
AIID_CITE = "https://incidentdatabase.ai/cite/"


class UnknownDraft(ValueError):
    """The draft named is not in graph/drafts (or is not a draft id at all)."""


@dataclass(frozen=True)
class Draft:
    iri: URIRef
    incident: URIRef

    @property
    def id(self) -> str:
        return str(self.iri).removeprefix(DRAFT_PREFIX)


def find_draft(store: Store, reference: str) -> Draft:
    """The draft named by its id (aiid-<incident>, as import-aiid stores it) or its IRI."""
    draft_id = reference.strip().removeprefix(DRAFT_PREFIX)
    if not CASE_ID.fullmatch(draft_id):
        raise UnknownDraft(f"{reference!r} is not a draft id (aiid-<incident>) or a draft IRI ({DRAFT_PREFIX}...)")
    iri = URIRef(DRAFT_PREFIX + draft_id)
    rows = store.select(f"SELECT ?incident WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ <{iri}> a <{DFK.DraftCaseRecord}> ; "
                        f"<{DFK.aiidIncident}> ?incident }} }}")
    if not rows:
        raise UnknownDraft(f"there is no draft {draft_id!r} in graph/drafts (import-aiid stores drafts as aiid-<incident>; "
                           f"it may have been promoted already)")
    return Draft(iri, URIRef(str(rows[0]["incident"])))


def link_problems(batch: Batch, draft: Draft) -> list[Problem]:
    """The file must hold one record, and that record must state the draft's incident as its aiid_incident."""
    number = str(draft.incident).removeprefix(AIID_CITE)
    if len(batch.records) != 1:
        return [Problem("violation", batch.name, None, str(len(batch.records)), "one completed record",
                        f"{batch.name} holds {len(batch.records)} records; promote takes the one record that completes "
                        f"draft {draft.id}")]
    record = batch.records[0]
    stated = [str(o) for s, p, o in record.triples if s == record.node and p == DFK.aiidIncident]
    if stated == [str(draft.incident)]:
        return []
    found = ", ".join(value.removeprefix(AIID_CITE) for value in stated) or None
    return [Problem("violation", f"{batch.name} {record.place.of('aiid_incident')}", "aiid_incident", found,
                    f"{number}, the incident of draft {draft.id}",
                    f"aiid_incident must be {number}, the incident of draft {draft.id}, for the record to complete it",
                    str(record.node), str(DFK.aiidIncident))]


def promote(report: Report, draft: Draft, store: Store, *, submitter: str | None = None) -> str:
    """In one transaction: the completed record as a case graph derived from the draft (with its entailments), the
    promotion's provenance (who, when, file, checksum, the draft used and invalidated), and the draft removed.
    Returns the case graph."""
    if not report.conforms or len(report.batches) != 1 or link_problems(report.batches[0], draft):
        raise NotLoaded("the completed record has violations or does not complete the draft; nothing was stored")
    started = datetime.now(timezone.utc)
    submitter = submitter or default_submitter()
    agent = agent_iri(submitter)
    activity = URIRef(f"{ID}batch/{uuid.uuid4()}")
    batch = report.batches[0]
    record = batch.records[0]
    graph = graph_of(record)
    derived = Record(record.node, record.case_id, record.place,
                     [*record.triples, (URIRef(graph), URIRef(PROV + "wasDerivedFrom"), draft.iri)])
    prov = [*provenance(batch, activity, agent, started, datetime.now(timezone.utc)),
            (agent, RDFS.label, Literal(submitter)),
            (activity, URIRef(PROV + "used"), draft.iri),
            (draft.iri, RDF.type, URIRef(PROV + "Entity")),
            (draft.iri, URIRef(PROV + "wasInvalidatedBy"), activity)]
    write_cases(store, [(derived, activity)], prov, remove=stored_drafts(store, [draft.iri]))
    return graph
