"""Evaluate every case of a store, a slice of case graphs at a time, and keep the findings while the store is unchanged.

Each case is judged on its own facts and the law, so the cases of one case graph can be judged beside any other
cases. The store's case graphs are split into slices, each slice judged in a working dataset of its own (the law
plus that slice, on as many threads as there are cores), and the findings kept per case graph. When the store
journals its writes, a later report re-judges only the case graphs written since; a write to any other graph
(the law, the ontology) re-judges everything.

The default scenario's evaluation is kept apart; those of other scenarios (a date, proposals) are kept beside it,
the few most recently used, and never evict it. Each scenario has its own lock, so judging one never holds up a
report under another. Given a `Limit`, judging a scenario other than the default anew is refused while as many
others are being judged, and stopped between slices once its time is up; nothing half-judged is kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from deepfake_kg.gaps.findings import Finding, ordered, run_all
from deepfake_kg.gaps.working import Scenario, build, graph_cases, graph_triples, is_case_graph, is_context_graph
from deepfake_kg.store import Store

logger = logging.getLogger(__name__)
SLICE_SIZE = 2000  # case graphs per working dataset: big enough to amortise loading the law, small enough to stay in cache
BOUNDED_SLICE_SIZE = 500  # under a time limit: the time is checked between slices, and 500 costs no more than 2000
SCENARIOS_KEPT = 4  # evaluations kept per store besides the default scenario's (each holds every finding)
DEFAULT_KEY = Scenario().key()
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


class EvaluationRefused(Exception):
    """An evaluation under a scenario other than the default was not started, or not finished, within its limit."""


class EvaluationTooLong(EvaluationRefused):
    """Judging took longer than the limit allows; the work was stopped and nothing of it kept."""


class EvaluationBusy(EvaluationRefused):
    """As many evaluations as the limit allows at once are being judged already."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds  # the longest the running ones may still take


@dataclass
class Limit:
    """Bounds on judging anew a scenario other than the default: seconds of work, and how many at once."""

    seconds: float
    at_once: int = 1
    slots: threading.BoundedSemaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slots = threading.BoundedSemaphore(self.at_once)


@dataclass(frozen=True)
class Deadline:
    """When bounded work on one scenario must stop, and what to call that work when it does."""

    at: float
    seconds: float
    what: str

    def check(self) -> None:
        if time.monotonic() >= self.at:
            raise EvaluationTooLong(f"{self.what} took longer than the {self.seconds:g} s allowed and was stopped")


def on_time(deadline: Deadline | None) -> None:
    """Raise EvaluationTooLong if the deadline (if any) has passed."""
    if deadline is not None:
        deadline.check()


@dataclass
class ScenarioLock:
    """One scenario's lock on one store, and how many threads hold or wait for it (dropped when none do)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0


@dataclass
class Kept:
    """A store's evaluations: the default scenario's apart, the others by most recent use; and the scenarios' locks."""

    default: Evaluation | None = None
    others: OrderedDict = field(default_factory=OrderedDict)  # scenario key -> Evaluation, least recently used first
    locks: dict[tuple, ScenarioLock] = field(default_factory=dict)

    def get(self, key: tuple) -> Evaluation | None:
        with _guard:
            if key == DEFAULT_KEY:
                return self.default
            if key in self.others:
                self.others.move_to_end(key)
            return self.others.get(key)

    def put(self, key: tuple, evaluation: Evaluation) -> None:
        with _guard:
            if key == DEFAULT_KEY:
                self.default = evaluation
                return
            self.others[key] = evaluation
            self.others.move_to_end(key)
            while len(self.others) > SCENARIOS_KEPT:
                self.others.popitem(last=False)

    def drop(self, key: tuple) -> None:
        with _guard:
            if key == DEFAULT_KEY:
                self.default = None
            self.others.pop(key, None)

    @contextmanager
    def held(self, key: tuple) -> Iterator[None]:
        """Hold the scenario's lock: one evaluation of a scenario at a time, other scenarios unhindered."""
        with _guard:
            entry = self.locks.setdefault(key, ScenarioLock())
            entry.users += 1
        try:
            with entry.lock:
                yield
        finally:
            with _guard:
                entry.users -= 1
                if not entry.users:
                    del self.locks[key]


_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> Kept
_guard = threading.Lock()  # over _kept and every Kept's contents


def kept_of(store: Store) -> Kept:
    with _guard:
        return _kept.setdefault(store, Kept())


def store_state(store: Store) -> object:
    """The store's write generation if it journals writes, else a digest of every graph's size."""
    generation = getattr(store, "generation", None)
    if generation is not None:
        return generation
    digest = hashlib.sha256()
    for row in store.select(FINGERPRINT_QUERY):
        digest.update(f"{row['g']} {row['n']}\n".encode())
    return digest.hexdigest()


def iso_date(value: str | None) -> str | None:
    return date.fromisoformat(value).isoformat() if value else None


def normalised(scenario: Scenario) -> Scenario:
    """The scenario with its dates as YYYY-MM-DD, so one date written two ways shares one kept evaluation."""
    return replace(scenario, as_of=iso_date(scenario.as_of), assumed_from=iso_date(scenario.assumed_from))


