"""Evaluate every case of a store, a slice of case graphs at a time, and keep the findings while the store is unchanged.

Each case is judged on its own facts and the law, so the cases of one case graph can be judged beside any other
cases. The store's case graphs are split into slices, each slice judged in a working dataset of its own (the law
plus that slice, on as many threads as there are cores), and the findings kept per case graph. When the store
journals its writes, a later report re-judges only the case graphs written since; a write to any other graph
(the law, the ontology) re-judges everything.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from deepfake_kg.gaps.findings import Finding, ordered, run_all
from deepfake_kg.gaps.working import Scenario, build, graph_cases, graph_triples, is_case_graph, is_context_graph
from deepfake_kg.store import Store

logger = logging.getLogger(__name__)
SLICE_SIZE = 2000  # case graphs per working dataset: big enough to amortise loading the law, small enough to stay in cache
SCENARIOS_KEPT = 4
FINGERPRINT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@dataclass
class Evaluation:
    """The findings of one store under one scenario, as of one state of the store."""

    state: object
    context: bytes
    loose: list[Finding] = field(default_factory=list)  # findings on cases kept outside case graphs
    by_graph: dict[str, tuple[frozenset[str], list[Finding]]] = field(default_factory=dict)  # graph -> (cases, findings)
    report: list[Finding] | None = None  # every finding, once per key, in report order (None: to be made again)

    def findings(self) -> list[Finding]:
        if self.report is None:
            self.report = ordered([finding for _, found in self.by_graph.values() for finding in found] + self.loose)
        return self.report


_evaluations: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> OrderedDict(scenario key -> Evaluation)
_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> lock held while evaluating
_locks_lock = threading.Lock()


def store_state(store: Store) -> object:
    """The store's write generation if it journals writes, else a digest of every graph's size."""
    generation = getattr(store, "generation", None)
    if generation is not None:
        return generation
    digest = hashlib.sha256()
    for row in store.select(FINGERPRINT_QUERY):
        digest.update(f"{row['g']} {row['n']}\n".encode())
    return digest.hexdigest()


def judge_slice(store: Store, context: bytes, scenario: Scenario, graphs: Sequence[str]) -> dict[str, tuple[frozenset[str], list[Finding]]]:
    """Judge the cases of some case graphs together; each graph's cases and the findings on them."""
    cases = graph_cases(store, graphs)
    owner = {case: graph for graph, held in cases.items() for case in held}
    found: dict[str, list[Finding]] = {graph: [] for graph in cases}
    for finding in run_all(build(context, graph_triples(store, list(cases)), scenario)):
        if finding.case in owner:
            found[owner[finding.case]].append(finding)
    return {graph: (frozenset(cases[graph]), found[graph]) for graph in cases}


def judge_graphs(store: Store, context: bytes, scenario: Scenario, graphs: Sequence[str]) -> dict[str, tuple[frozenset[str], list[Finding]]]:
    """Judge the cases of many case graphs, a slice per working dataset, the slices on parallel threads."""
    slices = [graphs[start:start + SLICE_SIZE] for start in range(0, len(graphs), SLICE_SIZE)]
    judged: dict[str, tuple[frozenset[str], list[Finding]]] = {}
    if len(slices) == 1:
        judged.update(judge_slice(store, context, scenario, slices[0]))
    elif slices:
        with ThreadPoolExecutor(max_workers=min(len(slices), os.cpu_count() or 1)) as pool:
            for result in pool.map(lambda part: judge_slice(store, context, scenario, part), slices):
                judged.update(result)
    return judged


def judge_loose(evaluation: Evaluation, scenario: Scenario) -> None:
    """Findings on case records kept in context graphs (not in a case graph of their own)."""
    in_case_graphs = {case for cases, _ in evaluation.by_graph.values() for case in cases}
    evaluation.loose = [finding for finding in run_all(build(evaluation.context, b"", scenario))
                        if finding.case not in in_case_graphs]


def evaluate_all(store: Store, scenario: Scenario, state: object) -> Evaluation:
    names = store.graph_names()
    evaluation = Evaluation(state, graph_triples(store, [name for name in names if is_context_graph(name)]))
    evaluation.by_graph = judge_graphs(store, evaluation.context, scenario, [name for name in names if is_case_graph(name)])
    judge_loose(evaluation, scenario)
    return evaluation


def refresh(store: Store, evaluation: Evaluation, scenario: Scenario, state: object) -> bool:
    """Re-judge only the case graphs written since the evaluation; False when that cannot be known or is not enough."""
    changed_since = getattr(store, "changed_since", None)
    if changed_since is None:
        return evaluation.state == state
    changed = changed_since(evaluation.state)
    if changed is None or any(is_context_graph(graph) for graph in changed):
        return False
    graphs = sorted(graph for graph in changed if is_case_graph(graph))
    if graphs:
        evaluation.report = None
    for graph in graphs:
        evaluation.by_graph.pop(graph, None)
    evaluation.by_graph.update(judge_graphs(store, evaluation.context, scenario, graphs))
    if graphs:
        judge_loose(evaluation, scenario)
    evaluation.state = state
    return True


def evaluate(store: Store, scenario: Scenario = Scenario()) -> list[Finding]:
    """Every finding on every case of the store under the scenario, once per key, in report order (do not modify)."""
    with _locks_lock:
        lock = _locks.setdefault(store, threading.Lock())
    with lock:
        state = store_state(store)  # read before the data, so a write during the evaluation is seen next time
        kept = _evaluations.setdefault(store, OrderedDict())
        evaluation = kept.get(scenario.key())
        if evaluation is None or not refresh(store, evaluation, scenario, state):
            evaluation = kept[scenario.key()] = evaluate_all(store, scenario, state)
        kept.move_to_end(scenario.key())
        while len(kept) > SCENARIOS_KEPT:
            kept.popitem(last=False)
        return evaluation.findings()


def warm_up(store: Store) -> None:
    """Evaluate the store's cases now (meant for a background thread), so the first report is served warm.

    Only for stores that journal their writes: another store's report is judged afresh after any change anyway.
    """
    if getattr(store, "changed_since", None) is None:
        return
    try:
        evaluate(store)
    except Exception as error:  # noqa: BLE001 - whoever asks for the report next gets the same error, located
        logger.warning("gap detection could not evaluate the store in advance: %s", error)
