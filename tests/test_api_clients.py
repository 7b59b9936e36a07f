"""Real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) against a live server; SERVICE never reaches out."""

from __future__ import annotations

from urllib.error import HTTPError

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

pytest_plugins = ("test_api_support",)

DFK = "https://w3id.org/deepfake-kg/ontology/"
CLASSES = f"SELECT ?c WHERE {{ ?c a <http://www.w3.org/2002/07/owl#Class> FILTER(STRSTARTS(STR(?c), '{DFK}')) }}"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


def test_sparqlwrapper_select_ask_construct(server):
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(CLASSES)
    client.setReturnFormat(JSON)
    classes = {b["c"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert DFK + "CaseRecord" in classes
    client.setMethod(POST)
    client.setReturnFormat(XML)
    client.setQuery(f"ASK {{ <{DFK}CaseRecord> a <http://www.w3.org/2002/07/owl#Class> }}")
    assert client.query().convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    client.setReturnFormat(TURTLE)
    client.setQuery(f"CONSTRUCT {{ <{DFK}CaseRecord> ?p ?o }} WHERE {{ <{DFK}CaseRecord> ?p ?o }}")
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(DFK + "CaseRecord"), None, None) in graph


def test_rdflib_sparqlstore_reads_the_graph(server):
    graph = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = list(graph.query(CLASSES))
    assert URIRef(DFK + "CaseRecord") in {row.c for row in rows}
    labels = list(graph.triples((URIRef(DFK + "CaseRecord"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None)))
    assert labels


def test_rdflib_update_store_is_refused_and_changes_nothing(server):
    endpoint = server.url + "/sparql"
    store = SPARQLUpdateStore(query_endpoint=endpoint, update_endpoint=endpoint)
    with pytest.raises(HTTPError) as refused:
        store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }")
    assert refused.value.code == 400
    assert not Graph(store=SPARQLStore(endpoint)).query("ASK { GRAPH <urn:x:g> { ?s ?p ?o } }").askAnswer


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
    "select * where {{ ?a ?b ?c OPTIONAL {{ service <{target}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "PREFIX remote: <{target}> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ VALUES ?endpoint {{ <{target}> }} SERVICE ?endpoint {{ ?s ?p ?o }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <{target}>",
    "LOAD SILENT <{target}> INTO GRAPH <urn:g>",
    "SELECT * WHERE {{ # x\r SERVICE <{target}> {{ ?s ?p ?o }} \n }}",
    "SELECT * WHERE {{ # x\\u000d SERVICE <{target}> {{ ?s ?p ?o }} \n }}",
    "SELECT * WHERE {{ # x\\U0000000D SERVICE <{target}> {{ ?s ?p ?o }} \n }}",
    "SELECT * WHERE {{ # x\r\n SERVICE <{target}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \f SERVICE <{target}> {{ ?s ?p ?o }} }}",
])
def test_nothing_reaches_a_listener(server, template, canary):
    response = httpx.post(server.url + "/sparql", data={"query": template.format(target=canary.url + "/")}, timeout=30)
    assert response.status_code == 400 and response.json()["error"]
    assert not canary.contacted()


def test_rdflib_never_fetches_from_graphs_once_the_project_is_imported(canary):
    import rdflib.plugins.sparql

    import deepfake_kg.store  # noqa: F401 - the import sets the switch

    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False
    Dataset().query(f"SELECT * FROM <{canary.url}/g> WHERE {{ ?s ?p ?o }}")
    assert not canary.contacted()
