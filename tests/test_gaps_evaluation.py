"""Evaluating a store a slice of case graphs at a time, and re-judging only what a write changed, gives the findings a
fresh evaluation of the whole store gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from deepfake_kg.gaps import evaluation, find_gaps
from deepfake_kg.gaps.findings import ordered
from deepfake_kg.gaps.working import Scenario
from deepfake_kg.namespaces import GRAPH, KB_GRAPH, ONTOLOGY_GRAPH, case_graph
from deepfake_kg.paths import ontology_files
from deepfake_kg.store import EmbeddedStore
from test_gaps import CASES
from test_gaps_law import LAW, PREFIXES, SCOPE_RULES, case_turtle, make_store

LAW_GRAPH = f"{GRAPH}test-law"


def ntriples(quads) -> str:
    return "\n".join(f"{quad.subject} {quad.predicate} {quad.object} ." for quad in quads)


def turtle_ntriples(text: str) -> str:
    return ntriples(ox.parse(PREFIXES + text, format=ox.RdfFormat.TURTLE))


def case_graphs(cases: dict[str, dict]) -> dict[str, str]:
    return {case_graph(case_id): turtle_ntriples(case_turtle(case_id, **fields)) for case_id, fields in cases.items()}


def comparable(findings: list[dict]) -> set[tuple]:
    """What a finding says, without the order of clauses inside its explanation (GROUP_CONCAT has none); the
    provisions it cites come sorted, whatever else the store holds."""
    return {(f["gap"], f["kind"], f["case"], f["jurisdiction"], tuple(f["provisions"]),
             tuple(sorted(f["explanation"].replace("(", " ").replace(")", " ").replace(";", " ").split())))
            for f in findings}


def fresh(store: EmbeddedStore) -> set[tuple]:
    """The findings of a whole new evaluation, sharing nothing with earlier ones."""
    judged = evaluation.evaluate_all(store, Scenario(), state=None).findings()
    return comparable([finding.as_dict() for finding in ordered(judged)])


@pytest.fixture
def journaled() -> EmbeddedStore:
    """The made-up law in a graph of its own and each test case in its case graph, all written through the journal."""
    store = EmbeddedStore(None)
    ontology = [quad for path in ontology_files() for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    rules = [quad for path in SCOPE_RULES for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    store.replace_graphs({str(ONTOLOGY_GRAPH): ntriples(ontology), str(KB_GRAPH): ntriples(rules),
                          LAW_GRAPH: turtle_ntriples(LAW.removeprefix(PREFIXES)),
                          **case_graphs(CASES)})
    yield store
    store.close()


@pytest.fixture
def judged_graphs(monkeypatch) -> list[str]:
    """The case graphs each evaluation judges, in order."""
    seen: list[str] = []
    judge = evaluation.judge_slice

    def counting(store, context, scenario, graphs):
        seen.extend(graphs)
        return judge(store, context, scenario, graphs)

    monkeypatch.setattr(evaluation, "judge_slice", counting)
    return seen


def test_case_graphs_and_loose_cases_give_the_same_findings(journaled):
    loose = make_store(LAW, *(case_turtle(case_id, **fields) for case_id, fields in CASES.items()))
    assert comparable(find_gaps(journaled)) == comparable(find_gaps(loose)) != set()
    loose.close()


def test_slices_on_threads_give_the_findings_of_one_slice(journaled, monkeypatch):
    whole = comparable(find_gaps(journaled))
    monkeypatch.setattr(evaluation, "SLICE_SIZE", 3)
    sliced = fresh(journaled)
    assert sliced == whole
    assert len({f[2] for f in sliced}) > 3 * 2  # more cases than two slices hold
    assert all(list(f[4]) == sorted(f[4]) for f in sliced) and any(len(f[4]) > 1 for f in sliced)


def test_an_unchanged_store_is_not_judged_again(journaled, judged_graphs):
    first = find_gaps(journaled)
    assert len(judged_graphs) == len(CASES)
    assert find_gaps(journaled) == first
    assert len(judged_graphs) == len(CASES)


def test_a_new_case_is_judged_alone(journaled, judged_graphs):
    find_gaps(journaled)
    journaled.replace_graphs(case_graphs({"late-gait": {"biometric_data": ["gait"], "data_source": "stolen"}}))
    after = find_gaps(journaled)
    assert judged_graphs[len(CASES):] == [case_graph("late-gait")]
    assert "unprotected-biometric-category" in {f["gap"] for f in after if f["case_id"] == "late-gait"}
    assert comparable(after) == fresh(journaled)


def test_a_replaced_case_is_judged_on_its_new_facts(journaled):
    before = find_gaps(journaled)
    assert "threshold-under-inclusion" not in {f["gap"] for f in before if f["case_id"] == "above-threshold"}
    journaled.replace_graphs(case_graphs({"above-threshold": {"content_type": ["sexual"], "views": 1000, "reposts": 10}}))
    after = find_gaps(journaled)
    assert {f["gap"] for f in after if f["case_id"] == "above-threshold"} == \
           {f["gap"] for f in before if f["case_id"] == "below-threshold"}
    assert comparable(after) == fresh(journaled)


def test_a_deleted_case_leaves_no_findings(journaled):
    assert any(f["case_id"] == "gait" for f in find_gaps(journaled))
    journaled.replace_graphs({}, drop=[case_graph("gait")])
    after = find_gaps(journaled)
    assert not any(f["case_id"] == "gait" for f in after)
    assert comparable(after) == fresh(journaled)


def test_a_change_of_law_judges_every_case_again(journaled, judged_graphs):
    before = find_gaps(journaled)
    journaled.replace_graphs({LAW_GRAPH: ""})
    after = find_gaps(journaled)
    assert len(judged_graphs) == 2 * len(CASES)
    assert {f["gap"] for f in before} - {"unmodeled-jurisdiction"}
    assert {f["gap"] for f in after} == {"unmodeled-jurisdiction"}
    assert comparable(after) == fresh(journaled)


def test_taking_the_raw_store_counts_as_a_write_to_any_graph(journaled, judged_graphs):
    find_gaps(journaled)
    generation = journaled.generation
    journaled.oxigraph.load(PREFIXES + case_turtle("raw-gait", biometric_data=["gait"], data_source="stolen"),
                            format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(case_graph("raw-gait")))
    assert journaled.changed_since(generation) is None
    after = find_gaps(journaled)
    assert "unprotected-biometric-category" in {f["gap"] for f in after if f["case_id"] == "raw-gait"}
    assert len(judged_graphs) == 2 * len(CASES) + 1


class Unjournaled:
    """A store that does not count its writes (as a remote store): only its select/construct/graph_names are used."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.inner = store

    def select(self, query):
        return self.inner.select(query)

    def construct(self, query):
        return self.inner.construct(query)

    def graph_names(self):
        return self.inner.graph_names()


def test_a_store_without_a_journal_is_judged_again_when_its_graphs_change(journaled, judged_graphs):
    unjournaled = Unjournaled(journaled)
    first = find_gaps(unjournaled)
    assert find_gaps(unjournaled) == first and len(judged_graphs) == len(CASES)
    journaled.replace_graphs(case_graphs({"late-gait": {"biometric_data": ["gait"], "data_source": "stolen"}}))
    assert any(f["case_id"] == "late-gait" for f in find_gaps(unjournaled))
    assert len(judged_graphs) == 2 * len(CASES) + 1
