"""provisions_applied outside the knowledge base (issue 15, item 3): official IRIs and citations are accepted with a
warning at the field, stored as dfk:appliedProvision <iri> and dfk:appliedProvisionCitation "text", and read back;
knowledge-base provisions keep their checks and malformed values stay violations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.cli import app
from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.namespaces import DFK, ID, case_graph, case_iri
from deepfake_kg.paths import KB_DIR
from deepfake_kg.store import EmbeddedStore

KB_ID = "test-federal-us"  # tests/data/cases/test-kb.ttl: US law, in force from 2022-06-01, applies in US-CA
EXTERNAL = "https://www.law.cornell.edu/uscode/text/18/2252A"
CITATION = "Cal. Penal Code § 647(j)(4)"
ENCODINGS = ("csv", "json", "jsonld", "ttl")
TOKEN = "external-provisions-token-7d2a"
TURTLE = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
<{iri}> a dfk:CaseRecord ; dfk:caseId "{case_id}" ; dct:title "Synthetic: provisions outside the knowledge base" ;
    dfk:hasJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/US-CA> ; dfk:actDate "2023-05-10" ;
    dfk:hasAct dfk:Create, dfk:Disseminate ; dfk:hasBiometricCategory dfk:FacialBiometric ;
    dfk:hasDataSource dfk:PublicOnline ; dct:source <https://example.org/test/external> ;
    dfk:appliedProvision <https://w3id.org/deepfake-kg/id/provision/{kb_id}>, <{external}> ;
    dfk:appliedProvisionCitation "{citation}" .
"""


def record(case_id: str, provisions: list[str], jurisdiction: str = "US-CA") -> dict:
    return {"case_id": case_id, "title": "Synthetic: provisions outside the knowledge base",
            "jurisdiction": jurisdiction, "act_date": "2023-05-10", "acts": ["create", "disseminate"],
            "biometric_data": ["facial"],
            "data_source": "public_online", "source": ["https://example.org/test/external"],
            "provisions_applied": provisions}


def write(item: dict, encoding: str) -> bytes:
    """The record as a contributor writes it; Turtle by hand, with the two properties of the ontology."""
    if encoding == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(item)
        writer.writerow([";".join(value) if isinstance(value, list) else value for value in item.values()])
        return buffer.getvalue().encode()
    if encoding == "json":
        return json.dumps({"cases": [item]}, ensure_ascii=False).encode()
    if encoding == "jsonld":
        return json.dumps({"@context": ctx.CONTEXT_IRI, "@graph": [item]}, ensure_ascii=False).encode()
    kb_id, external, citation = item["provisions_applied"]
    return TURTLE.format(iri=case_iri(item["case_id"]), case_id=item["case_id"], kb_id=kb_id, external=external,
                         citation=citation).encode()


def mixed(case_id: str) -> dict:
    return record(case_id, [KB_ID, EXTERNAL, CITATION])


NOT_MODELLED = ("a provision the knowledge base models; one it does not model is kept, but gap detection cannot test "
                "the case against it")
PLACES = {"csv": "row 2, column I (provisions_applied)", "json": "/cases/0/provisions_applied",
          "jsonld": "/@graph/0/provisions_applied", "ttl": f"<{case_iri('ext-ttl')}> provisions_applied"}


def report_of(runner, kb_dir: Path, tmp_path: Path, data: bytes, encoding: str) -> tuple[int, dict]:
    path = tmp_path / f"records.{encoding}"
    path.write_bytes(data)
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--data-dir", str(kb_dir)])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_external_iri_and_a_citation_validate_with_a_warning_at_the_field(runner, kb_dir, tmp_path, encoding):
    code, report = report_of(runner, kb_dir, tmp_path, write(mixed(f"ext-{encoding}"), encoding), encoding)
    assert code == 0 and report["conforms"] is True, report
    assert {p["severity"] for p in report["problems"]} == {"warning"}
    found = {p["value"]: p for p in report["problems"]}
    assert set(found) == {EXTERNAL, CITATION}
    for value, problem in found.items():
        assert problem["place"] == PLACES[encoding] and problem["field"] == "provisions_applied"
        assert problem["message"] == f"provisions_applied names {value}, which is not a provision in the knowledge base"
        assert problem["expected"] == NOT_MODELLED


def triples_of(encoding: str, case_id: str = "ext-same") -> Graph:
    graph = Graph()
    for triple in read_bytes(write(mixed(case_id), encoding), f"records.{encoding}").triples():
        graph.add(triple)
    return graph


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_each_kind_of_provision_becomes_its_triple_in_every_encoding(encoding):
    graph = triples_of(encoding)
    case = URIRef(case_iri("ext-same"))
    assert set(graph.objects(case, DFK.appliedProvision)) == {URIRef(f"{ID}provision/{KB_ID}"), URIRef(EXTERNAL)}
    assert list(graph.objects(case, DFK.appliedProvisionCitation)) == [Literal(CITATION)]
    assert isomorphic(graph, triples_of("ttl"))


