"""Dated evaluations are bounded: kept by date (a few, never evicting the default report), stopped past their time,
one at a time, and never holding up the default report."""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.gaps import evaluation, find_gaps
from deepfake_kg.gaps.evaluation import EvaluationBusy, EvaluationTooLong, Limit, evaluate
from deepfake_kg.gaps.working import Scenario
from deepfake_kg.namespaces import case_graph
from test_gaps import CASES
from test_gaps_evaluation import journaled  # noqa: F401 - the fixture
from test_gaps_interfaces import TURTLE
from test_gaps_law import make_store

DATES = [f"20{year}-06-01" for year in range(15, 15 + evaluation.SCENARIOS_KEPT + 2)]
ROOMY = Limit(seconds=600)  # a limit no evaluation here comes near


@pytest.fixture
def judged(monkeypatch) -> list[tuple[str | None, str]]:
    """(as_of, case graph) for every case graph judged, in order."""
    seen: list[tuple[str | None, str]] = []
    judge = evaluation.judge_slice

    def counting(store, context, scenario, graphs):
        seen.extend((scenario.as_of, graph) for graph in graphs)
        return judge(store, context, scenario, graphs)

    monkeypatch.setattr(evaluation, "judge_slice", counting)
    return seen


def judged_as_of(judged: list[tuple[str | None, str]], as_of: str | None) -> int:
    return sum(1 for day, _ in judged if day == as_of)


def kept_dates(store) -> set[str]:
    return {key[0] for key in evaluation.kept_of(store).others}


def test_dated_evaluations_never_evict_the_default_one(journaled, judged):
    default = evaluate(journaled)
    for day in DATES:
        evaluate(journaled, Scenario(as_of=day), ROOMY)
        assert len(evaluation.kept_of(journaled).others) <= evaluation.SCENARIOS_KEPT
    assert evaluate(journaled) == default
    assert judged_as_of(judged, None) == len(CASES)
    assert kept_dates(journaled) == set(DATES[-evaluation.SCENARIOS_KEPT:])


@pytest.mark.parametrize("written", ["20240101", "2024-W01-1", date(2024, 1, 1)])
def test_a_date_is_kept_however_it_is_written(journaled, judged, written):
    first = find_gaps(journaled, as_of="2024-01-01", limit=ROOMY)
    assert judged_as_of(judged, "2024-01-01") == len(CASES)
    assert find_gaps(journaled, as_of=written, limit=ROOMY) == first
    if isinstance(written, str):
        assert [f.as_dict() for f in evaluate(journaled, Scenario(as_of=written))] == first
    assert len(judged) == len(CASES) and kept_dates(journaled) == {"2024-01-01"}


def test_the_least_recently_used_date_goes_first(journaled, judged):
    for day in DATES[:evaluation.SCENARIOS_KEPT]:
        evaluate(journaled, Scenario(as_of=day), ROOMY)
    evaluate(journaled, Scenario(as_of=DATES[0]), ROOMY)  # used again: now the most recent
    evaluate(journaled, Scenario(as_of=DATES[evaluation.SCENARIOS_KEPT]), ROOMY)
    assert DATES[0] in kept_dates(journaled) and DATES[1] not in kept_dates(journaled)
    assert judged_as_of(judged, DATES[0]) == len(CASES)


def test_a_refresh_stopped_past_its_time_keeps_nothing(journaled):
    evaluate(journaled, Scenario(as_of="2024-01-01"), ROOMY)
    journaled.replace_graphs({}, drop=[case_graph("gait")])
    with pytest.raises(EvaluationTooLong):
        evaluate(journaled, Scenario(as_of="2024-01-01"), Limit(seconds=0))
    assert "2024-01-01" not in kept_dates(journaled)  # not even the evaluation from before the write
    assert not any(f.case_id == "gait" for f in evaluate(journaled, Scenario(as_of="2024-01-01"), ROOMY))


def test_a_dated_evaluation_past_its_time_is_stopped_and_nothing_kept(journaled, judged):
    with pytest.raises(EvaluationTooLong, match="as of 2024-01-01 took longer than the 0 s allowed"):
        evaluate(journaled, Scenario(as_of="2024-01-01"), Limit(seconds=0))
    assert judged == [] and kept_dates(journaled) == set()
    assert evaluate(journaled, Scenario(as_of="2024-01-01"), ROOMY)
    assert judged_as_of(judged, "2024-01-01") == len(CASES)


