"""A staged load (the command line's, for runs of thousands of new cases) stores exactly what one transaction stores,
and stages that no commit confirmed are dropped: at once when the load fails, or when the store is next opened after a
crash."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from deepfake_kg.loaders import load as loading
from deepfake_kg.loaders.load import load_batches
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.validate import Report, validate_batches
from deepfake_kg.namespaces import case_graph
from deepfake_kg.store import EmbeddedStore, StoreError
from deepfake_kg.store.embedded import StagedLoad
from tests.test_load_provenance import assert_entailments_as_recomputed, template  # noqa: F401 (a fixture)

HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,decision_date,provisions_applied\n"
ROW = ("staged-{n},{title} {n},CN,2024-0{month}-1{day},create;disseminate,facial,public_online,https://example.org/{n},"
       "2025-01-01,{cited}\n")
RECORDS = 250
STORED_BEFORE = 60  # the first cases of the run are stored already, in an earlier version
STAGE_LISTS = ("ASK { GRAPH <https://w3id.org/deepfake-kg/graph/meta> "
               "{ ?load <https://w3id.org/deepfake-kg/ontology/stagedGraphs> ?graphs } }")


def run_csv(count: int, title: str) -> bytes:
    rows = [ROW.format(n=n, title=title, month=1 + n % 9, day=n % 10, cited="test-offence-cn" if n % 3 == 0 else "")
            for n in range(count)]
    return (HEADER + "".join(rows)).encode()


@pytest.fixture(autouse=True)
def small_stages(monkeypatch):
    """Stages of 100 new cases, staged from 40 on, so that a run of a few hundred records has several stages."""
    monkeypatch.setattr(loading, "STAGE_SIZE", 100)
    monkeypatch.setattr(loading, "STAGED_MIN", 40)


def validated(store: EmbeddedStore, count: int, title: str) -> Report:
    report = validate_batches([read_bytes(run_csv(count, title), f"{title}.csv")], store, workers=1)
    assert report.conforms, [problem.message for problem in report.problems[:3]]
    return report


@pytest.fixture
def stores(template, tmp_path) -> tuple[EmbeddedStore, EmbeddedStore]:  # noqa: F811 (the fixture imported above)
    """Two copies of the entailed test store, each holding the same earlier versions of the run's first cases."""
    opened = []
    for name in ("one-transaction", "staged"):
        shutil.copytree(template, tmp_path / name)
        store = EmbeddedStore(tmp_path / name)
        load_batches(validated(store, STORED_BEFORE, "Earlier version"), store, submitter="tester")
        opened.append(store)
    yield tuple(opened)
    for store in opened:
        store.close()


def normalised(store: EmbeddedStore) -> list[str]:
    """The store's quads with what differs between any two loads (batch IRIs, times, blank node labels) blanked."""
    text = store.dump().decode()
    text = re.sub(r"/id/batch/[0-9a-f-]+", "/id/batch/B", text)
    text = re.sub(r'"[0-9T:.+Z-]+"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>', '"T"', text)
    text = re.sub(r"_:[0-9a-z]+", "_:b", text)
    return sorted(text.splitlines())


def count_stages(monkeypatch) -> list[int]:
    sizes: list[int] = []
    add = StagedLoad.add
    monkeypatch.setattr(StagedLoad, "add", lambda stage, graphs: (sizes.append(len(graphs) // 2), add(stage, graphs))[1])
    return sizes


def test_a_staged_load_stores_exactly_what_one_transaction_stores(stores, monkeypatch):
    single, staged = stores
    stages = count_stages(monkeypatch)
    load_batches(validated(single, RECORDS, "Current version"), single, submitter="tester")
    assert stages == [], "a load not asked to stage is one transaction"
    counts: list[int] = []
    written = load_batches(validated(staged, RECORDS, "Current version"), staged, submitter="tester", staged=True,
                           progress=counts.append)
    assert stages == [100, 90], "the new cases go in stages of 100, the stored ones with the commit"
    assert sum(counts) == RECORDS
    assert written == [case_graph(f"staged-{n}") for n in range(RECORDS)]
    assert normalised(staged) == normalised(single)
    assert not staged.ask(STAGE_LISTS), "the commit removes the stages' lists"
    assert_entailments_as_recomputed(staged)


def test_a_few_new_cases_are_not_staged(stores, monkeypatch):
    _, store = stores
    stages = count_stages(monkeypatch)
    load_batches(validated(store, STORED_BEFORE + 39, "Current version"), store, submitter="tester", staged=True)
    assert stages == [], "39 new cases are fewer than STAGED_MIN"


def test_a_failed_commit_drops_the_stages_and_changes_nothing(stores, monkeypatch):
    _, store = stores
    report = validated(store, RECORDS, "Current version")
    before = store.dump()

    def refuse(*args, **kwargs):
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "replace_graphs", refuse)
    with pytest.raises(StoreError, match="disk is full"):
        load_batches(report, store, submitter="tester", staged=True)
    assert store.dump() == before


def test_stages_left_by_a_crash_are_dropped_when_the_store_is_next_opened(stores):
    _, store = stores
    folder: Path = store.path
    before = store.dump()
    stage = store.staged_load()
    stage.add({case_graph("crashed-1"): "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
               case_graph("crashed-2"): "<https://example.org/a> <https://example.org/b> \"d\" .\n"})
    assert store.ask(STAGE_LISTS) and case_graph("crashed-1") in store.graph_names()
    store.close()  # the process ends here without a commit, as in a crash

    reopened = EmbeddedStore(folder)
    try:
        assert reopened.dump() == before
    finally:
        reopened.close()


def test_a_stage_never_writes_into_a_stored_graph(stores):
    _, store = stores
    before = store.dump()
    with pytest.raises(StoreError, match="only writes new graphs"):
        with store.staged_load() as stage:
            stage.add({case_graph("staged-0"): "<https://example.org/a> <https://example.org/b> \"c\" .\n"})
    assert store.dump() == before
