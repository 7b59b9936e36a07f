"""Promoting an AIID draft imported from the shipped extract: the completed record is validated like any other, stored
as a case derived from the draft (who, when), the draft leaves graph/drafts, and gap detection then sees the case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.cli import app
from deepfake_kg.entailments import ENTAILMENTS_GRAPH, case_entailments_graph
from deepfake_kg.gaps import find_gaps
from deepfake_kg.loaders.aiid import draft_iri, read_aiid, store_drafts
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.namespaces import DFK, DRAFTS_GRAPH, PROVENANCE_GRAPH, case_graph
from deepfake_kg.store import EmbeddedStore, open_store

EXTRACT = Path(__file__).parent / "data" / "aiid" / "incidents-deepfake-extract.csv"
INCIDENT = "147"  # the extract's AI-cloned voice used to deceive a Hong Kong bank manager (2020)
DRAFT = f"aiid-{INCIDENT}"
CASE_ID = "hk-bank-voice-clone-2020"
PROV = "http://www.w3.org/ns/prov#"
HEADER = ("case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,intent,harms,"
          "loss_amount,loss_currency,aiid_incident\n")
ROW = ("{case_id},Cloned voice of a company director used to deceive a bank manager,HK,2020-01,impersonate,voice,unknown,"
       "https://incidentdatabase.ai/cite/147,voice_clone,live_audio_call,profit;deception,property_loss,35000000,USD,"
       "{incident}\n")
TOKEN = "test-promote-token"


def record(incident: str = INCIDENT, case_id: str = CASE_ID, acts: str = "impersonate") -> bytes:
    return (HEADER + ROW.format(case_id=case_id, incident=incident).replace(",impersonate,", f",{acts},")).encode()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A store as `serve` or any command builds it, with the whole shipped AIID extract imported as drafts."""
    folder = tmp_path_factory.mktemp("promote") / "store"
    store = open_store(folder)
    store_drafts(read_aiid(EXTRACT.read_bytes(), EXTRACT.name), store, "importer")
    store.close()
    return folder


@pytest.fixture
def data_dir(template, tmp_path) -> Path:
    shutil.copytree(template, tmp_path / "store")
    return tmp_path / "store"


def opened(data_dir: Path) -> EmbeddedStore:
    return EmbeddedStore(data_dir)


def dump(data_dir: Path) -> bytes:
    store = opened(data_dir)
    try:
        return store.dump()
    finally:
        store.close()


def promote(runner, data_dir: Path, content: bytes, tmp_path: Path, draft: str = DRAFT, name: str = "completed.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return runner.invoke(app, ["promote", draft, str(path), "--submitter", "Case Reviewer", "--data-dir", str(data_dir)])


def test_a_promoted_draft_becomes_a_case_derived_from_it_and_leaves_the_drafts(runner, data_dir, tmp_path):
    store = opened(data_dir)
    drafts_before = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ ?d a <{DFK.DraftCaseRecord}> }} }}")
    suggested = store.select(f"SELECT ?value WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ <{draft_iri(INCIDENT)}> "
                             f"<{DFK.hasSuggestion}>/<{DFK.suggestedValue}> ?value }} }}")
    store.close()
    assert {str(row["value"]) for row in suggested} >= {"https://w3id.org/deepfake-kg/id/jurisdiction/US"}

    result = promote(runner, data_dir, record(), tmp_path)
    assert result.exit_code == 0, result.output
    assert f"promoted draft {DRAFT} to case {CASE_ID}" in result.stderr

    store = opened(data_dir)
    try:
        graph, draft = case_graph(CASE_ID), draft_iri(INCIDENT)
        stored = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").decode()
        completed = read_bytes(record(), "completed.csv").records[0]
        # exactly what the person's record states, the batch that stored it and the draft it derives from:
        # no machine suggestion of the draft (e.g. the US jurisdiction hint) is copied
        assert len(stored.splitlines()) == len(completed.triples) + 2
        assert "jurisdiction/US>" not in stored and str(DFK.hasSuggestion) not in stored
        assert store.ask(f"ASK {{ GRAPH <{graph}> {{ <{graph}> <{PROV}wasDerivedFrom> <{draft}> ; "
                         f"<{PROV}wasGeneratedBy> ?activity }} }}")
        rows = store.select(f"""SELECT ?who ?when WHERE {{ GRAPH <{graph}> {{ <{graph}> <{PROV}wasGeneratedBy> ?activity }}
            GRAPH <{PROVENANCE_GRAPH}> {{ ?activity <{PROV}used> <{draft}> ; <{PROV}startedAtTime> ?when ;
                <{PROV}wasAssociatedWith>/<http://www.w3.org/2000/01/rdf-schema#label> ?who .
                <{draft}> <{PROV}wasInvalidatedBy> ?activity }} }}""")
        assert [str(row["who"]) for row in rows] == ["Case Reviewer"]
        assert not store.ask(f"ASK {{ GRAPH <{DRAFTS_GRAPH}> {{ ?s ?p ?o FILTER(?s = <{draft}> || "
                             f"STRSTARTS(STR(?s), '{draft}/')) }} }}"), "the draft is still in graph/drafts"
        assert not store.ask(f"ASK {{ GRAPH <{ENTAILMENTS_GRAPH}> {{ <{draft}> ?p ?o }} }}"), "the draft's entailments are left"
        assert store.ask(f"ASK {{ GRAPH <{case_entailments_graph(graph)}> {{ ?s ?p ?o }} }}")
        drafts_after = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ ?d a <{DFK.DraftCaseRecord}> }} }}")
        assert int(drafts_after[0]["n"]) == int(drafts_before[0]["n"]) - 1
    finally:
        store.close()


