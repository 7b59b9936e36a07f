"""Access: writes need the token, refusals are logged, the token is compared in constant time and never shown;
no answer of the service exposes a stack trace or a server file path."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api import auth
from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from test_api_support import DEEPFAKE_KG, TOKEN, LiveServer, free_port, start_server, wait_until

pytest_plugins = ("test_api_support",)

CSV = (b"case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source\n"
       b"access-1,Face swap shared in a chat group,CN,2024-05-01,create,facial,public_online,https://example.org/a/1\n")
WRONG = "wrong-token-guess-71a3"
LEAKS = ("Traceback", "/work/", "/tmp/", '.py"', 'File "', "site-packages")
BAD_REQUESTS = [
    ("GET", "/cases/..%2F..%2Fetc%2Fpasswd", {}, None),
    ("GET", "/cases/" + "a" * 5000, {}, None),
    ("GET", "/cases/%00", {}, None),
    ("GET", "/cases/access-none", {"Accept": "application/x-unknown"}, None),
    ("GET", "/sparql", {}, "query=SELECT%20*%20WHERE%20%7B"),
    ("GET", "/sparql", {"Accept": "image/png"}, "query=ASK%20%7B%7D"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=latin-1"}, b"ASK {}"),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"\xff\xfe ASK"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=%ZZ%%"),
    ("POST", "/validate", {"Content-Type": "text/csv"}, b""),
    ("POST", "/validate", {"Content-Type": "text/csv"}, b"nope,columns\n1,2\n"),
    ("POST", "/validate", {}, b"anything"),
    ("POST", "/validate", {"Content-Type": "application/json"}, b"{\"cases\": [1, 2"),
    ("POST", "/validate", {"Content-Type": "application/rdf+xml"}, b"<rdf:RDF"),
    ("POST", "/validate", {"Content-Type": "application/n-triples"}, b"<a> <b> ."),
    ("GET", "/gaps", {}, "as_of=2024-13-45"),
    ("GET", "/gaps", {}, "gap=no-such-gap"),
    ("GET", "/gaps", {}, "format=xlsx"),
    ("GET", "/gaps/no-such-gap", {}, None),
    ("GET", "/coverage", {}, "as_of=yesterday"),
    ("POST", "/what-if", {"Content-Type": "text/turtle"}, b"@prefix : <broken"),
    ("POST", "/what-if", {"Content-Type": "application/json"}, b"[[[["),
    ("GET", "/ontology/NoSuchTerm%00", {}, None),
    ("GET", "/id/case/%2e%2e/%2e%2e/etc/passwd", {}, None),
    ("GET", "/browse/resource", {}, "iri=file:///etc/passwd"),
    ("GET", "/browse/cases/..%2F..", {}, None),
    ("PUT", "/cases/access-1", {}, b"x"),
    ("PATCH", "/sparql", {}, None),
    ("GET", "/no/such/route", {}, None),
    ("GET", "/static/../../../../etc/passwd", {}, None),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("access-server"), ["--data-dir", str(tmp_path_factory.mktemp("access-store"))],
                        "embedded")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A server started without any write token (none in a file, none in the environment)."""
    workdir = tmp_path_factory.mktemp("read-only-server")
    port = free_port()
    log = workdir / "serve.log"
    env = {key: value for key, value in os.environ.items() if key != "DEEPFAKE_KG_TOKEN"}
    with log.open("wb") as sink:
        process = subprocess.Popen([str(DEEPFAKE_KG), "serve", "--port", str(port), "--data-dir", str(workdir / "store")],
                                   stdout=sink, stderr=subprocess.STDOUT, env=env)
    live = LiveServer(f"http://127.0.0.1:{port}", process, log, "embedded")

    def healthy() -> bool:
        try:
            return httpx.get(live.url + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return process.poll() is None and False

    try:
        wait_until(healthy, 60, "read-only deepfake-kg serve")
        yield live
    finally:
        live.stop()


def ask_case(url: str, case_id: str) -> bool:
    query = f"ASK {{ <https://w3id.org/deepfake-kg/id/case/{case_id}> ?p ?o }}"
    return httpx.get(url + "/sparql", params={"query": query}, timeout=30).json()["boolean"]


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": f"Bearer {WRONG}"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": "Bearer"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
], ids=["none", "wrong", "basic-scheme", "empty", "longer", "prefix"])
def test_writes_without_the_right_token_are_refused_and_logged(server, headers):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        stored = client.post("/cases", content=CSV, headers={"Content-Type": "text/csv", **headers})
        deleted = client.delete("/cases/access-1", headers=headers)
    for response in (stored, deleted):
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
        assert "token" in response.json()["error"]
    assert not ask_case(server.url, "access-1")
    log = server.log.read_text(errors="replace")
    assert '"POST /cases HTTP/1.1" 401' in log and '"DELETE /cases/access-1 HTTP/1.1" 401' in log
    assert "write refused: POST /cases" in log and "write refused: DELETE /cases/access-1" in log


