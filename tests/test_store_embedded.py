"""The embedded store: filled on first use, reopened without reloading, atomic graph writes."""

import pytest

from deepfake_kg.namespaces import KB_GRAPH, ONTOLOGY_GRAPH
from deepfake_kg.store import EmbeddedStore


def test_first_use_loads_ontology_graph(store):
    assert str(ONTOLOGY_GRAPH) in store.graph_names()
    assert store.ask("ASK { <https://w3id.org/deepfake-kg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> }")


def test_reopen_does_not_reload(data_dir, store):
    store.close()
    again = EmbeddedStore(data_dir)
    assert again.ensure_loaded() is False
    again.close()


def test_replace_graphs_swaps_whole_graph(store):
    graph = "https://w3id.org/deepfake-kg/graph/case/t1"
    store.replace_graphs({graph: "<urn:a> <urn:p> <urn:b> . <urn:a> <urn:p> <urn:c> ."})
    store.replace_graphs({graph: "<urn:a> <urn:p> <urn:d> ."})
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <urn:a> <urn:p> ?o }} }}")
    assert [str(row["o"]) for row in rows] == ["urn:d"]


def test_failed_update_changes_nothing(store):
    before = store.dump()
    with pytest.raises(SyntaxError):
        store.replace_graphs({"urn:g": "<urn:a> <urn:p> <urn:b> ."}, drop=[str(KB_GRAPH)])
        store.replace_graphs({"urn:g": "<urn:a> <urn:p> \"unterminated ."}, drop=[str(KB_GRAPH)])
    assert store.dump() != before  # the first call did drop the KB graph
    kept = store.dump()
    with pytest.raises(SyntaxError):
        store.replace_graphs({"urn:h": "<urn:a> <urn:p> \"unterminated ."}, drop=[str(ONTOLOGY_GRAPH)])
    assert store.dump() == kept
