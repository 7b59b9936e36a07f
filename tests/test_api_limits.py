"""Time and size limits that really stop the work, while the server keeps answering everyone else."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from deepfake_kg.api.pool import QueryFailed, QueryPool, QueryTimeout, ResultTooLarge, StoreUnavailable
from deepfake_kg.api.worker import StoreSpec
from deepfake_kg.store import EmbeddedStore

pytest_plugins = ("test_api_support",)

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture(params=["embedded", "virtuoso"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


def test_slow_query_is_stopped_while_health_answers(server):
    from test_api_support import QUERY_TIMEOUT

    outcome: dict = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["response"] = httpx.post(server.url + "/sparql", data={"query": CARTESIAN}, timeout=60)
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.5)
    started = time.monotonic()
    health = httpx.get(server.url + "/health", timeout=5)
    assert health.status_code == 200 and time.monotonic() - started < 1.0
    quick = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert quick.status_code == 200 and worker.is_alive(), "a quick query is answered while the slow one still runs"
    worker.join()
    response = outcome["response"]
    assert response.status_code == 504 and "time limit" in response.json()["error"]
    assert QUERY_TIMEOUT <= outcome["seconds"] < QUERY_TIMEOUT + 5


@pytest.fixture(scope="module")
def loaded_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pool") / "store"
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    store.close()
    return folder


def test_pool_kills_the_worker_past_the_limit(loaded_dir):
    pool = QueryPool(StoreSpec(loaded_dir), size=1, timeout=3.0, max_bytes=10_000_000)
    try:
        before = {worker.process.pid for worker in pool._all}
        with pytest.raises(QueryTimeout):
            pool.run(CARTESIAN, "application/sparql-results+json")
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in before)
        assert b'"boolean":true' in pool.run("ASK { ?s ?p ?o }", "application/sparql-results+json")
    finally:
        pool.close()


def test_result_size_limit_is_an_error_not_a_truncated_body(loaded_dir, embedded_server):
    pool = QueryPool(StoreSpec(loaded_dir), size=1, timeout=10.0, max_bytes=1000)
    try:
        with pytest.raises(ResultTooLarge):
            pool.run("SELECT * WHERE { ?s ?p ?o }", "text/csv")
        assert pool.run("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv").count(b"\n") == 2
    finally:
        pool.close()
    response = httpx.post(embedded_server.url + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o . ?x ?y ?z } LIMIT 100000"},
                          headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 422 and "limit" in response.json()["error"]


def test_workers_see_committed_writes(loaded_dir, tmp_path):
    folder = tmp_path / "store"
    writer = EmbeddedStore(folder)
    writer.ensure_loaded()
    pool = QueryPool(StoreSpec(folder), size=2, timeout=10.0, max_bytes=10_000_000)
    ask = "ASK { GRAPH <urn:g:fresh> { <urn:a> <urn:b> ?n } }"
    try:
        assert b"false" in pool.run(ask, "application/sparql-results+json")
        for number in range(3):
            writer.replace_graphs({"urn:g:fresh": f"<urn:a> <urn:b> {number} ."})
            pool.written()
            for _ in range(2):
                body = pool.run(f"SELECT ?n WHERE {{ GRAPH <urn:g:fresh> {{ <urn:a> <urn:b> ?n }} }}", "text/csv")
                assert body.split(b"\r\n")[1] == str(number).encode()
    finally:
        pool.close()
        writer.close()


def test_body_limit_is_413_json(embedded_server):
    response = httpx.post(embedded_server.url + "/sparql", content=b"#" * 1_100_000,
                          headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert response.status_code == 413 and "limit" in response.json()["error"]


@pytest.mark.parametrize("pattern", ["SERVICE <{target}> {{ ?s ?p ?o }}", "SERVICE SILENT <{target}> {{ ?s ?p ?o }}"])
def test_a_query_worker_cannot_reach_the_network_even_past_the_guard(loaded_dir, pattern, canary):
    pool = QueryPool(StoreSpec(loaded_dir), size=1, timeout=10.0, max_bytes=10_000_000)
    try:
        query = "SELECT * WHERE { " + pattern.format(target=canary.url + "/sparql") + " }"
        try:
            pool.run(query, "application/sparql-results+json")  # straight to the engine: no guard on this path
        except (QueryFailed, StoreUnavailable, QueryTimeout) as failure:
            assert "unreachable" in str(failure).lower()
        assert not canary.contacted()
        assert pool.network_isolated() is True
    finally:
        pool.close()


FLAT_3000 = "SELECT * WHERE { " + " ".join(f"?s <urn:p{i}> ?o{i} ." for i in range(3000)) + " }"
VALUES_3000 = "SELECT * WHERE { ?x <urn:p> ?y . " + " ".join(f"VALUES ?v{i} {{ {i} }}" for i in range(3000)) + " }"


def test_a_flat_query_of_3000_patterns_is_checked_not_refused_as_nested(embedded_server):
    response = httpx.post(embedded_server.url + "/sparql", data={"query": FLAT_3000}, timeout=60)
    assert "nested" not in response.text
    assert response.status_code in (200, 504), response.text  # the engine may take longer than the time limit


def test_the_server_process_never_parses_a_client_query(loaded_dir, monkeypatch):
    from fastapi.testclient import TestClient

    from deepfake_kg import sparql_guard
    from deepfake_kg.api.app import create_app
    from deepfake_kg.api.settings import Settings

    def must_not_run(*args, **kwargs):
        raise AssertionError("the server process parsed a client's SPARQL")

    monkeypatch.setattr(sparql_guard, "_check", must_not_run)
    monkeypatch.setattr(sparql_guard, "parseUpdate", must_not_run)
    with TestClient(create_app(Settings(data_dir=loaded_dir, query_workers=1, token=None))) as client:
        asked = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
        refused = client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
        service = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert asked.status_code == 200 and asked.json()["boolean"] is True
    assert refused.status_code == 400 and "DROP" in refused.json()["error"]
    assert service.status_code == 400 and "SERVICE" in service.json()["error"]


def test_a_query_past_the_memory_limit_stops_its_worker_and_the_pool_answers_on(loaded_dir):
    from deepfake_kg.api.pool import QueryOutOfMemory

    pool = QueryPool(StoreSpec(loaded_dir, memory_bytes=2048 * 2**20), size=1, timeout=60.0, max_bytes=10**9)
    try:
        with pytest.raises(QueryOutOfMemory, match="2048 MB"):
            pool.answer("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", None)
        assert b'"boolean":true' in pool.answer("ASK { ?s ?p ?o }", None)[1]
    finally:
        pool.close()


def test_an_engine_crash_on_a_query_is_reported_and_the_pool_answers_on(loaded_dir):
    from deepfake_kg.api.pool import QueryCrashed

    pool = QueryPool(StoreSpec(loaded_dir), size=1, timeout=60.0, max_bytes=10**7)
    try:
        with pytest.raises(QueryCrashed, match="stack"):
            pool.answer(VALUES_3000, None)
        assert b'"boolean":true' in pool.answer("ASK { ?s ?p ?o }", None)[1]
    finally:
        pool.close()
