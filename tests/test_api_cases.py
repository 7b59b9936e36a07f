"""POST /validate, POST|GET|DELETE /cases over raw HTTP, against each store; token and unsafe-input checks."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings

pytest_plugins = ("test_api_support",)

HEADER = ("case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,subject_consent,"
          "views,provisions_applied\n")
ROW = ("{case_id},Face swap video shared in a chat group,{jurisdiction},2024-05-01,create;disseminate,facial,public_online,"
       "https://example.org/a/1,face_swap,video,no,1200,{provision}\n")
BAD_ROW = "bad-1,A record with an act that is not a code,CN,2024-05-01,teleport,facial,public_online,,face_swap,video,no,12,{provision}\n"
PROVISION = """SELECT ?provision ?code WHERE {
  ?provision a <https://w3id.org/deepfake-kg/ontology/Provision> ; <https://w3id.org/deepfake-kg/ontology/hasVersion> ?v .
  ?v <https://w3id.org/deepfake-kg/ontology/hasJurisdiction>/<https://w3id.org/deepfake-kg/ontology/jurisdictionCode> ?code .
} ORDER BY ?provision LIMIT 1"""
DFK = "https://w3id.org/deepfake-kg/ontology/"
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                  b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:x">'
                  b'<rdf:value>&lol2;</rdf:value></rdf:Description></rdf:RDF>')


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="module")
def client(server):
    from test_api_support import TOKEN

    with httpx.Client(base_url=server.url, timeout=60) as http:
        http.token = {"Authorization": f"Bearer {TOKEN}"}
        yield http


@pytest.fixture(scope="module")
def csv_of(client):
    """CSV of valid records citing a provision of the knowledge base (any one) in its own jurisdiction."""
    binding = client.get("/sparql", params={"query": PROVISION}).json()["results"]["bindings"][0]
    provision = binding["provision"]["value"]
    jurisdiction = binding["code"]["value"]

    def make(*case_ids: str) -> bytes:
        rows = "".join(ROW.format(case_id=case_id, jurisdiction=jurisdiction, provision=provision) for case_id in case_ids)
        return (HEADER + rows).encode()

    make.jurisdiction = jurisdiction
    make.invalid = (HEADER + BAD_ROW.format(provision=provision)).encode()
    return make


def ask(client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


def test_validate_reports_problem_with_place_and_stores_nothing(client, csv_of):
    response = client.post("/validate", content=csv_of.invalid, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False
    problem = next(p for p in report["problems"] if p["field"] == "acts")
    assert "row 2" in problem["place"] and problem["value"] == "teleport"
    assert not ask(client, "ASK { <https://w3id.org/deepfake-kg/id/case/bad-1> ?p ?o }")


def test_validate_gives_shacl_report_in_turtle(client, csv_of):
    response = client.post("/validate", content=csv_of.invalid, headers={"Content-Type": "text/csv", "Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    assert (None, URIRef(sh + "conforms"), Literal(False)) in graph


def test_validate_a_record_citing_no_provision(client):
    body = (HEADER + ROW.format(case_id="api-no-provision", jurisdiction="CN", provision="")).encode()
    response = client.post("/validate", content=body, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200 and response.json()["conforms"] is True


def test_writes_need_the_token(client, csv_of):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}):
        response = client.post("/cases", content=csv_of("api-token-1"), headers={"Content-Type": "text/csv", **headers})
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
        assert "token" in response.json()["error"]
    assert client.delete("/cases/api-token-1").status_code == 401
    assert not ask(client, "ASK { <https://w3id.org/deepfake-kg/id/case/api-token-1> ?p ?o }")


def test_store_read_delete_round_trip(client, server, csv_of):
    case_id = f"api-{server.store}-1"
    response = client.post("/cases", content=csv_of(case_id), headers={"Content-Type": "text/csv", **client.token})
    assert response.status_code == 201, response.text
    assert response.json()["stored"] == [case_id] and response.headers["location"] == f"/cases/{case_id}"
    record = client.get(f"/cases/{case_id}").json()
    assert record["case_id"] == case_id and record["jurisdiction"] == csv_of.jurisdiction
    assert sorted(record["acts"]) == ["create", "disseminate"] and record["views"] == 1200
    turtle = client.get(f"/cases/{case_id}", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(f"https://w3id.org/deepfake-kg/id/case/{case_id}"), URIRef(DFK + "caseId"), Literal(case_id)) in graph
    for accept, rdflib_format in (("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        assert len(Graph().parse(data=client.get(f"/cases/{case_id}", headers={"Accept": accept}).text, format=rdflib_format)) == len(graph)
    in_sparql = f"ASK {{ GRAPH <https://w3id.org/deepfake-kg/graph/case/{case_id}> {{ ?case <{DFK}caseId> '{case_id}' }} }}"
    assert ask(client, in_sparql), "the query workers see the committed write"
    assert client.delete(f"/cases/{case_id}", headers=client.token).status_code == 204
    assert client.get(f"/cases/{case_id}").status_code == 404
    assert not ask(client, in_sparql)
    assert client.delete(f"/cases/{case_id}", headers=client.token).status_code == 404


def test_json_ld_of_a_case_loads_back(client, server, csv_of):
    case_id = f"api-{server.store}-ld"
    assert client.post("/cases", content=csv_of(case_id), headers={"Content-Type": "text/csv", **client.token}).status_code == 201
    linked = client.get(f"/cases/{case_id}", headers={"Accept": "application/ld+json"})
    assert linked.headers["content-type"].startswith("application/ld+json")
    assert linked.json()["@context"] == "https://w3id.org/deepfake-kg/context.jsonld"
    client.delete(f"/cases/{case_id}", headers=client.token)
    record = {key: value for key, value in linked.json().items() if key != "@context"}
    batch = json.dumps({"@context": linked.json()["@context"], "@graph": [record]}).encode()
    again = client.post("/cases", content=batch, headers={"Content-Type": "application/ld+json", **client.token})
    assert again.status_code == 201 and again.json()["stored"] == [case_id], again.text
    assert sorted(client.get(f"/cases/{case_id}").json()["acts"]) == ["create", "disseminate"]
    client.delete(f"/cases/{case_id}", headers=client.token)


def test_invalid_batch_is_422_and_stores_nothing(client, csv_of):
    body = csv_of("api-mixed-1") + csv_of.invalid.split(b"\n", 1)[1]
    response = client.post("/cases", content=body, headers={"Content-Type": "text/csv", **client.token})
    assert response.status_code == 422 and response.json()["report"]["conforms"] is False
    assert not ask(client, "ASK { <https://w3id.org/deepfake-kg/id/case/api-mixed-1> ?p ?o }")


@pytest.mark.parametrize("path", ["/validate", "/cases"])
def test_rdf_xml_with_entities_is_refused_before_parsing(client, path):
    response = client.post(path, content=BILLION_LAUGHS, headers={"Content-Type": "application/rdf+xml", **client.token})
    assert response.status_code == 400 and "DOCTYPE" in response.json()["error"]


def test_json_ld_never_fetches_a_remote_context(client, canary):
    document = f'{{"@context": "{canary.url}/context.jsonld", "case_id": "api-remote-ctx"}}'
    response = client.post("/validate", content=document.encode(), headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400 and "refused" in response.json()["error"]
    assert not canary.contacted()


@pytest.mark.parametrize("headers, status", [
    ({"Content-Type": "application/pdf"}, 415),
    ({"Content-Type": "application/json"}, 400),
])
def test_bad_bodies_are_clear_json_errors(client, headers, status):
    response = client.post("/validate", content=b"\x00\x01 not records", headers=headers)
    assert response.status_code == status and response.json()["error"]


def test_bad_case_id_and_unknown_case(client):
    assert client.get("/cases/..%2Fetc").status_code in (400, 404)
    assert client.get("/cases/no-such-case-here").status_code == 404
    assert "no case" in client.get("/cases/no-such-case-here").json()["error"]


def test_writes_refused_when_no_token_is_configured(tmp_path):
    body = (HEADER + ROW.format(case_id="api-no-token", jurisdiction="CN", provision="")).encode()
    from fastapi.testclient import TestClient

    app = create_app(Settings(data_dir=tmp_path / "store", token=None, query_workers=1))
    with TestClient(app) as local:
        response = local.post("/cases", content=body, headers={"Content-Type": "text/csv",
                                                                               "Authorization": "Bearer anything"})
        assert response.status_code == 403 and "disabled" in response.json()["error"]
        assert local.delete("/cases/api-no-token", headers={"Authorization": "Bearer anything"}).status_code == 403


def test_curated_shipped_cases_cannot_be_deleted(client):
    query = "SELECT ?graph WHERE { GRAPH <https://w3id.org/deepfake-kg/graph/meta> { ?set <http://purl.org/dc/terms/hasPart> ?graph } } LIMIT 1"
    graph = client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["graph"]["value"]
    case_id = graph.rsplit("/", 1)[1]
    response = client.delete(f"/cases/{case_id}", headers=client.token)
    assert response.status_code == 409 and "kb/cases" in response.json()["error"]
    assert client.get(f"/cases/{case_id}").status_code == 200


def test_curated_shipped_cases_cannot_be_replaced_by_a_post(client, csv_of):
    query = "SELECT ?graph WHERE { GRAPH <https://w3id.org/deepfake-kg/graph/meta> { ?set <http://purl.org/dc/terms/hasPart> ?graph } } ORDER BY ?graph LIMIT 1"
    graph = client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["graph"]["value"]
    case_id = graph.rsplit("/", 1)[1]
    before = client.get(f"/cases/{case_id}").json()
    response = client.post("/cases", content=csv_of(case_id), headers={**client.token, "Content-Type": "text/csv"})
    assert response.status_code == 409 and f"'{case_id}' is one of the curated cases" in response.json()["error"]
    assert client.get(f"/cases/{case_id}").json() == before


def hostile_documents() -> dict[str, tuple[str, dict]]:
    """JSON and JSON-LD bodies that once raised inside the validator (a TypeError, a QueryError) instead of a 4xx."""
    from test_load_cases import CASES

    record = json.loads((CASES / "valid.json").read_text())["cases"][0]
    context = "https://w3id.org/deepfake-kg/context.jsonld"
    return {
        "version-1.1": ("application/ld+json", {"@context": [context, {"@version": 1.1}], "@graph": [record]}),
        "language-number": ("application/ld+json", {"@context": [context, {"@language": 5}], "@graph": [record]}),
        "tab-in-provision": ("application/ld+json", {"@context": context,
                                                     "@graph": [{**record, "provisions_applied": ["a\tb"]}]}),
        "quote-in-provision": ("application/json", {"cases": [{**record, "provisions_applied": ['https://x/"{\\']}]}),
        "quote-in-source": ("application/json", {"cases": [{**record, "source": 'https://x/"{\\'}]}),
    }


@pytest.mark.parametrize("name", sorted(hostile_documents()))
def test_hostile_records_get_a_client_error_and_the_connection_stays_usable(client, name):
    media_type, document = hostile_documents()[name]
    response = client.post("/validate", content=json.dumps(document).encode(), headers={"Content-Type": media_type})
    assert response.status_code < 500, response.text
    if name.startswith("quote"):
        assert response.json()["conforms"] is False and "IRI" in response.text
    assert client.get("/health").status_code == 200
