"""Load: bounded concurrent clients mixing SPARQL, gap reports, validation, case reads and a few authorised writes
against a live server on loopback; zero 5xx, zero lost writes. Latencies are printed, never asserted."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from test_api_support import TOKEN, LiveServer, start_server

pytest_plugins = ("test_api_support",)

CLIENTS = int(os.environ.get("DEEPFAKE_KG_LOAD_CLIENTS", "16"))
SECONDS = float(os.environ.get("DEEPFAKE_KG_LOAD_SECONDS", "12"))
WRITES_PER_CLIENT = 2
HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
ROW = "{case_id},Voice clone used in a payment fraud call,US-CA,2024-03-02,impersonate,voice,own_capture,https://example.org/{case_id},voice_clone,live_audio_call,{views}\n"
QUERIES = [
    "ASK { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?case a <https://w3id.org/deepfake-kg/ontology/CaseRecord> }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) LIMIT 10",
    "SELECT ?case ?title WHERE { ?case <http://purl.org/dc/terms/title> ?title } LIMIT 50",
    "CONSTRUCT { ?j ?p ?o } WHERE { ?j a <https://w3id.org/deepfake-kg/ontology/Jurisdiction> ; ?p ?o } LIMIT 200",
]
RESULT_ACCEPT = ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"]
GRAPH_ACCEPT = ["text/turtle", "application/n-triples", "application/ld+json"]


@dataclass
class Outcome:
    """What the clients saw: one (operation, status, seconds) per request, failed transports, accepted writes."""

    requests: list[tuple[str, int, float]] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, operation: str, status: int, seconds: float) -> None:
        with self.lock:
            self.requests.append((operation, status, seconds))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(outcome: Outcome, seconds: float) -> str:
    lines = [f"{len(outcome.requests)} requests in {seconds:.1f} s by {CLIENTS} clients "
             f"({len(outcome.requests) / seconds:.1f}/s), {len(outcome.transport_errors)} transport errors, "
             f"{len(outcome.written)} cases written"]
    for operation in sorted({op for op, _, _ in outcome.requests}):
        times = [t for op, _, t in outcome.requests if op == operation]
        statuses = Counter(status for op, status, _ in outcome.requests if op == operation)
        lines.append(f"  {operation:9s} n={len(times):5d} p50={1000 * statistics.median(times):7.1f} ms "
                     f"p99={1000 * percentile(times, 0.99):7.1f} ms statuses={dict(statuses)}")
    every = [t for _, _, t in outcome.requests]
    lines.append(f"  {'all':9s} n={len(every):5d} p50={1000 * statistics.median(every):7.1f} ms "
                 f"p99={1000 * percentile(every, 0.99):7.1f} ms")
    return "\n".join(lines)


def client_loop(url: str, number: int, deadline: float, outcome: Outcome, seed_case: str, validate_body: bytes) -> None:
    """One client: random operations until the deadline; a few writes, each remembered when accepted."""
    rng = random.Random(number)
    writes = 0
    with httpx.Client(base_url=url, timeout=60) as http:
        while time.monotonic() < deadline:
            operation = rng.choices(["sparql", "gaps", "validate", "case", "write"], [45, 10, 15, 25, 5])[0]
            if operation == "write" and writes >= WRITES_PER_CLIENT:
                operation = "case"
            started = time.monotonic()
            try:
                if operation == "sparql":
                    query = rng.choice(QUERIES)
                    offers = GRAPH_ACCEPT if query.startswith("CONSTRUCT") else RESULT_ACCEPT
                    response = http.post("/sparql", data={"query": query}, headers={"Accept": rng.choice(offers)})
                elif operation == "gaps":
                    response = http.get(rng.choice(["/gaps", "/coverage", "/sentencing"]), params={"format": rng.choice(["json", "csv"])})
                elif operation == "validate":
                    response = http.post("/validate", content=validate_body, headers={"Content-Type": "text/csv"})
                elif operation == "case":
                    response = http.get(f"/cases/{seed_case}", headers={"Accept": rng.choice(["application/json", "text/turtle"])})
                else:
                    writes += 1
                    case_id = f"load-{number}-{writes}"
                    body = (HEADER + ROW.format(case_id=case_id, views=rng.randint(0, 10**6))).encode()
                    response = http.post("/cases", content=body, headers={"Content-Type": "text/csv",
                                                                           "Authorization": f"Bearer {TOKEN}"})
                    if response.status_code == 201:
                        with outcome.lock:
                            outcome.written.append(case_id)
            except httpx.HTTPError as error:
                with outcome.lock:
                    outcome.transport_errors.append(f"{operation}: {error!r}")
                continue
            outcome.add(operation, response.status_code, time.monotonic() - started)


def run_load(url: str, clients: int, seconds: float) -> tuple[Outcome, float]:
    """Seed one case, then run `clients` threads for `seconds`; answers what they saw and the wall time."""
    seed_case = "load-seed"
    seed = httpx.post(url + "/cases", content=(HEADER + ROW.format(case_id=seed_case, views=1)).encode(),
                      headers={"Content-Type": "text/csv", "Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert seed.status_code == 201, seed.text
    validate_body = (HEADER + ROW.format(case_id="load-validate-only", views=5)).encode()
    outcome = Outcome()
    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(url, number, started + seconds, outcome, seed_case, validate_body))
               for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    assert not any(thread.is_alive() for thread in threads), "a client hung past its deadline"
    return outcome, time.monotonic() - started


def lost_writes(url: str, written: list[str]) -> list[str]:
    """The accepted writes that are not readable, both as a record and through SPARQL."""
    lost = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for case_id in written:
            record = http.get(f"/cases/{case_id}")
            query = f"ASK {{ GRAPH <https://w3id.org/deepfake-kg/graph/case/{case_id}> {{ ?s ?p ?o }} }}"
            seen = http.get("/sparql", params={"query": query}).json()["boolean"]
            if record.status_code != 200 or record.json().get("case_id") != case_id or not seen:
                lost.append(case_id)
    return lost


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    # The ordinary queries of this mix take milliseconds alone; on two busy cores a query queued behind others can
    # pass the 4 s limit of the shared fixtures (504), which is the limit working, not a failure: give it 30 s here.
    live = start_server(tmp_path_factory.mktemp("load-server"), ["--data-dir", str(tmp_path_factory.mktemp("load-store")),
                                                                  "--query-timeout", "30"], "embedded")
    yield live
    live.stop()


def test_concurrent_clients_get_no_5xx_and_lose_no_write(server, capsys):
    outcome, seconds = run_load(server.url, CLIENTS, SECONDS)
    with capsys.disabled():
        print("\n" + summary(outcome, seconds))
    assert outcome.transport_errors == []
    failures = [(op, status) for op, status, _ in outcome.requests if status >= 500]
    assert failures == [], Counter(failures)
    unexpected = [(op, status) for op, status, _ in outcome.requests
                  if status != {"write": 201}.get(op, 200)]
    assert unexpected == [], Counter(unexpected)
    assert outcome.written, "some writes were made"
    assert lost_writes(server.url, outcome.written) == []
    assert httpx.get(server.url + "/health", timeout=10).json()["status"] == "ok"


RACE = """
import threading
import deepfake_kg.sparql_guard
from rdflib.plugins.sparql import parser, processor
queries = {queries!r}
errors = []
start = threading.Barrier(16)
def work(number):
    start.wait()
    for round in range(10):
        text = queries[(number + round) % len(queries)]
        try:
            (processor.prepareQuery if number % 2 else parser.parseQuery)(text)
        except Exception as error:
            errors.append(repr(error))
threads = [threading.Thread(target=work, args=(number,)) for number in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(errors), errors[:3])
"""


def test_sixteen_threads_parse_sparql_at_once_in_a_fresh_process():
    """rdflib's grammar is warmed up by nobody here: the first parses of a new server all arrive together."""
    result = subprocess.run([sys.executable, "-c", RACE.format(queries=QUERIES)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("0 "), result.stdout
