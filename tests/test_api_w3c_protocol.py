"""The W3C SPARQL 1.1 Protocol tests, driven from their manifest, against a live read-only endpoint."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

pytest_plugins = ("test_api_support",)

MANIFEST = Path(__file__).parent / "data" / "w3c-sparql-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
DATASET_PARAMS = {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}
TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"}
RDF = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


@dataclass
class Exchange:
    """One HTTP request of a protocol test and what the manifest expects of its answer."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    result_format: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    exchange: Exchange
    loads_graphs: bool


def _exchange(graph: Graph, request) -> Exchange:
    path = urlsplit(str(graph.value(request, HT.absolutePath)))
    headers = {str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
               for h in Collection(graph, graph.value(request, HT.headers))} if graph.value(request, HT.headers) else {}
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    result_format = graph.value(response, MF.expectedFormat)
    return Exchange(str(graph.value(request, HT.methodName)), path.path.replace("/sparql/", "/sparql", 1),
                    parse_qsl(path.query, keep_blank_values=True), headers, body,
                    {str(code).rsplit("#", 1)[1] for code in graph.objects(response, MF.expectedStatus)},
                    str(result_format) if result_format is not None else None,
                    boolean.toPython() if boolean is not None else None)


def protocol_tests() -> list[ProtocolTest]:
    graph = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        first = next(iter(Collection(graph, graph.value(action, HT.requests))))
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[1], _exchange(graph, first),
                                  graph.value(entry, UT.graphData) is not None))
    return tests


TESTS = protocol_tests()


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


def send(server, exchange: Exchange, query: list[tuple[str, str]], body: bytes | None) -> httpx.Response:
    url = f"{server.url}{exchange.path}" + (f"?{urlencode(query)}" if query else "")
    return httpx.request(exchange.method, url, headers=exchange.headers, content=body, timeout=30)


def form_without_dataset(exchange: Exchange) -> bytes | None:
    if exchange.body is None or exchange.headers.get("content-type") != "application/x-www-form-urlencoded":
        return exchange.body
    return urlencode([(k, v) for k, v in parse_qsl(exchange.body.decode()) if k not in DATASET_PARAMS]).encode()


def names_dataset(exchange: Exchange) -> bool:
    form = parse_qsl(exchange.body.decode("utf-8", "replace")) if exchange.body and \
        exchange.headers.get("content-type") == "application/x-www-form-urlencoded" else []
    return any(name in DATASET_PARAMS for name, _ in [*exchange.query, *form])


def meets_manifest(response: httpx.Response, exchange: Exchange) -> None:
    assert f"StatusCode{str(response.status_code)[0]}xx" in exchange.statuses, response.text
    media_type = response.headers.get("content-type", "").split(";")[0]
    if exchange.result_format == "boolean":
        if media_type == "application/sparql-results+json":
            answer = json.loads(response.content)["boolean"]
        else:
            assert media_type == "application/sparql-results+xml"
            element = ElementTree.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
            answer = element.text.strip() == "true"
        if exchange.boolean is not None:
            assert answer is exchange.boolean
    elif exchange.result_format == "tabular":
        assert media_type in TABULAR
    elif exchange.result_format == "RDF":
        assert media_type in RDF
        Graph().parse(data=response.content, format=RDF[media_type])


@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_protocol(server, test: ProtocolTest):
    exchange = test.exchange
    response = send(server, exchange, exchange.query, exchange.body)
    if test.name.startswith("bad_"):
        meets_manifest(response, exchange)
        assert response.json()["error"], "every 4xx carries a JSON error"
    elif test.name.startswith("update_"):
        assert response.status_code == 400 and "read-only" in response.json()["error"]
    elif names_dataset(exchange):
        assert response.status_code == 400 and "stored dataset" in response.json()["error"]
        if not test.loads_graphs:
            query = [(name, value) for name, value in exchange.query if name not in DATASET_PARAMS]
            meets_manifest(send(server, exchange, query, form_without_dataset(exchange)), exchange)
    else:
        meets_manifest(response, exchange)