def described(scenario: Scenario) -> str:
    if scenario.as_of and not (scenario.assume_in_force or scenario.extra_ntriples):
        return f"the evaluation as of {scenario.as_of}"
    return "the what-if evaluation"


@contextmanager
def bounded(scenario: Scenario, limit: Limit | None) -> Iterator[Deadline | None]:
    """The deadline for judging the scenario under the limit (None: unbounded), holding one of its slots meanwhile."""
    if limit is None:
        yield None
        return
    if not limit.slots.acquire(blocking=False):
        raise EvaluationBusy(f"{described(scenario)} was not started because {limit.at_once} other such "
                             "evaluation(s), the most allowed at once, are in progress", limit.seconds)
    try:
        yield Deadline(time.monotonic() + limit.seconds, limit.seconds, described(scenario))
    finally:
        limit.slots.release()


def judge_slice(store: Store, context: bytes, scenario: Scenario, graphs: Sequence[str]) -> dict[str, tuple[frozenset[str], list[Finding]]]:
    """Judge the cases of some case graphs together; each graph's cases and the findings on them."""
    cases = graph_cases(store, graphs)
    owner = {case: graph for graph, held in cases.items() for case in held}
    found: dict[str, list[Finding]] = {graph: [] for graph in cases}
    for finding in run_all(build(context, graph_triples(store, list(cases)), scenario)):
        if finding.case in owner:
            found[owner[finding.case]].append(finding)
    return {graph: (frozenset(cases[graph]), found[graph]) for graph in cases}


def judge_graphs(store: Store, context: bytes, scenario: Scenario, graphs: Sequence[str],
                 deadline: Deadline | None = None) -> dict[str, tuple[frozenset[str], list[Finding]]]:
    """Judge the cases of many case graphs, a slice per working dataset, the slices on parallel threads.

    With a deadline, slices are smaller and none is started once it has passed (EvaluationTooLong).
    """
    size = SLICE_SIZE if deadline is None else BOUNDED_SLICE_SIZE
    slices = [graphs[start:start + size] for start in range(0, len(graphs), size)]

    def judge(part: Sequence[str]) -> dict[str, tuple[frozenset[str], list[Finding]]]:
        on_time(deadline)
        return judge_slice(store, context, scenario, part)

    judged: dict[str, tuple[frozenset[str], list[Finding]]] = {}
    if len(slices) == 1:
        judged.update(judge(slices[0]))
    elif slices:
        with ThreadPoolExecutor(max_workers=min(len(slices), os.cpu_count() or 1)) as pool:
            for result in pool.map(judge, slices):
                judged.update(result)
    return judged


def judge_loose(evaluation: Evaluation, scenario: Scenario, deadline: Deadline | None = None) -> None:
    """Findings on case records kept in context graphs (not in a case graph of their own)."""
    on_time(deadline)
    in_case_graphs = {case for cases, _ in evaluation.by_graph.values() for case in cases}
    evaluation.loose = [finding for finding in run_all(build(evaluation.context, b"", scenario))
                        if finding.case not in in_case_graphs]


def evaluate_all(store: Store, scenario: Scenario, state: object, deadline: Deadline | None = None) -> Evaluation:
    names = store.graph_names()
    evaluation = Evaluation(state, graph_triples(store, [name for name in names if is_context_graph(name)]))
    evaluation.by_graph = judge_graphs(store, evaluation.context, scenario,
                                       [name for name in names if is_case_graph(name)], deadline)
    judge_loose(evaluation, scenario, deadline)
    return evaluation


def refresh(store: Store, evaluation: Evaluation, scenario: Scenario, state: object,
            deadline: Deadline | None = None) -> bool:
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
    evaluation.by_graph.update(judge_graphs(store, evaluation.context, scenario, graphs, deadline))
    if graphs:
        judge_loose(evaluation, scenario, deadline)
    evaluation.state = state
    return True


def brought_up(store: Store, scenario: Scenario, evaluation: Evaluation | None, state: object,
               deadline: Deadline | None) -> Evaluation:
    """The evaluation brought up to the store's state: refreshed where the journal allows, else made anew."""
    if evaluation is None or not refresh(store, evaluation, scenario, state, deadline):
        evaluation = evaluate_all(store, scenario, state, deadline)
    return evaluation


def evaluate(store: Store, scenario: Scenario = Scenario(), limit: Limit | None = None) -> list[Finding]:
    """Every finding on every case of the store under the scenario, once per key, in report order (do not modify).

    Judging a scenario other than the default anew is bounded by `limit`, if given (EvaluationRefused past it).
    """
    scenario = normalised(scenario)
    key = scenario.key()
    kept = kept_of(store)
    with kept.held(key):
        state = store_state(store)  # read before the data, so a write during the evaluation is seen next time
        evaluation = kept.get(key)
        if evaluation is None or evaluation.state != state:
            with bounded(scenario, None if key == DEFAULT_KEY else limit) as deadline:
                try:
                    evaluation = brought_up(store, scenario, evaluation, state, deadline)
                except Exception:
                    kept.drop(key)  # a refresh stopped half-way must not be served
                    raise
            kept.put(key, evaluation)
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
