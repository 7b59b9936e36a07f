"""Loading writes, in one transaction, each case with its entailments and appends the batch's provenance: the
entailments equal a recomputation over the whole store, and history is never read back or rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, case_entailments_graph, refresh_entailments, store_entailments
from deepfake_kg.loaders.aiid import read_aiid, store_drafts
from deepfake_kg.loaders.load import load_batches
from deepfake_kg.loaders.read import read_bytes, read_file
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.namespaces import PROVENANCE_GRAPH, case_graph
from deepfake_kg.store import EmbeddedStore

CASES = Path(__file__).parent / "data" / "cases"
EXTRACT = Path(__file__).parent / "data" / "aiid" / "incidents-deepfake-extract.csv"


class RecordingStore(EmbeddedStore):
    """The embedded store, keeping the text of every read query it answers."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.queries: list[str] = []

    def construct(self, query: str) -> bytes:
        self.queries.append(query)
        return super().construct(query)

    def select(self, query: str):
        self.queries.append(query)
        return super().select(query)

    def ask(self, query: str) -> bool:
        self.queries.append(query)
        return super().ask(query)


@pytest.fixture(scope="module")
def template(kb_dir, tmp_path_factory) -> Path:
    """The test KB store with every entailment computed once (what `open_store` does on first use)."""
    folder = tmp_path_factory.mktemp("entailed") / "store"
    shutil.copytree(kb_dir, folder)
    store = EmbeddedStore(folder)
    refresh_entailments(store)
    store.close()
    return folder


@pytest.fixture
def store(template, tmp_path) -> RecordingStore:
    shutil.copytree(template, tmp_path / "store")
    opened = RecordingStore(tmp_path / "store")
    yield opened
    opened.close()


def load(store: EmbeddedStore, path: Path | None = None, *, data: bytes | None = None, name: str = "", who: str = "tester"):
    batch = read_file(path) if path else read_bytes(data, name)
    report = validate_batches([batch], store, workers=1)
    assert report.conforms, [problem.message for problem in report.problems]
    return load_batches(report, store, submitter=who)


def lines(store: EmbeddedStore, graph: str) -> set[str]:
    text = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").decode()
    return {line for line in text.splitlines() if line.strip()}


def assert_entailments_as_recomputed(store: EmbeddedStore) -> None:
    shared, cases = store_entailments(store)
    assert lines(store, ENTAILMENTS_GRAPH) == set(shared.splitlines())
    for graph, text in cases.items():
        assert lines(store, case_entailments_graph(graph)) == set(text.splitlines()), graph
    stored = {str(row["g"]) for row in store.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/deepfake-kg/graph/entailments/case/')) }")}
    assert stored == {case_entailments_graph(graph) for graph in cases}, "an entailments graph without its case"


def test_a_load_is_one_write_holding_each_case_with_its_entailments(store):
    before = store.generation
    written = load(store, CASES / "valid.csv")
    assert store.generation == before + 1, "cases, entailments and provenance are written in one transaction"
    for graph in written:
        entailed = lines(store, case_entailments_graph(graph))
        assert any("<http://www.w3.org/ns/prov#Entity>" in line for line in entailed), graph
    assert_entailments_as_recomputed(store)


def test_reloading_a_changed_case_leaves_only_the_new_entailments(store):
    load(store, CASES / "valid.csv")
    text = (CASES / "valid.csv").read_text()
    changed = text.replace("create;possess,facial;body", "possess,body")
    load(store, data=changed.encode(), name="changed.csv")
    entailed = lines(store, case_entailments_graph(case_graph("test-003")))
    assert not any("FacialPrint" in line for line in entailed), "an entailment of the replaced version is left"
    assert_entailments_as_recomputed(store)


def test_draft_imports_and_loads_keep_entailments_equal_to_a_recomputation(store):
    for _ in range(2):
        store_drafts(read_aiid(EXTRACT.read_bytes(), EXTRACT.name), store, "importer")
    load(store, CASES / "valid.json")
    assert_entailments_as_recomputed(store)


def test_two_batches_keep_both_provenances_appended_without_reading_history(store):
    load(store, CASES / "valid.csv", who="first submitter")
    earlier = lines(store, str(PROVENANCE_GRAPH))
    store.queries.clear()
    load(store, CASES / "valid.json", who="second submitter")
    assert store.queries and not any(str(PROVENANCE_GRAPH) in query for query in store.queries), \
        "the load read the provenance graph"
    after = lines(store, str(PROVENANCE_GRAPH))
    assert earlier < after
    assert len(after) == len(earlier) + 11  # one file's 10 PROV-O statements and the new submitter's name
    rows = store.select(f"""SELECT ?name ?who WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{
        ?batch <http://www.w3.org/ns/prov#used>/<https://w3id.org/deepfake-kg/ontology/fileName> ?name ;
               <http://www.w3.org/ns/prov#wasAssociatedWith>/<http://www.w3.org/2000/01/rdf-schema#label> ?who }} }}""")
    assert sorted((str(row["name"]), str(row["who"])) for row in rows) == [
        ("valid.csv", "first submitter"), ("valid.json", "second submitter")]