@pytest.mark.parametrize("value, expected", [
    ("cn-criminal-law-art-253-1", False), ("test-no-such-provision", False), ("gb-soa-2003-s66b", False),
    ("http://data.europa.eu/eli/reg/2024/1689/art_50/oj", False), ("https://www.boe.es/eli/es/lo/1995/11/23/10", False),
    ("HTTPS://www.legislation.gov.uk/ukpga/2006/35/section/2", False), ("https://x/\"{\\", False),
    ("Fraud Act 2006 s.2", True), ("18 U.S.C. 2252A", True), ("Código Penal art. 248", True), ("StGB § 201a", True),
    ("刑法第253条", True), ("GDPR", True), ("https://example.org/a b", True),
])
def test_ids_and_iris_are_told_from_citations(value, expected):
    assert ctx.is_citation(value) is expected


def test_every_provision_id_of_the_knowledge_base_is_read_as_an_id():
    base = f"{ID}provision/"
    provision = str(DFK.Provision)
    ids = {quad.subject.value.removeprefix(base) for path in sorted((KB_DIR / "law").glob("*.ttl"))
           for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
           if quad.object.value == provision and quad.subject.value.startswith(base)}
    assert ids and not [value for value in ids if ctx.is_citation(value)]


def test_a_citation_with_backslashes_is_named_as_written(runner, kb_dir, tmp_path):
    """pyshacl writes the values a SPARQL constraint binds into its message through re.sub, which a backslash breaks."""
    citation = r"Code \A art. 1\2 \\"
    code, report = report_of(runner, kb_dir, tmp_path, write(record("ext-backslash", [citation]), "json"), "json")
    assert code == 0, report
    assert [(p["value"], p["message"]) for p in report["problems"]] == [
        (citation, f"provisions_applied names {citation}, which is not a provision in the knowledge base")]


@pytest.mark.parametrize("encoding", ("csv", "jsonld"))
def test_a_provision_of_another_jurisdiction_is_still_a_violation(runner, kb_dir, tmp_path, encoding):
    item = record("ext-elsewhere", ["test-offence-cn", EXTERNAL, CITATION], jurisdiction="DE")
    code, report = report_of(runner, kb_dir, tmp_path, write(item, encoding), encoding)
    assert code == 1 and report["conforms"] is False
    violations = [p["message"] for p in report["problems"] if p["severity"] == "violation"]
    assert violations == ["provisions_applied names test-offence-cn, which is not law of the case's jurisdiction DE "
                          "or of one above it"]
    assert {p["value"] for p in report["problems"] if p["severity"] == "warning"} == {EXTERNAL, CITATION}


@pytest.mark.parametrize("encoding", ("json", "jsonld"))
@pytest.mark.parametrize("value, shown", [
    ("no-such-provision", "no-such-provision"),
    (f"{ID}provision/no-such-provision", "no-such-provision"),
    ("test-offence-cn/v/2015-11-01", "test-offence-cn/v/2015-11-01"),  # a version, not a provision
    (f"{ID}jurisdiction/US", "US"),
    ("https://w3id.org/deepfake-kg/ontology/Provision", "https://w3id.org/deepfake-kg/ontology/Provision"),
])
def test_a_knowledge_base_iri_or_id_naming_no_provision_is_still_a_violation(runner, kb_dir, tmp_path, value, shown,
                                                                              encoding):
    code, report = report_of(runner, kb_dir, tmp_path, write(record("ext-bogus", [value]), encoding), encoding)
    assert code == 1
    assert [(p["severity"], p["place"]) for p in report["problems"]] == [("violation", PLACES[encoding])]
    assert report["problems"][0]["message"].startswith(
        f"provisions_applied names {shown}, which is not a provision in the knowledge base; a provision it does not "
        f"model is given by its official IRI or its citation in words")


@pytest.mark.parametrize("encoding", ("json", "jsonld"))
@pytest.mark.parametrize("value, says", [
    ('https://x/"{\\', "one of < > \" { } | \\ ^ `"),
    ("https://example.org/a|b", "one of < > \" { } | \\ ^ `"),
    ("https://example.org/<a>", "one of < > \" { } | \\ ^ `"),
    (f"{ID}provision/a\\b", "one of < > \" { } | \\ ^ `"),
    ("https://example.org/a b", "an IRI with a space, a tab or a line break"),
    ("https://example.org/a\tb", "an IRI with a space, a tab or a line break"),
    ("a\tb", "a tab, a line break or another control character"),
    ("Fraud Act 2006\ns.2", "a tab, a line break or another control character"),
])
def test_forbidden_characters_are_still_a_violation(runner, kb_dir, tmp_path, value, says, encoding):
    code, report = report_of(runner, kb_dir, tmp_path, write(record("ext-chars", [value]), encoding), encoding)
    assert code == 1
    violations = [p for p in report["problems"] if p["severity"] == "violation"]
    assert violations and all(p["place"] == PLACES[encoding] for p in violations)
    assert any(says in p["message"] and "not a provision in the knowledge base" in p["message"] for p in violations)
    assert not [p for p in report["problems"] if p["severity"] == "warning"], "a refused value is not also a warning"