def test_the_time_is_checked_between_slices(journaled, monkeypatch):
    """Once the time is up, no further slice is started: at most one per thread was judged."""
    started: list[list[str]] = []
    judge = evaluation.judge_slice
    expired = threading.Event()

    def judging_then_expiring(store, context, scenario, graphs):
        started.append(list(graphs))
        found = judge(store, context, scenario, graphs)
        expired.set()
        return found

    def expiring(self) -> None:
        if expired.is_set():
            raise EvaluationTooLong("the time is up")

    monkeypatch.setattr(evaluation, "judge_slice", judging_then_expiring)
    monkeypatch.setattr(evaluation, "BOUNDED_SLICE_SIZE", 1)
    monkeypatch.setattr(evaluation.Deadline, "check", expiring)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(EvaluationTooLong):
        evaluate(journaled, Scenario(as_of="2024-01-01"), ROOMY)
    assert 1 <= len(started) <= 2 < len(CASES)
    assert all(len(graphs) == 1 for graphs in started)
    assert kept_dates(journaled) == set()


def test_the_default_report_is_not_bounded(journaled, judged):
    assert evaluate(journaled, Scenario(), Limit(seconds=0)) and judged_as_of(judged, None) == len(CASES)


@pytest.fixture
def blocked_date(journaled, monkeypatch):
    """A judge that holds every evaluation as of 2024-01-01 until released; (entered, release)."""
    entered, release = threading.Event(), threading.Event()
    judge = evaluation.judge_slice

    def blocking(store, context, scenario, graphs):
        if scenario.as_of == "2024-01-01":
            entered.set()
            assert release.wait(60)
        return judge(store, context, scenario, graphs)

    monkeypatch.setattr(evaluation, "judge_slice", blocking)
    yield entered, release
    release.set()


def in_thread(call) -> tuple[threading.Thread, dict]:
    """Start `call` on a thread; the dict gets its "value" or its "error"."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at it
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def test_a_dated_evaluation_in_progress_holds_up_neither_the_default_report_nor_is_done_twice(journaled, blocked_date,
                                                                                              judged):
    entered, release = blocked_date
    limit = Limit(seconds=600)
    dated, dated_outcome = in_thread(lambda: evaluate(journaled, Scenario(as_of="2024-01-01"), limit))
    assert entered.wait(60)
    default, default_outcome = in_thread(lambda: evaluate(journaled))
    default.join(60)
    assert "value" in default_outcome and dated.is_alive() and not release.is_set()
    with pytest.raises(EvaluationBusy, match="as of 2019-01-01 was not started"):
        evaluate(journaled, Scenario(as_of="2019-01-01"), limit)
    same, same_outcome = in_thread(lambda: evaluate(journaled, Scenario(as_of="2024-01-01"), limit))  # waits its turn
    release.set()
    dated.join(60)
    same.join(60)
    assert same_outcome["value"] == dated_outcome["value"]
    assert judged_as_of(judged, "2024-01-01") == len(CASES)  # judged once
    assert judged_as_of(judged, "2019-01-01") == 0
    assert evaluate(journaled, Scenario(as_of="2019-01-01"), limit)  # the slot is free again


@pytest.fixture
def strict_app(tmp_path):
    """The service over the test law and cases, with no time at all for a dated evaluation."""
    store = make_store(*TURTLE)
    settings = Settings(data_dir=tmp_path / "store", token=None, query_workers=0, as_of_timeout=0)
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store


def test_http_a_dated_report_past_its_time_is_a_503_and_the_default_report_is_served(strict_app):
    client, _ = strict_app
    for path in ("/gaps", "/gaps/platform-notice-gap"):
        response = client.get(path, params={"as_of": "2024-01-01"})
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == 503 and body["error"].startswith("the evaluation as of 2024-01-01 took longer than "
                                                                  "the 0 s allowed and was stopped; try again later")
        assert body["error"].count(". ") == 0
    assert client.get("/gaps").status_code == 200


def test_http_a_kept_date_is_served_and_a_busy_server_refuses_a_new_one(strict_app):
    client, store = strict_app
    kept = find_gaps(store, as_of="2024-01-01")  # judged without a limit, as the command line does
    response = client.get("/gaps", params={"as_of": "2024-01-01"})
    assert response.status_code == 200 and response.json() == kept
    limit = client.app.state.gaps_limit
    assert limit.slots.acquire(blocking=False)
    try:
        busy = client.get("/gaps", params={"as_of": "2023-01-01"})
    finally:
        limit.slots.release()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert "as of 2023-01-01 was not started" in busy.json()["error"]
