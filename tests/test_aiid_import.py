"""The AIID importer: every incident becomes a draft, apart from case records, guesses marked unreviewed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from deepfake_kg.cli import app
from deepfake_kg.loaders.aiid import draft_iri, read_aiid, validate_drafts
from deepfake_kg.namespaces import DFK, DRAFTS_GRAPH, PROVENANCE_GRAPH
from deepfake_kg.store import EmbeddedStore

EXTRACT = Path(__file__).parent / "data" / "aiid" / "incidents-deepfake-extract.csv"
ROWS = list(csv.DictReader(EXTRACT.open(encoding="utf-8", newline="")))
PREFIXES = "PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/> PREFIX dct: <http://purl.org/dc/terms/> "


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A store into which the whole extract was imported twice (the second run must replace the first)."""
    from typer.testing import CliRunner

    data_dir = tmp_path_factory.mktemp("aiid") / "store"
    for _ in range(2):
        result = CliRunner().invoke(app, ["import-aiid", str(EXTRACT), "--submitter", "tester", "--data-dir", str(data_dir)])
        assert result.exit_code == 0, result.output
    return data_dir


def query(data_dir: Path, sparql: str) -> list[dict]:
    store = EmbeddedStore(data_dir)
    try:
        return store.select(PREFIXES + sparql)
    finally:
        store.close()


def test_every_incident_becomes_one_draft_linked_to_its_page(imported):
    rows = query(imported, f"""SELECT ?draft ?page WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{
        ?draft a dfk:DraftCaseRecord ; dfk:aiidIncident ?page }} }}""")
    expected = {(str(draft_iri(row["incident_id"])), f"https://incidentdatabase.ai/cite/{row['incident_id']}") for row in ROWS}
    assert {(str(r["draft"]), str(r["page"])) for r in rows} == expected
    assert len(rows) == len(ROWS)


def test_drafts_hold_what_the_row_states(imported):
    rows = query(imported, f"""SELECT ?draft ?title ?description ?date WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{
        ?draft dct:title ?title ; dct:date ?date . OPTIONAL {{ ?draft dct:description ?description }} }} }}""")
    stored = {str(r["draft"]): (str(r["title"]), str(r.get("description", "")), str(r["date"])) for r in rows}
    for row in ROWS:
        assert stored[str(draft_iri(row["incident_id"]))] == (row["title"].strip(), row["description"].strip(), row["date"])
    parties = query(imported, f"""SELECT (COUNT(DISTINCT ?part) AS ?n) WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{
        ?draft dfk:hasAllegedParticipation ?part . ?part dfk:hasRole dfk:AllegedHarmedParty }} }}""")
    assert int(parties[0]["n"]) > len(ROWS) / 2


def test_drafts_are_never_case_records_and_assert_no_guessed_facts(imported):
    assert not query(imported, f"SELECT ?d WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ ?d a dfk:CaseRecord }} }}")
    guessed = query(imported, f"""SELECT ?d WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ ?d a dfk:DraftCaseRecord ;
        (dfk:hasTechnique|dfk:hasBiometricCategory|dfk:hasJurisdiction|dfk:hasContentType|dfk:hasIntent) ?v }} }}""")
    assert guessed == []


def test_guesses_are_unreviewed_suggestions_with_their_evidence(imported):
    rows = query(imported, f"""SELECT ?draft ?field ?value ?evidence ?status WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{
        ?draft dfk:hasSuggestion ?s . ?s dfk:suggestsField ?field ; dfk:suggestedValue ?value ;
        dfk:suggestionEvidence ?evidence ; dfk:hasReviewStatus ?status }} }}""")
    assert rows and {r["status"] for r in rows} == {DFK.Unreviewed}
    found = {(str(r["draft"]), r["field"], r["value"]) for r in rows}
    for row in ROWS:
        if "voice clon" in f"{row['title']} {row['description']}".lower():
            assert (str(draft_iri(row["incident_id"])), DFK.hasTechnique, DFK.VoiceClone) in found
        for hint in filter(None, row["jurisdiction_hint"].split(";")):
            code = "GB" if hint == "UK" else hint
            value = URIRef(f"https://w3id.org/deepfake-kg/id/jurisdiction/{code}")
            assert (str(draft_iri(row["incident_id"])), DFK.hasJurisdiction, value) in found


def test_reimport_replaces_drafts_and_records_each_import(imported):
    count = query(imported, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DRAFTS_GRAPH}> {{ ?d dct:title ?t }} }}")
    assert int(count[0]["n"]) == len(ROWS)
    imports = query(imported, f"""PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?batch WHERE {{
        GRAPH <{PROVENANCE_GRAPH}> {{ ?batch prov:used/dfk:fileName "{EXTRACT.name}" }} }}""")
    assert len(imports) == 2


def test_draft_shape_rejects_a_draft_typed_as_case_record(store):
    batch = read_aiid(EXTRACT.read_bytes(), EXTRACT.name)
    assert validate_drafts(batch, store)[0] is True
    first = batch.drafts[0]
    batch.graph.add((first, RDF.type, DFK.CaseRecord))
    suggestion = next(batch.graph.objects(batch.drafts[1], DFK.hasSuggestion))
    batch.graph.remove((suggestion, DFK.hasReviewStatus, None))
    conforms, problems, _ = validate_drafts(batch, store)
    assert conforms is False
    assert any("never a case record" in p.message and p.focus == str(first) for p in problems)
    assert any(p.field == "review status" and p.focus == str(suggestion) for p in problems)


def test_a_file_that_is_not_an_aiid_export_exits_2(runner, tmp_path):
    cases = Path(__file__).parent / "data" / "cases" / "valid.csv"
    result = runner.invoke(app, ["import-aiid", str(cases), "--data-dir", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert "not an AI Incident Database export" in result.stderr and result.stderr.count("\n") == 1
