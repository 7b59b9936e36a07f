"""The /sparql endpoint per the SPARQL 1.1 Protocol, over raw HTTP against a live server."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph

pytest_plugins = ("test_api_support",)

OWL_CLASSES = "SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> . FILTER(STRSTARTS(STR(?c), 'https://w3id.org/deepfake-kg/')) }"
ONTOLOGY_ASK = "ASK { <https://w3id.org/deepfake-kg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> }"
CONSTRUCT = ("CONSTRUCT { ?c a <http://www.w3.org/2002/07/owl#Class> } WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> . "
             "FILTER(STRSTARTS(STR(?c), 'https://w3id.org/deepfake-kg/')) }")


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_health_reports_the_store(client, server):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"] == server.store and body["writes_enabled"] is True


def test_get_query_answers_sparql_json(client):
    response = client.get("/sparql", params={"query": OWL_CLASSES})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    classes = {b["c"]["value"] for b in response.json()["results"]["bindings"]}
    assert "https://w3id.org/deepfake-kg/ontology/CaseRecord" in classes


def test_form_and_direct_post_agree_with_get(client):
    by_get = client.get("/sparql", params={"query": OWL_CLASSES}).json()
    by_form = client.post("/sparql", data={"query": OWL_CLASSES}).json()
    direct = client.post("/sparql", content=OWL_CLASSES.encode(), headers={"Content-Type": "application/sparql-query"}).json()
    values = [sorted(b["c"]["value"] for b in result["results"]["bindings"]) for result in (by_get, by_form, direct)]
    assert values[0] == values[1] == values[2] and values[0]


@pytest.mark.parametrize("accept, media_type, marker", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"c\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?c\n"),
    ("application/sparql-results+json;q=0.5, text/csv", "text/csv", b"c\r\n"),
    ("*/*", "application/sparql-results+json", b'"vars"'),
])
def test_select_results_by_accept(client, accept, media_type, marker):
    response = client.get("/sparql", params={"query": OWL_CLASSES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.content.startswith(marker) or marker in response.content[:200]
    assert b"CaseRecord" in response.content


def test_ask_answers_boolean(client):
    assert client.get("/sparql", params={"query": ONTOLOGY_ASK}).json()["boolean"] is True


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_graph_by_accept(client, accept, rdflib_format):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) > 10


def test_unacceptable_format_is_406(client):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406 and "text/turtle" in response.json()["error"]
    assert client.get("/sparql", params={"query": OWL_CLASSES}, headers={"Accept": "image/png"}).status_code == 406


def test_service_description_without_query(client, server):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert graph.query(f"ASK {{ <{server.url}/sparql> a <{sd}Service> ; <{sd}supportedLanguage> <{sd}SPARQL11Query> }}").askAnswer


@pytest.mark.parametrize("request_kwargs, reason", [
    ({"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, "INSERT DATA"),
    ({"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}, "DROP"),
    ({"data": {"query": "LOAD <http://127.0.0.1:9/x>"}}, "LOAD"),
    ({"data": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, "SERVICE"),
    ({"data": {"query": "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }"}}, "FROM"),
    ({"data": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/g"}}, "default-graph-uri"),
    ({"data": {"query": ["ASK {}", "ASK {}"]}}, "more than one"),
    ({"data": {"query": "SELECT WHERE nonsense"}}, "not a SPARQL query"),
    ({"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, "application/sparql-query"),
    ({"data": {"query": "SELECT * WHERE " + "{" * 20_000 + "?s ?p ?o" + "}" * 20_000}}, "nested too deeply"),
])
def test_refusals_are_4xx_json_with_reason(client, request_kwargs, reason):
    response = client.post("/sparql", **request_kwargs)
    assert 400 <= response.status_code < 500
    assert reason in response.json()["error"]


def test_cors_for_reads(client):
    response = client.get("/sparql", params={"query": ONTOLOGY_ASK}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "DELETE"})
    assert preflight.status_code == 400


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { # x\r SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } \n }",
    "SELECT * WHERE { # x\\u000d SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } \n }",
    "SELECT * WHERE { # x\\U0000000d SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } \n }",
    "SELECT * WHERE { # x\r\n SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { # x\\u000a SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \f SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_the_guard_alone_refuses_service_behind_every_line_end(query):
    from deepfake_kg.sparql_guard import QueryRefused, check_read_only

    with pytest.raises(QueryRefused):
        check_read_only(query)


def test_the_guard_keeps_crlf_queries():
    from deepfake_kg.sparql_guard import check_read_only

    assert check_read_only("SELECT * WHERE { # a comment\r\n ?s ?p ?o }\r\n") == "SELECT"
