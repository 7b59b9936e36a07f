"""The remote store against a real Virtuoso: same answers as the embedded store, blank nodes, auth, failures."""

from __future__ import annotations

import pytest

from deepfake_kg.namespaces import KB_GRAPH, ONTOLOGY_GRAPH
from deepfake_kg.store import EmbeddedStore, StoreError
from deepfake_kg.store.remote import PASSWORD_ENV, USER_ENV, RemoteStore

pytest_plugins = ("test_api_support",)

COUNT = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
BLANKS = "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?b ?p ?o FILTER(isBlank(?b)) }} }}"


@pytest.fixture(scope="module")
def remote(virtuoso) -> RemoteStore:
    store = virtuoso.store()
    store.ensure_loaded()
    yield store
    store.close()


def number(store, query: str) -> int:
    return int(store.select(query)[0]["n"])


@pytest.mark.parametrize("graph", [ONTOLOGY_GRAPH, KB_GRAPH])
def test_shipped_graphs_match_the_embedded_store(remote, store, graph):
    assert number(remote, COUNT.format(graph=graph)) == number(store, COUNT.format(graph=graph)) > 0
    assert number(remote, BLANKS.format(graph=graph)) == number(store, BLANKS.format(graph=graph))


def test_curated_cases_match_the_embedded_store(remote, store):
    from deepfake_kg.loaders.shipped import PREVIOUS_QUERY

    remote_graphs = sorted(str(row["graph"]) for row in remote.select(PREVIOUS_QUERY))
    assert remote_graphs and remote_graphs == sorted(str(row["graph"]) for row in store.select(PREVIOUS_QUERY))
    cases = "SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE { ?case a <https://w3id.org/deepfake-kg/ontology/CaseRecord> }"
    assert number(remote, cases) >= len(remote_graphs)


def test_ensure_loaded_runs_once(remote):
    assert remote.ensure_loaded() is False


def test_replace_graphs_keeps_blank_nodes_whole_and_replaces(remote):
    graph = "https://w3id.org/deepfake-kg/graph/case/remote-t1"
    remote.replace_graphs({graph: '<urn:x:a> <urn:x:p> _:b .\n_:b <urn:x:q> "one" .\n_:b <urn:x:r> "two" .'})
    rows = remote.select(f"SELECT ?q ?r WHERE {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> ?b . ?b <urn:x:q> ?q ; <urn:x:r> ?r }} }}")
    assert [(str(row["q"]), str(row["r"])) for row in rows] == [("one", "two")]
    remote.replace_graphs({graph: "<urn:x:a> <urn:x:p> <urn:x:c> ."})
    assert number(remote, COUNT.format(graph=graph)) == 1
    remote.replace_graphs({}, drop=[graph])
    assert number(remote, COUNT.format(graph=graph)) == 0  # a scan of every graph's name can pass Virtuoso's time limit


def test_bad_batch_changes_nothing(remote):
    before = number(remote, COUNT.format(graph=ONTOLOGY_GRAPH))
    with pytest.raises(SyntaxError):
        remote.replace_graphs({"urn:x:g": '<urn:x:a> <urn:x:p> "unterminated .'}, drop=[str(ONTOLOGY_GRAPH)])
    assert number(remote, COUNT.format(graph=ONTOLOGY_GRAPH)) == before


def test_query_errors_and_results(remote):
    with pytest.raises(StoreError):
        remote.select("SELECT * WHERE { ?s ?p }")
    csv = remote.query_serialized("SELECT ?c WHERE { <https://w3id.org/deepfake-kg/ontology/CaseRecord> a ?c }", "text/csv")
    assert csv.splitlines()[0] == b"c" and b"http://www.w3.org/2002/07/owl#Class" in csv


def test_wrong_password_and_unreachable_store(virtuoso, monkeypatch):
    from test_api_support import free_port

    monkeypatch.setenv(USER_ENV, virtuoso.user)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    with pytest.raises(StoreError, match="401"):
        RemoteStore(virtuoso.endpoint).ask("ASK {}")
    with pytest.raises(StoreError, match="cannot reach"):
        RemoteStore(f"http://127.0.0.1:{free_port()}/sparql").ask("ASK {}")


def test_embedded_and_remote_serialise_alike(remote, store: EmbeddedStore):
    query = "SELECT ?label WHERE { <https://w3id.org/deepfake-kg/ontology/CaseRecord> <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    assert remote.query_serialized(query, "application/sparql-results+json") == store.query_serialized(query, "application/sparql-results+json")
