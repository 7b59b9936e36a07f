"""`deepfake-kg export`: each format read back is the same graph as the one in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef

from deepfake_kg.cli import app
from deepfake_kg.namespaces import GRAPH, KB_GRAPH, case_graph
from deepfake_kg.paths import kb_files, ontology_files
from deepfake_kg.store import EmbeddedStore

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
CASE_ID = "export-test-1"
CASE_TRIPLES = f"""
<https://w3id.org/deepfake-kg/id/case/{CASE_ID}> a <https://w3id.org/deepfake-kg/ontology/CaseRecord> ;
    <https://w3id.org/deepfake-kg/ontology/caseId> "{CASE_ID}" ;
    <http://purl.org/dc/terms/title> "Zhang v. Li (invented for an export test)"@en ;
    <https://w3id.org/deepfake-kg/ontology/viewCount> "5000"^^<http://www.w3.org/2001/XMLSchema#integer> ;
    <https://w3id.org/deepfake-kg/ontology/actDate> "2024-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> ;
    <https://w3id.org/deepfake-kg/ontology/hasAct> <https://w3id.org/deepfake-kg/ontology/Disseminate> ;
    <https://w3id.org/deepfake-kg/ontology/hasParticipation> [
        <https://w3id.org/deepfake-kg/ontology/hasRole> <https://w3id.org/deepfake-kg/ontology/Victim> ] .
"""


def read_turtle(paths) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def canonical(triples) -> ox.Dataset:
    """Triples in the default graph with blank nodes canonically renamed (RDFC in Rust: rdflib's is too slow here)."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def from_rdflib(graph: Graph) -> ox.Dataset:
    return canonical(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


def same_graph(left: Graph, right: Graph | ox.Dataset) -> bool:
    """Isomorphism of two graphs (blank nodes matched by structure)."""
    return from_rdflib(left) == (right if isinstance(right, ox.Dataset) else from_rdflib(right))


def stored(data_dir: Path, keep) -> ox.Dataset:
    """The triples of the named graphs `keep` accepts, read from the store's own N-Quads dump (not by export)."""
    store = EmbeddedStore(data_dir)
    try:
        quads = list(ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS))
    finally:
        store.close()
    return canonical(q.triple for q in quads if isinstance(q.graph_name, ox.NamedNode) and keep(q.graph_name.value))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A store with the shipped graphs and one contributed case graph (closed again, so the CLI can open it)."""
    folder = tmp_path_factory.mktemp("export") / "store"
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    store.replace_graphs({case_graph(CASE_ID): Graph().parse(data=CASE_TRIPLES, format="turtle").serialize(format="nt")})
    store.close()
    return folder


def export(runner, data_dir: Path, output: Path, *options: str) -> Graph:
    result = runner.invoke(app, ["export", *options, "--data-dir", str(data_dir), "--output", str(output)])
    assert result.exit_code == 0, result.output
    fmt = options[options.index("--format") + 1] if "--format" in options else "ttl"
    return Graph().parse(output, format=RDFLIB_FORMATS[fmt])


def is_case_graph(name: str) -> bool:
    return name.startswith(f"{GRAPH}case/")


def test_comparison_sees_a_changed_blank_node():
    graph = Graph().parse(data=CASE_TRIPLES, format="turtle")
    changed = Graph().parse(data=CASE_TRIPLES.replace("ontology/Victim", "ontology/Perpetrator"), format="turtle")
    assert same_graph(graph, Graph().parse(data=CASE_TRIPLES, format="turtle"))
    assert not same_graph(graph, changed)


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_ontology_round_trips_in_every_format(runner, data_dir, tmp_path, fmt):
    exported = export(runner, data_dir, tmp_path / f"ontology.{fmt}", "--what", "ontology", "--format", fmt)
    assert same_graph(exported, read_turtle(ontology_files()))


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_case_graphs_round_trip_in_every_format(runner, data_dir, tmp_path, fmt):
    exported = export(runner, data_dir, tmp_path / f"cases.{fmt}", "--what", "cases", "--format", fmt)
    assert same_graph(exported, stored(data_dir, is_case_graph))
    case = URIRef(f"https://w3id.org/deepfake-kg/id/case/{CASE_ID}")
    written = Graph().parse(data=CASE_TRIPLES, format="turtle")
    assert len(list(exported.triples((case, None, None)))) == len(list(written.triples((case, None, None))))
    assert isinstance(exported.value(case, URIRef("https://w3id.org/deepfake-kg/ontology/hasParticipation")), BNode)


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_knowledge_base_round_trips(runner, data_dir, tmp_path, fmt):
    exported = export(runner, data_dir, tmp_path / f"kb.{fmt}", "--what", "kb", "--format", fmt)
    assert len(exported) > 0
    assert same_graph(exported, stored(data_dir, lambda name: name == str(KB_GRAPH)))


def test_all_is_every_graph_but_the_store_bookkeeping(runner, data_dir, tmp_path):
    exported = export(runner, data_dir, tmp_path / "all.rdf", "--what", "all", "--format", "rdfxml")
    assert same_graph(exported, stored(data_dir, lambda name: name != str(GRAPH["meta"])))
    assert len(exported) > len(read_turtle(ontology_files()))


def test_json_ld_carries_its_context_inline(runner, data_dir, tmp_path):
    output = tmp_path / "ontology.jsonld"
    export(runner, data_dir, output, "--what", "ontology", "--format", "jsonld")
    document = json.loads(output.read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert document["@context"]["dfk"] == "https://w3id.org/deepfake-kg/ontology/"


def test_standard_output_by_default(runner, data_dir):
    result = runner.invoke(app, ["export", "--what", "cases", "--format", "nt", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert same_graph(Graph().parse(data=result.stdout, format="nt"), stored(data_dir, is_case_graph))


def test_unwritable_output_is_one_sentence_and_exit_2(runner, data_dir, tmp_path):
    target = tmp_path / "missing-folder" / "out.ttl"
    result = runner.invoke(app, ["export", "--what", "cases", "--data-dir", str(data_dir), "--output", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("deepfake-kg: cannot write")
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(runner, data_dir):
    result = runner.invoke(app, ["export", "--format", "rdfa", "--data-dir", str(data_dir)])
    assert result.exit_code == 2