def test_writes_are_refused_when_the_server_has_no_token(read_only_server):
    assert httpx.get(read_only_server.url + "/health", timeout=10).json()["writes_enabled"] is False
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": "Bearer"}):
        stored = httpx.post(read_only_server.url + "/cases", content=CSV, headers={"Content-Type": "text/csv", **headers}, timeout=60)
        deleted = httpx.delete(read_only_server.url + "/cases/access-1", headers=headers, timeout=60)
        assert stored.status_code == 403 and deleted.status_code == 403
        assert "disabled" in stored.json()["error"]
    assert not ask_case(read_only_server.url, "access-1")
    log = read_only_server.log.read_text(errors="replace")
    assert '"POST /cases HTTP/1.1" 403' in log and '"DELETE /cases/access-1 HTTP/1.1" 403' in log
    assert "write refused: POST /cases" in log and "writes are disabled" in log
    assert TOKEN not in log


def test_the_token_never_appears_in_answers_or_the_log(server):
    auth_header = {"Authorization": f"Bearer {TOKEN}"}
    answers = []
    with httpx.Client(base_url=server.url, timeout=60) as client:
        stored = client.post("/cases", content=CSV, headers={"Content-Type": "text/csv", **auth_header})
        assert stored.status_code == 201, stored.text
        answers += [stored, client.get("/cases/access-1", headers=auth_header), client.get("/health", headers=auth_header),
                    client.get("/openapi.json", headers=auth_header),
                    client.post("/cases", content=b"broken,csv\n", headers={"Content-Type": "text/csv", **auth_header}),
                    client.get("/sparql", params={"query": "SELECT * WHERE {"}, headers=auth_header),
                    client.post("/validate", content=CSV, headers={"Content-Type": "text/csv", **auth_header}),
                    client.post("/cases", content=CSV, headers={"Content-Type": "text/csv", "Authorization": f"Bearer {WRONG}"})]
        assert client.delete("/cases/access-1", headers=auth_header).status_code == 204
    for response in answers:
        assert TOKEN not in response.text and TOKEN not in str(response.headers), response.request.url
        assert WRONG not in response.text
    log = server.log.read_text(errors="replace")
    assert TOKEN not in log and WRONG not in log


def test_the_token_is_compared_in_constant_time(tmp_path, monkeypatch):
    compared: list[tuple[bytes, bytes]] = []
    real = auth.hmac.compare_digest

    def recording(given, expected):
        compared.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(auth.hmac, "compare_digest", recording)
    app = create_app(Settings(data_dir=tmp_path / "store", token=TOKEN, query_workers=1))
    with TestClient(app) as client:
        response = client.delete("/cases/access-ct", headers={"Authorization": f"Bearer {WRONG}"})
        assert response.status_code == 401
        assert client.delete("/cases/access-ct", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404
    assert compared == [(WRONG.encode(), TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize("method, path, headers, payload", BAD_REQUESTS,
                         ids=[f"{method} {path[:40]} {str(payload)[:20]}" for method, path, headers, payload in BAD_REQUESTS])
def test_bad_requests_expose_no_trace_or_path(server, method, path, headers, payload):
    url = server.url + path + (f"?{payload}" if isinstance(payload, str) else "")
    content = payload if isinstance(payload, bytes) else None
    response = httpx.request(method, url, headers=headers, content=content, timeout=60)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    for marker in LEAKS:
        assert marker not in response.text, (marker, response.text[:300])
    if not response.headers.get("content-type", "").startswith("text/html"):
        assert response.json()["error"]


def test_server_log_holds_no_trace_after_the_bad_requests(server):
    """Runs after the bad requests above (same module, same server)."""
    log = server.log.read_text(errors="replace")
    assert log.count('" 4') >= len(BAD_REQUESTS) and "Traceback" not in log and " 500 " not in log


def test_store_path_is_not_shown_by_health(server):
    body = httpx.get(server.url + "/health", timeout=10).text
    assert "/tmp/" not in body and str(Path.home()) not in body
