"""Content negotiation on the ontology IRI, each term IRI and instance IRIs; OpenAPI docs; health."""

from __future__ import annotations

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

pytest_plugins = ("test_api_support",)

ONTOLOGY = URIRef("https://w3id.org/deepfake-kg/ontology")
CASE_RECORD = URIRef("https://w3id.org/deepfake-kg/ontology/CaseRecord")
FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def client(request):
    server = request.getfixturevalue(f"{request.param}_server")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


@pytest.mark.parametrize("accept", FORMATS)
def test_ontology_iri_gives_rdf(client, accept):
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.content, format=FORMATS[accept])
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph and (CASE_RECORD, RDF.type, OWL.Class) in graph


def test_browser_gets_generated_documentation(client):
    response = client.get("/ontology", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'id="CaseRecord"' in response.text and "<script src=" not in response.text


@pytest.mark.parametrize("accept", FORMATS)
def test_term_iri_gives_its_description(client, accept):
    response = client.get("/ontology/CaseRecord", headers={"Accept": accept})
    graph = Graph().parse(data=response.content, format=FORMATS[accept])
    assert (CASE_RECORD, RDF.type, OWL.Class) in graph
    assert {s for s in graph.subjects() if isinstance(s, URIRef)} == {CASE_RECORD}, "only the term and its blank nodes"
    assert any(graph.objects(CASE_RECORD, RDFS.label))


def test_browser_on_a_term_goes_to_its_documentation(client):
    response = client.get("/ontology/CaseRecord", headers={"Accept": BROWSER}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/ontology#CaseRecord"


def test_instance_iri(client):
    jurisdictions = client.get("/sparql", params={"query": "SELECT ?j WHERE { ?j a <https://w3id.org/deepfake-kg/ontology/Jurisdiction> } LIMIT 1"})
    iri = jurisdictions.json()["results"]["bindings"][0]["j"]["value"]
    path = iri.removeprefix("https://w3id.org/deepfake-kg")
    graph = Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (URIRef(iri), RDF.type, URIRef("https://w3id.org/deepfake-kg/ontology/Jurisdiction")) in graph
    page = client.get(path, headers={"Accept": BROWSER}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/browse/resource?iri=")


@pytest.mark.parametrize("path, accept, status", [
    ("/ontology/NoSuchTerm", "text/turtle", 404),
    ("/id/case/no-such-case", "text/turtle", 404),
    ("/id/x%3E%20%7D%20SERVICE", "text/turtle", 404),
    ("/ontology/CaseRecord", "image/png", 406),
])
def test_term_errors_are_json(client, path, accept, status):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == status and response.json()["error"]


def test_openapi_lists_the_routes(client):
    spec = client.get("/openapi.json").json()
    assert {"/sparql", "/cases", "/cases/{case_id}", "/validate", "/health", "/ontology"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_json_404(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404 and "no such resource" in response.json()["error"]
