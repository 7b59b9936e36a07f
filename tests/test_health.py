"""/health tells the truth about the record validator, and a freshly started server answers a crowd of first requests
(validations, SPARQL, health, reads) with no 5xx, every route working afterwards."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import rdflib.plugins.sparql.parser
from fastapi.testclient import TestClient

from deepfake_kg.api import health
from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.loaders import validate
from deepfake_kg.store import EmbeddedStore, open_store
from test_api_support import DEEPFAKE_KG, TOKEN, LiveServer, free_port, wait_until

pytest_plugins = ("test_api_support",)

HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
ROW = ("{case_id},Voice clone used in a payment fraud call,US-CA,2024-03-02,impersonate,voice,own_capture,"
       "https://example.org/{case_id},voice_clone,live_audio_call,3\n")
VALID_CSV = (HEADER + ROW.format(case_id="health-crowd")).encode()
CURATED_CASE = "SELECT ?graph WHERE { GRAPH <https://w3id.org/deepfake-kg/graph/meta> { ?set <http://purl.org/dc/terms/hasPart> ?graph } } LIMIT 1"
FIRST_REQUESTS = 32
CLIENTS = 16
REQUESTS_PER_CLIENT = 6


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A filled store (ontology, knowledge base, curated cases, entailments), closed, to copy for each server."""
    folder = tmp_path_factory.mktemp("health") / "template"
    open_store(folder).close()
    return folder


# ------------------------------------------------------------------ a broken validator, in-process


@pytest.fixture(scope="module")
def client(template, tmp_path_factory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("health-app") / "store"
    shutil.copytree(template, data)
    with TestClient(create_app(Settings(data_dir=data, token=None, query_workers=1))) as local:
        yield local


class BrokenGrammar:
    """rdflib's SPARQL grammar as the concurrency bug left it for the life of the process: every parse fails."""

    def parse_string(self, *args, **kwargs):
        raise TypeError("<lambda>() takes 0 positional arguments but 3 were given")


def failing_shacl(*args, **kwargs):
    raise RuntimeError("pyshacl is broken")


BREAKAGES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "sparql-grammar": lambda patch: patch.setattr(rdflib.plugins.sparql.parser, "Query", BrokenGrammar()),
    "shacl": lambda patch: patch.setattr(validate, "shacl_validate", failing_shacl),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_health_is_degraded_while_the_validator_is_broken(client, breakage, monkeypatch):
    monkeypatch.setattr(health, "VALIDATOR_CHECK_SECONDS", 0.0)
    assert client.get("/health").json()["validator_ok"] is True
    with monkeypatch.context() as patch:
        BREAKAGES[breakage](patch)
        broken = client.get("/health")
        assert broken.status_code == 200
        body = broken.json()
        assert body["status"] == "degraded" and body["validator_ok"] is False and body["store_ok"] is True, body
        assert "Error" in body["validator_error"] and "/" not in body["validator_error"], body
    healed = client.get("/health").json()
    assert healed["status"] == "ok" and healed["validator_ok"] is True and "validator_error" not in healed, healed


def test_health_checks_the_validator_at_most_every_few_seconds(client, monkeypatch):
    monkeypatch.setattr(health, "VALIDATOR_CHECK_SECONDS", 60.0)
    client.get("/health")
    calls = []
    monkeypatch.setattr(health, "validate_batches", lambda *args, **kwargs: calls.append(args))
    assert client.get("/health").json()["validator_ok"] is True
    assert calls == [], "a check younger than VALIDATOR_CHECK_SECONDS is reused"


# ------------------------------------------------------------------ a fresh server and a crowd of first requests


def serve_untouched(workdir: Path, template: Path) -> LiveServer:
    """`deepfake-kg serve` on a copy of the template store, handed over as soon as it accepts connections (uvicorn
    listens once start-up is done), before any request has reached it."""
    shutil.copytree(template, workdir / "store")
    port = free_port()
    log = workdir / "serve.log"
    (workdir / "token").write_text(TOKEN + "\n")
    command = [str(DEEPFAKE_KG), "serve", "--port", str(port), "--token-file", str(workdir / "token"),
               "--data-dir", str(workdir / "store")]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)

    def listening() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"deepfake-kg serve exited: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return False
        return True

    wait_until(listening, 60, "deepfake-kg serve")
    return LiveServer(f"http://127.0.0.1:{port}", process, log, "embedded")


@pytest.fixture
def fresh_server(tmp_path, template) -> Iterator[LiveServer]:
    server = serve_untouched(tmp_path, template)
    yield server
    server.stop()


