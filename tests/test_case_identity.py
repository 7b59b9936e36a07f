"""Case identity cannot be forged: a case_id is one string, the subject and graph are minted from it, a record writes
only its own case's graph, and a curated case is never replaced by a contributed one."""

from __future__ import annotations

import json
import uuid

import pytest
from rdflib import BNode, Literal, URIRef

from deepfake_kg.cli import app
from deepfake_kg.loaders.load import CuratedCase, write_cases
from deepfake_kg.loaders.prepare import ForgedRecord
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.records import Place, Record
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.namespaces import CASE_GRAPHS, CASE_IRIS, DFK, ID
from deepfake_kg.store import EmbeddedStore

from test_load_cases import CASES, dump

CURATED = "aiid-992"
PROVISION_QUERY = "SELECT ?p WHERE { ?p a <https://w3id.org/deepfake-kg/ontology/Provision> } ORDER BY ?p LIMIT 1"
TITLE = "http://purl.org/dc/terms/title"


def first_json_record(case_id) -> bytes:
    document = json.loads((CASES / "valid.json").read_text())
    record = document["cases"][0]
    record["case_id"] = case_id
    return json.dumps({"cases": [record]}).encode()


@pytest.mark.parametrize("case_id, shown", [(1234, "1234"), (["test-009"], '["test-009"]'), (12.5, "12.5")])
@pytest.mark.parametrize("name", ["number.json", "number.jsonld"])
def test_a_case_id_that_is_not_a_json_string_is_a_located_violation(kb_dir, case_id, shown, name):
    data = first_json_record(case_id)
    if name.endswith(".jsonld"):
        document = json.loads(data)
        data = json.dumps({"@context": "https://w3id.org/deepfake-kg/context.jsonld", "@graph": document["cases"]}).encode()
    store = EmbeddedStore(kb_dir)
    try:
        report = validate_batches([read_bytes(data, name)], store, workers=1)
    finally:
        store.close()
    assert not report.conforms
    [problem] = [p for p in report.problems if p.field == "case_id"]
    assert problem.place.endswith("/0/case_id") and problem.value == shown
    assert "JSON string" in problem.message


def test_a_number_case_id_stores_nothing_and_mints_no_graph(runner, kb_dir, tmp_path):
    before = dump(kb_dir)
    path = tmp_path / "number.json"
    path.write_bytes(first_json_record(4321))
    result = runner.invoke(app, ["load", str(path), "--data-dir", str(kb_dir)])
    assert result.exit_code == 1, result.output
    assert dump(kb_dir) == before
    assert not any(f"{CASE_GRAPHS}record" in line for line in dump(kb_dir))


def turtle_record(subject: str, case_id: str, title: str) -> bytes:
    return (f'<{subject}> a <{DFK.CaseRecord}> ; <{DFK.caseId}> "{case_id}" ; <{TITLE}> "{title}" .\n').encode()


def test_the_subject_of_an_rdf_record_is_rewritten_to_the_iri_its_case_id_mints(kb_dir):
    store = EmbeddedStore(kb_dir)
    try:
        provision = str(store.select(PROVISION_QUERY)[0]["p"])
        for subject in (provision, CASE_IRIS + CURATED, "urn:x:anything"):
            batch = read_bytes(turtle_record(subject, "forged-1", "planted title"), "record.ttl")
            [record] = batch.records
            assert record.node == URIRef(CASE_IRIS + "forged-1")
            assert {s for s, _, _ in record.triples} == {record.node}
    finally:
        store.close()


def test_statements_about_another_subject_are_violations_not_writes(kb_dir):
    store = EmbeddedStore(kb_dir)
    try:
        provision = str(store.select(PROVISION_QUERY)[0]["p"])
        data = turtle_record("urn:x:1", "forged-2", "a title") + f'<{provision}> <{TITLE}> "planted" .\n'.encode()
        report = validate_batches([read_bytes(data, "record.ttl")], store, workers=1)
    finally:
        store.close()
    assert any(p.focus == provision and p.blocking for p in report.problems)


def forged(node, case_id, triples) -> Record:
    return Record(node, case_id, Place("node", "test"), triples)


@pytest.mark.parametrize("make", [
    # a blank node where the case IRI belongs (the old route to graph/case/record0)
    lambda: forged(BNode("record0"), 7, [(BNode("record0"), DFK.caseId, Literal("7"))]),
    # a subject that is not the IRI the case_id mints
    lambda: forged(URIRef(CASE_IRIS + "other"), "mine", [(URIRef(CASE_IRIS + "other"), DFK.caseId, Literal("mine"))]),
    # a statement about a subject of the knowledge base
    lambda: forged(URIRef(CASE_IRIS + "mine"), "mine", [(URIRef(CASE_IRIS + "mine"), DFK.caseId, Literal("mine")),
                                                       (URIRef(ID + "provision/x"), URIRef(TITLE), Literal("planted"))]),
])
def test_a_record_beyond_its_own_case_is_never_written_even_past_validation(store, make):
    before = set(store.dump().decode().splitlines())
    with pytest.raises(ForgedRecord):
        write_cases(store, [(make(), URIRef(f"{ID}batch/{uuid.uuid4()}"))], [])
    assert set(store.dump().decode().splitlines()) == before


def test_loading_a_curated_case_id_is_refused_and_changes_nothing(runner, kb_dir, tmp_path):
    before = dump(kb_dir)
    assert any(f"<{CASE_GRAPHS}{CURATED}>" in line for line in before)
    path = tmp_path / "curated.json"
    path.write_bytes(first_json_record(CURATED))
    result = runner.invoke(app, ["load", str(path), "--data-dir", str(kb_dir)])
    assert result.exit_code == 1
    assert f"'{CURATED}' is one of the curated cases" in result.stderr
    assert dump(kb_dir) == before


def test_write_cases_refuses_curated_graphs_itself(kb_dir):
    store = EmbeddedStore(kb_dir)
    try:
        node = URIRef(CASE_IRIS + CURATED)
        record = forged(node, CURATED, [(node, DFK.caseId, Literal(CURATED))])
        with pytest.raises(CuratedCase):
            write_cases(store, [(record, URIRef(f"{ID}batch/{uuid.uuid4()}"))], [])
    finally:
        store.close()
