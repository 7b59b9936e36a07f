"""Loading case records: unreadable input, all or nothing, replacement on reload, provenance, shipped cases."""

from __future__ import annotations

import hashlib
import shutil
import socket
from pathlib import Path

import pytest

from deepfake_kg.cli import app
from deepfake_kg.entailments import case_entailments_graph
from deepfake_kg.loaders import shipped
from deepfake_kg.loaders.read import read_file
from deepfake_kg.namespaces import PROVENANCE_GRAPH, case_graph
from deepfake_kg.store import EmbeddedStore

CASES = Path(__file__).parent / "data" / "cases"
UNREADABLE = CASES / "unreadable"



def dump(data_dir: Path) -> set[str]:
    store = EmbeddedStore(data_dir)
    try:
        return set(store.dump().decode().splitlines())
    finally:
        store.close()


def select(data_dir: Path, query: str) -> list[dict]:
    store = EmbeddedStore(data_dir)
    try:
        return store.select(query)
    finally:
        store.close()


@pytest.mark.parametrize("name, where", [
    ("badutf8.csv", "line 2, column 6"),
    ("quoting.csv", "line 2, column"),
    ("malformed.json", "line 2, column 11"),
    ("syntax.ttl", "line 3 column 12"),
    ("column.csv", "line 1, column 3: unknown column 'colour'"),
    ("empty.csv", "the file is empty"),
    ("json.csv", "holds JSON, not CSV"),
    ("image.csv", "line 1, column 1"),
    ("notes.txt", "cannot tell the file type"),
    ("entity.rdf", "DOCTYPE or ENTITY declaration is refused"),
    ("remote.jsonld", "remote @context 'http://127.0.0.1:9/context.jsonld' is refused"),
    ("path.jsonld", "remote @context '../context.jsonld' is refused"),
])
def test_unreadable_input_exits_2_with_one_located_sentence(runner, kb_dir, name, where):
    before = dump(kb_dir)
    result = runner.invoke(app, ["load", str(UNREADABLE / name), "--data-dir", str(kb_dir)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and where in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert dump(kb_dir) == before


def test_remote_context_is_never_fetched(runner, kb_dir, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the loader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = runner.invoke(app, ["validate", str(UNREADABLE / "remote.jsonld"), "--data-dir", str(kb_dir)])
    assert result.exit_code == 2 and "refused" in result.stderr


def test_invalid_batch_leaves_the_store_exactly_as_it_was(runner, kb_dir):
    before = dump(kb_dir)
    result = runner.invoke(app, ["load", str(CASES / "valid.csv"), str(CASES / "violations.csv"), "--data-dir", str(kb_dir)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.stderr
    assert dump(kb_dir) == before


def test_load_stores_each_case_in_its_graph_with_provenance(runner, kb_dir):
    result = runner.invoke(app, ["load", str(CASES / "valid.json"), "--submitter", "Test Submitter", "--data-dir", str(kb_dir)])
    assert result.exit_code == 0, result.output
    rows = select(kb_dir, f"""SELECT ?title WHERE {{ GRAPH <{case_graph('test-002')}> {{
        <https://w3id.org/deepfake-kg/id/case/test-002> <http://purl.org/dc/terms/title> ?title }} }}""")
    assert [str(row["title"]) for row in rows] == ["Synthetic test record: cloned voice used in a payment fraud"]
    digest = hashlib.sha256((CASES / "valid.json").read_bytes()).hexdigest()
    rows = select(kb_dir, f"""PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT ?name ?who ?when WHERE {{
          GRAPH <{case_graph('test-002')}> {{ ?g prov:wasGeneratedBy ?batch }}
          GRAPH <{PROVENANCE_GRAPH}> {{ ?batch a dfk:SubmissionBatch ; prov:used ?file ; prov:startedAtTime ?when ;
                                         prov:wasAssociatedWith/<http://www.w3.org/2000/01/rdf-schema#label> ?who .
                                   ?file dfk:sha256 "{digest}" ; dfk:fileName ?name }} }}""")
    assert [(str(r["name"]), str(r["who"])) for r in rows] == [("valid.json", "Test Submitter")]


def test_reload_replaces_a_case_without_duplicates_or_orphans(runner, kb_dir, tmp_path):
    first = runner.invoke(app, ["load", str(CASES / "valid.csv"), "--data-dir", str(kb_dir)])
    assert first.exit_code == 0, first.output
    changed = tmp_path / "changed.csv"
    text = (CASES / "valid.csv").read_text()
    changed.write_text(text.replace("Synthetic test record: nudify app images", "Renamed synthetic record")
                       .replace("create;possess,facial;body", "possess,body"))
    second = runner.invoke(app, ["load", str(changed), "--data-dir", str(kb_dir)])
    assert second.exit_code == 0, second.output
    case = "https://w3id.org/deepfake-kg/id/case/test-003"
    rows = select(kb_dir, f"SELECT ?p ?o WHERE {{ <{case}> ?p ?o }}")
    values = sorted(str(row["o"]) for row in rows if str(row["p"]).endswith(("title", "hasAct", "hasBiometricCategory")))
    assert values == ["Renamed synthetic record", "https://w3id.org/deepfake-kg/ontology/BodyBiometric",
                      "https://w3id.org/deepfake-kg/ontology/Possess"]
    graphs = select(kb_dir, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{case}> ?p ?o }} }}")
    assert {str(row["g"]) for row in graphs} == {case_graph("test-003"), case_entailments_graph(case_graph("test-003"))}
    stale = select(kb_dir, f"""SELECT ?g WHERE {{ GRAPH ?g {{ <{case}> ?p ?o }}
        FILTER (STR(?o) IN ("Synthetic test record: nudify app images", "https://w3id.org/deepfake-kg/ontology/Create")) }}""")
    assert stale == []  # nothing of the replaced version is left, derived graphs included
    rows = select(kb_dir, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{case_graph('test-003')}> {{ ?s ?p ?o }} }}")
    assert int(rows[0]["n"]) == len(read_file(changed).records[2].triples) + 1  # the record's triples and the link to its batch


def test_shipped_case_files_load_on_first_use_and_not_again(tmp_path, monkeypatch):
    kb = tmp_path / "kb"
    (kb / "cases").mkdir(parents=True)
    shutil.copy(CASES / "valid.csv", kb / "cases" / "curated.csv")
    monkeypatch.setattr(shipped, "KB_DIR", kb)
    store = EmbeddedStore(tmp_path / "store")
    assert store.ensure_loaded() is True
    assert {case_graph(f"test-00{n}") for n in (1, 2, 3)} <= set(store.graph_names())
    store.close()
    again = EmbeddedStore(tmp_path / "store")
    assert again.ensure_loaded() is False
    (kb / "cases" / "curated.csv").write_text("\n".join((CASES / "valid.csv").read_text().splitlines()[:2]) + "\n")
    assert again.ensure_loaded() is True
    names = again.graph_names()
    assert case_graph("test-001") in names and case_graph("test-003") not in names
    again.close()
