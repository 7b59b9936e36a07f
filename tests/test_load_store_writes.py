"""The writes a load makes, on the embedded store and on Virtuoso: replace, drop, append (`add`) and delete
(`remove`) in one call; blank nodes fresh for each call and shared by the graphs of one call."""

from __future__ import annotations

import pytest

from deepfake_kg.store import EmbeddedStore, Store

pytest_plugins = ("test_api_support",)

G = "https://w3id.org/deepfake-kg/graph/test/writes-"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def target(request) -> Store:
    if request.param == "embedded":
        store = EmbeddedStore(None)
        yield store
        store.close()
        return
    virtuoso = request.getfixturevalue("virtuoso")
    store = virtuoso.store()
    yield store
    store.replace_graphs({}, drop=[f"{G}{name}" for name in ("log", "case", "case-derived", "blank", "blank-b")])
    store.close()


def objects(store: Store, graph: str) -> list[str]:
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> ?o }} }}")
    return sorted(str(row["o"]) for row in rows)


def count(store: Store, graph: str) -> int:
    return int(store.select(COUNT.format(graph=graph))[0]["n"])


def test_add_appends_and_remove_deletes_only_the_given_triples(target):
    log = f"{G}log"
    target.replace_graphs({log: '<urn:x:a> <urn:x:p> "1" .\n<urn:x:a> <urn:x:p> "2" .'})
    target.replace_graphs({}, add={log: '<urn:x:a> <urn:x:p> "3" .'})
    assert objects(target, log) == ["1", "2", "3"]
    target.replace_graphs({f"{G}case": "<urn:x:a> <urn:x:p> <urn:x:c> ."}, add={log: '<urn:x:a> <urn:x:p> "4" .'},
                          remove={log: '<urn:x:a> <urn:x:p> "1" .'})
    assert objects(target, log) == ["2", "3", "4"]
    assert objects(target, f"{G}case") == ["urn:x:c"]


def test_a_failing_write_changes_nothing(target):
    case = f"{G}case"
    target.replace_graphs({case: "<urn:x:a> <urn:x:p> <urn:x:c> ."})
    with pytest.raises(ValueError, match="blank nodes"):
        target.replace_graphs({case: "<urn:x:a> <urn:x:p> <urn:x:d> ."}, remove={f"{G}log": "_:b <urn:x:p> <urn:x:c> ."})
    assert objects(target, case) == ["urn:x:c"]


def test_blank_nodes_are_fresh_per_write(target):
    blank = f"{G}blank"
    for value in ("one", "two"):
        target.replace_graphs({}, add={blank: f'_:b <urn:x:q> "{value}" .\n_:b <urn:x:r> "{value}" .'})
    rows = target.select(f"SELECT ?q ?r WHERE {{ GRAPH <{blank}> {{ ?b <urn:x:q> ?q ; <urn:x:r> ?r }} }}")
    assert sorted((str(row["q"]), str(row["r"])) for row in rows) == [("one", "one"), ("two", "two")]


def test_the_embedded_store_shares_a_blank_node_between_the_graphs_of_one_write():
    """As one INSERT DATA request would (the remote store inserts each graph's blank nodes apart: not tested there)."""
    store = EmbeddedStore(None)
    blank, other = f"{G}blank", f"{G}blank-b"
    for value in ("one", "two"):
        store.replace_graphs({}, add={blank: f'_:b <urn:x:q> "{value}" .', other: f'_:b <urn:x:r> "{value}" .'})
    rows = store.select(f"SELECT ?q ?r WHERE {{ GRAPH <{blank}> {{ ?b <urn:x:q> ?q }} GRAPH <{other}> {{ ?b <urn:x:r> ?r }} }}")
    assert sorted((str(row["q"]), str(row["r"])) for row in rows) == [("one", "one"), ("two", "two")]
    store.close()


def test_the_embedded_store_counts_one_write_per_call(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    try:
        before = store.generation
        store.replace_graphs({f"{G}case": "<urn:x:a> <urn:x:p> <urn:x:c> ."}, add={f"{G}log": '<urn:x:a> <urn:x:p> "1" .'})
        store.replace_graphs({f"{G}case": "<urn:x:a> <urn:x:p> <urn:x:d> ."}, remove={f"{G}log": '<urn:x:a> <urn:x:p> "1" .'})
        assert store.generation == before + 2
        assert store.changed_since(before) == frozenset({f"{G}case", f"{G}log"})
    finally:
        store.close()