def test_text_on_applied_provision_in_rdf_is_a_violation(runner, kb_dir, tmp_path):
    data = write(mixed("ext-ttl"), "ttl").replace(f"<{EXTERNAL}>".encode(), b'"Fraud Act 2006 s.2"')
    code, report = report_of(runner, kb_dir, tmp_path, data, "ttl")
    assert code == 1
    assert [p["message"] for p in report["problems"] if p["severity"] == "violation"] == [
        "provisions_applied on dfk:appliedProvision is not an IRI; give the provision's IRI there, or its citation in "
        "words on dfk:appliedProvisionCitation"]


@pytest.fixture(scope="module")
def loaded(kb_dir) -> Path:
    """The store of this module with the mixed record loaded once from each encoding."""
    folder = kb_dir.parent / "files"
    folder.mkdir()
    paths = []
    for encoding in ENCODINGS:
        paths.append(folder / f"records.{encoding}")
        paths[-1].write_bytes(write(mixed(f"ext-{encoding}"), encoding))
    result = CliRunner().invoke(app, ["load", *map(str, paths), "--data-dir", str(kb_dir)])
    assert result.exit_code == 0, result.output
    return kb_dir


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_both_kinds_are_stored_in_the_case_graph(loaded, encoding):
    case_id = f"ext-{encoding}"
    store = EmbeddedStore(loaded)
    try:
        rows = store.select(f"SELECT ?p ?o WHERE {{ GRAPH <{case_graph(case_id)}> {{ <{case_iri(case_id)}> ?p ?o }} }}")
    finally:
        store.close()
    assert {(str(row["p"]), row["o"]) for row in rows if "appliedProvision" in str(row["p"])} == {
        (str(DFK.appliedProvision), URIRef(f"{ID}provision/{KB_ID}")), (str(DFK.appliedProvision), URIRef(EXTERNAL)),
        (str(DFK.appliedProvisionCitation), Literal(CITATION))}


@pytest.mark.parametrize("format", ("ttl", "jsonld"))
def test_the_export_keeps_both_kinds(runner, loaded, format):
    result = runner.invoke(app, ["export", "--what", "cases", "--format", format, "--data-dir", str(loaded)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle" if format == "ttl" else "json-ld")
    case = URIRef(case_iri("ext-csv"))
    assert URIRef(EXTERNAL) in set(graph.objects(case, DFK.appliedProvision))
    assert list(graph.objects(case, DFK.appliedProvisionCitation)) == [Literal(CITATION)]


GB_RECORD = record("ext-api", ["gb-soa-2003-s66b", "https://www.legislation.gov.uk/ukpga/2006/35/section/2",
                               "Fraud Act 2006 s.2"], jurisdiction="GB") | {"act_date": "2024-05-01"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The HTTP API over a store of the shipped knowledge base, with GB_RECORD stored."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("external-api") / "store", token=TOKEN, query_workers=1,
                        query_memory_mb=1024)
    with TestClient(create_app(settings)) as http:
        stored = http.post("/cases", content=write(GB_RECORD, "csv"),
                           headers={"Content-Type": "text/csv", "Authorization": f"Bearer {TOKEN}"})
        assert stored.status_code == 201, stored.text
        assert {p["value"] for p in stored.json()["report"]["problems"]} == set(GB_RECORD["provisions_applied"][1:])
        yield http


def test_get_case_as_jsonld_reads_back_both_kinds_and_validates_again(client):
    linked = client.get("/cases/ext-api", headers={"Accept": "application/ld+json"}).json()
    assert set(linked["provisions_applied"]) == set(GB_RECORD["provisions_applied"][:2])
    assert linked[ctx.CITATION] == GB_RECORD["provisions_applied"][2:]
    again = client.post("/validate", content=json.dumps(linked).encode(),
                        headers={"Content-Type": "application/ld+json"})
    assert again.json()["conforms"] is True
    assert {p["value"] for p in again.json()["problems"]} == set(GB_RECORD["provisions_applied"][1:])


def test_get_case_as_json_keeps_the_external_iri(client):
    assert GB_RECORD["provisions_applied"][1] in client.get("/cases/ext-api").json()["provisions_applied"]


def test_get_case_as_json_keeps_the_citation_under_provisions_applied(client):
    assert GB_RECORD["provisions_applied"][2] in client.get("/cases/ext-api").json()["provisions_applied"]