def test_gap_detection_sees_the_case_only_once_promoted(runner, data_dir, tmp_path):
    store = opened(data_dir)
    assert not [finding for finding in find_gaps(store) if finding["case_id"] in (CASE_ID, DRAFT)]
    store.close()
    assert promote(runner, data_dir, record(), tmp_path).exit_code == 0
    store = opened(data_dir)
    try:
        about = [finding for finding in find_gaps(store) if finding["case_id"] == CASE_ID]
    finally:
        store.close()
    assert about, "gap detection does not consider the promoted case"
    assert {finding["jurisdiction"] for finding in about} <= {"HK", "https://w3id.org/deepfake-kg/id/jurisdiction/HK"}


@pytest.mark.parametrize("content, where", [
    (record(incident="148"), "aiid_incident must be 147, the incident of draft aiid-147"),
    (HEADER.encode() + b"hk-bank-voice-clone-2020,No incident stated,HK,2020-01,impersonate,voice,unknown,"
                       b"https://example.org/x,voice_clone,live_audio_call,profit,property_loss,1,USD,\n",
     "row 2, column O (aiid_incident)"),
    (record(acts="teleport"), "row 2, column E (acts)"),
    (record() + ROW.format(case_id="second", incident=INCIDENT).encode(), "holds 2 records"),
])
def test_an_invalid_completed_record_changes_nothing(runner, data_dir, tmp_path, content, where):
    before = dump(data_dir)
    result = promote(runner, data_dir, content, tmp_path)
    assert result.exit_code == 1, result.output
    assert where in result.stdout and f"draft {DRAFT} was not promoted" in result.stderr
    assert dump(data_dir) == before


@pytest.mark.parametrize("draft, message", [
    ("aiid-999999", "there is no draft 'aiid-999999' in graph/drafts"),
    ("https://w3id.org/deepfake-kg/id/draft/aiid-999999", "there is no draft 'aiid-999999' in graph/drafts"),
    ("../etc", "is not a draft id"),
])
def test_an_unknown_draft_exits_2_with_one_sentence(runner, data_dir, tmp_path, draft, message):
    before = dump(data_dir)
    result = promote(runner, data_dir, record(), tmp_path, draft=draft)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.output
    assert dump(data_dir) == before


def test_a_draft_is_promoted_once(runner, data_dir, tmp_path):
    assert promote(runner, data_dir, record(), tmp_path).exit_code == 0
    again = promote(runner, data_dir, record(case_id="another-id"), tmp_path)
    assert again.exit_code == 2 and "may have been promoted already" in again.stderr


def test_promote_over_http_needs_the_token_and_a_deleted_case_takes_its_entailments(data_dir):
    settings = Settings(data_dir=data_dir, token=TOKEN, query_workers=1)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/csv"}
    with TestClient(create_app(settings)) as client:
        url = f"/drafts/{DRAFT}/promote"
        assert client.post(url, content=record(), headers={"Content-Type": "text/csv"}).status_code == 401
        before = client.app.state.store.dump()
        invalid = client.post(url, content=record(incident="148"), headers=auth)
        assert invalid.status_code == 422
        assert "aiid_incident must be 147" in invalid.json()["report"]["problems"][0]["message"]
        assert client.app.state.store.dump() == before
        unknown = client.post("/drafts/aiid-999999/promote", content=record(), headers=auth)
        assert unknown.status_code == 404 and "no draft" in unknown.json()["error"]
        promoted = client.post(url, content=record(), headers=auth)
        assert promoted.status_code == 201, promoted.text
        assert promoted.json()["stored"] == [CASE_ID] and promoted.headers["location"] == f"/cases/{CASE_ID}"
        assert client.get(f"/cases/{CASE_ID}").json()["aiid_incident"] == INCIDENT
        assert client.post(url, content=record(), headers=auth).status_code == 404
        entailed = f"ASK {{ GRAPH <{case_entailments_graph(case_graph(CASE_ID))}> {{ ?s ?p ?o }} }}"
        assert client.app.state.store.ask(entailed)
        assert client.delete(f"/cases/{CASE_ID}", headers=auth).status_code == 204
        assert not client.app.state.store.ask(entailed), "deleting a case leaves its entailments"