def first_request(number: int) -> tuple[str, str, dict]:
    """The method, path and httpx arguments of one of the crowd's requests: validations, SPARQL queries (each text
    new to the parser) and health checks."""
    kind = number % 3
    if kind == 0:
        return "POST", "/validate", {"content": VALID_CSV, "headers": {"Content-Type": "text/csv"}}
    if kind == 1:
        query = (f"SELECT ?s{number} ?label WHERE {{ ?s{number} a ?type OPTIONAL {{ ?s{number} "
                 f"<http://www.w3.org/2000/01/rdf-schema#label> ?label }} FILTER(?type != <urn:x:{number}>) }} LIMIT {number}")
        return "GET", "/sparql", {"params": {"query": query}}
    return "GET", "/health", {}


def problem_of(http: httpx.Client, method: str, path: str, arguments: dict) -> str | None:
    """What went wrong with one request (a transport error or a 5xx), or None."""
    try:
        response = http.request(method, path, **arguments)
    except httpx.HTTPError as error:
        return f"{method} {path}: {error!r}"
    return f"{method} {path}: {response.status_code} {response.text[:200]}" if response.status_code >= 500 else None


def at_once(url: str, clients: list[list[tuple[str, str, dict]]]) -> list[str]:
    """Start every client at the same moment, each on its own connection sending its requests one after another;
    answer what went wrong."""
    barrier = threading.Barrier(len(clients))
    problems: list[str] = []

    def run(requests: list[tuple[str, str, dict]]) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            barrier.wait()
            problems.extend(problem for request in requests if (problem := problem_of(http, *request)))

    threads = [threading.Thread(target=run, args=(requests,)) for requests in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return problems


def test_32_concurrent_first_requests_leave_every_route_working(fresh_server):
    problems = at_once(fresh_server.url, [[first_request(number)] for number in range(FIRST_REQUESTS)])
    assert problems == [], problems
    with httpx.Client(base_url=fresh_server.url, timeout=120) as http:
        body = http.get("/health").json()
        assert body["status"] == "ok" and body["validator_ok"] is True, body
        validated = http.post("/validate", content=VALID_CSV, headers={"Content-Type": "text/csv"})
        assert validated.status_code == 200 and validated.json()["conforms"] is True, validated.text
        query = "SELECT ?s WHERE { ?s a ?class } LIMIT 3"
        assert http.get("/sparql", params={"query": query}).status_code == 200
        assert http.get("/gaps", params={"format": "json"}).status_code == 200
        stored = http.post("/cases", content=VALID_CSV,
                           headers={"Content-Type": "text/csv", "Authorization": f"Bearer {TOKEN}"})
        assert stored.status_code == 201, stored.text
        assert http.get("/cases/health-crowd").status_code == 200
    log = fresh_server.log.read_text(errors="replace")
    assert "Traceback" not in log and '" 5' not in log


def peak_memory_kib(pid: int) -> int:
    """The peak resident set (VmHWM) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise LookupError(f"no VmHWM for process {pid}")


def descendants(pid: int) -> list[int]:
    """The processes started under `pid` (multiprocessing's helpers and the query workers), depth first."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    return [process for child in children for process in (child, *descendants(child))]


def client_requests(number: int, curated: str) -> list[tuple[str, str, dict]]:
    """A client's few mixed reads and validations, each client starting at another point of the mix."""
    mix = [
        ("GET", "/sparql", {"params": {"query": f"SELECT ?case WHERE {{ ?case a ?type }} LIMIT {number + 1}"}}),
        ("POST", "/validate", {"content": VALID_CSV, "headers": {"Content-Type": "text/csv"}}),
        ("GET", f"/cases/{curated}", {"headers": {"Accept": "text/turtle" if number % 2 else "application/json"}}),
        ("GET", "/gaps", {"params": {"format": "json"}}),
        ("GET", "/health", {}),
        ("POST", "/sparql", {"data": {"query": "ASK { ?s ?p ?o }"}}),
    ]
    return [mix[(number + step) % len(mix)] for step in range(REQUESTS_PER_CLIENT)]


def test_16_concurrent_clients_right_after_start_get_no_5xx(fresh_server, template):
    store = EmbeddedStore(template, read_only=True)
    curated = str(store.select(CURATED_CASE)[0]["graph"]).rsplit("/", 1)[1]
    store.close()
    started = time.monotonic()
    problems = at_once(fresh_server.url, [client_requests(number, curated) for number in range(CLIENTS)])
    seconds = time.monotonic() - started
    pid = fresh_server.process.pid
    others = [peak_memory_kib(process) // 1024 for process in descendants(pid)]
    print(f"\n{CLIENTS} clients x {REQUESTS_PER_CLIENT} requests right after start: {seconds:.1f} s; peak RSS (VmHWM) "
          f"of the server {peak_memory_kib(pid) // 1024} MiB, of the {len(others)} processes under it {others} MiB")
    assert problems == [], problems
