"""Hostile inputs (tests/hostile/manifest.json) through the real interfaces: `deepfake-kg validate`, POST /validate,
POST /cases and POST /sparql. Each gets its expected outcome, never a traceback, and nothing leaves loopback."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.cli import app as cli
from deepfake_kg.gaps import render
from deepfake_kg.store import EmbeddedStore
from test_api_support import Canary

pytest_plugins = ("test_api_support",)

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
TOKEN = "hostile-suite-token-5f0c1e"
MEDIA = {".csv": "text/csv", ".json": "application/json", ".jsonld": "application/ld+json", ".ttl": "text/turtle",
         ".rdf": "application/rdf+xml", ".nt": "application/n-triples"}
LEAKS = ("Traceback", "/work/", "/tmp/", '.py"', "File \"")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUERY_TIMEOUT = 3.0
CONTEXT = "https://w3id.org/deepfake-kg/context.jsonld"

GENERATORS: dict[str, Callable[[], bytes]] = {
    "deep_arrays": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep_objects": lambda: b'{"cases": [{"case_id": "x", "title": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}]}",
    "deep_jsonld_value": lambda: (b'{"@context": "' + CONTEXT.encode() + b'", "@graph": [{"case_id": "hostile-deep", '
                                  b'"title": "t", "dfk:x": ' + b"[" * 900 + b"]" * 900 + b"}]}"),
    "huge_integer": lambda: b'{"cases": [{"case_id": "hostile-huge", "title": "t", "views": ' + b"9" * 5000 + b"}]}",
    "huge_numbers_csv": lambda: (b"case_id,title,jurisdiction,views,loss_amount,loss_currency\nhostile-huge-csv,t,CN,"
                                 + b"9" * 5000 + b",1e999999,USD\n"),
    "huge_exponent": lambda: b'{"cases": [{"case_id": "hostile-exp", "title": "t", "views": 1e999999, "loss_amount": -1e-999999}]}',
    "exponent_amount": lambda: (b'{"cases": [{"case_id": "hostile-exp-amount", "title": "t", "loss_amount": -1e-999999999, '
                                b'"loss_currency": "USD"}]}'),
    "exponent_amount_turtle": lambda: (b'<https://w3id.org/deepfake-kg/id/case/hostile-exp-ttl> a <https://w3id.org/deepfake-kg/ontology/CaseRecord> ; '
                                       b'<https://w3id.org/deepfake-kg/ontology/caseId> "hostile-exp-ttl" ; '
                                       b'<https://w3id.org/deepfake-kg/ontology/lossAmount> "1e999999999"^^<http://www.w3.org/2001/XMLSchema#decimal> .'),
    "long_field_csv": lambda: b"case_id,title,jurisdiction\nhostile-long," + b"A" * 3_000_000 + b",CN\n",
    "long_title_json": lambda: b'{"cases": [{"case_id": "hostile-long-json", "title": "' + "\u00e9".encode() * 400_000 + b'"}]}',
    "many_columns_csv": lambda: b",".join(b"c%d" % i for i in range(20_000)) + b"\n" + b"," * 19_999 + b"\n",
}
SPARQL_GENERATORS: dict[str, Callable[[], str]] = {
    "flat_3000": lambda: "SELECT * WHERE { " + " ".join(f"?s <urn:p{i}> ?o{i} ." for i in range(3000)) + " }",
    "nested_20000": lambda: "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000,
    "update_60000_inserts": lambda: " ;\n".join(f"INSERT DATA {{ <urn:s{i}> <urn:p> {i} }}" for i in range(60_000)),
}


def body_of(entry: dict, listener: str) -> bytes:
    data = GENERATORS[entry["generate"]]() if "generate" in entry else (HOSTILE / entry["name"]).read_bytes()
    return data.replace(b"{LISTENER}", listener.encode())


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-cli") / "store"
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    store.close()
    return folder


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("hostile-api") / "store", token=TOKEN, query_workers=1,
                        query_timeout=QUERY_TIMEOUT, max_body_bytes=6_000_000, query_memory_mb=1024)
    with TestClient(create_app(settings), raise_server_exceptions=False) as http:
        yield http


@pytest.fixture
def listener(monkeypatch, canary) -> Iterator[Canary]:
    """The listener, plus a guard that records (and refuses) any outbound connection made by this process."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None:
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                attempts.append(address)
                raise OSError(f"test forbids a connection to {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield canary
    assert not canary.contacted(wait=0.02), "something connected to the loopback listener"
    assert attempts == [], f"connections beyond loopback were attempted: {attempts}"


def case_graphs(client: TestClient) -> set[str]:
    return {graph for graph in client.app.state.store.graph_names() if "/graph/case/" in graph}


def no_leak(text: str) -> None:
    for marker in LEAKS:
        assert marker not in text, f"{marker!r} leaked into {text[:300]!r}"


@pytest.mark.parametrize("entry", MANIFEST["records"], ids=[entry["name"] for entry in MANIFEST["records"]])
def test_hostile_record_file(entry, runner, cli_dir, client, listener, tmp_path):
    data = body_of(entry, listener.url)
    path = tmp_path / entry["name"]
    path.write_bytes(data)

    result = runner.invoke(cli, ["validate", str(path), "--data-dir", str(cli_dir)])
    assert result.exit_code == entry["cli"], result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if entry["cli"] == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("deepfake-kg: ") and entry["says"] in lines[0], result.stderr
    else:
        assert entry["says"] in result.stdout
    no_leak(result.output)

    before = case_graphs(client)
    media = {"Content-Type": MEDIA[Path(entry["name"]).suffix]}
    response = client.post("/validate", content=data, headers=media)
    assert response.status_code == entry["http"], response.text[:500]
    assert len(response.content) < 100_000, "the answer is not amplified from a small input"
    no_leak(response.text)
    if entry["http"] == 200:
        report = response.json()
        assert report["conforms"] is (entry["cli"] == 0)
        assert report["conforms"] or any(entry["says"] in problem["message"] for problem in report["problems"])
    else:
        assert entry["says"] in response.json()["error"]

    graphs_before = curated_and_law(client)
    stored = client.post("/cases", content=data, headers={**media, "Authorization": f"Bearer {TOKEN}"})
    expected = entry.get("cases", 201 if entry["cli"] == 0 else 422 if entry["http"] == 200 else entry["http"])
    assert stored.status_code == expected, stored.text[:500]
    no_leak(stored.text)
    assert curated_and_law(client) == graphs_before, "a contributed record changed a curated case or the law"
    if expected == 201:
        client.delete(f"/cases/{stored.json()['stored'][0]}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert case_graphs(client) == before


def curated_and_law(client: TestClient) -> dict[str, int]:
    """The size of each graph no contribution may touch: the ontology, the knowledge base, every curated case."""
    rows = client.app.state.store.select("""SELECT ?g (COUNT(*) AS ?n) WHERE {
        { VALUES ?g { <https://w3id.org/deepfake-kg/graph/ontology> <https://w3id.org/deepfake-kg/graph/kb> } }
        UNION { GRAPH <https://w3id.org/deepfake-kg/graph/meta> { ?set <http://purl.org/dc/terms/hasPart> ?g } }
        GRAPH ?g { ?s ?p ?o } } GROUP BY ?g""")
    return {str(row["g"]): int(row["n"]) for row in rows}


def quad_count(client: TestClient) -> int:
    rows = client.app.state.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"])


@pytest.mark.parametrize("entry", MANIFEST["sparql"], ids=[entry["name"] for entry in MANIFEST["sparql"]])
def test_hostile_sparql(entry, client, listener):
    before = quad_count(client)
    fill = lambda text: text.replace("{LISTENER}", listener.url)  # noqa: E731
    if "generate" in entry:
        body = SPARQL_GENERATORS[entry["generate"]]()
        content_type = entry.get("content_type", "application/sparql-query")
        response = client.post("/sparql", content=body.encode(), headers={"Content-Type": content_type})
    elif "body" in entry:
        response = client.post("/sparql", content=fill(entry["body"]).encode(), headers={"Content-Type": entry["content_type"]})
    else:
        form = {key: fill(entry[key]) for key in ("query", "update", "default-graph-uri") if key in entry}
        response = client.post("/sparql", data=form, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == entry["http"], response.text[:500]
    no_leak(response.text)
    if entry["http"] >= 400:
        assert response.headers["content-type"].startswith("application/json")
        assert entry["says"] in response.json()["error"]
    assert quad_count(client) == before, "a refused request changed the store"


def test_endpoint_answers_after_the_runaway_query(client):
    """The cartesian query was stopped by killing its worker; the replacement answers."""
    response = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_formula_cells_are_neutralised_in_csv_exports(client, runner, tmp_path):
    """Spreadsheet formulas contributed in a case never start a cell of a CSV the service writes."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    data = (HOSTILE / "csv_formula.csv").read_bytes()
    stored = client.post("/cases", content=data, headers={"Content-Type": "text/csv", **auth})
    assert stored.status_code == 201, stored.text
    try:
        exports = {path: client.get(path, params={"format": "csv"}) for path in ("/gaps", "/sentencing", "/coverage")}
        for path, response in exports.items():
            assert response.status_code == 200, (path, response.text[:300])
            bad = [cell for cell in csv_cells(response.text) if cell.startswith(FORMULA_STARTS)]
            assert bad == [], (path, bad[:5])
        assert "hostile-formula-1" in exports["/gaps"].text and "hostile-formula-1" in exports["/sentencing"].text

        record = client.get("/cases/hostile-formula-1").json()
        hostile = [record["title"], record["authority"], record["reference"], record["summary"], *record["platforms"]]
        assert all(value.startswith(("=", "+", "-", "@")) for value in hostile), "the record keeps what was contributed"
        rows = [{"gap": "g", "kind": "gap", "case_id": record["case_id"], "case": value, "jurisdiction": value,
                 "act_date": value, "explanation": value, "provisions": [value, value]} for value in hostile]
        written = render.findings_csv(rows)
        assert not [cell for cell in csv_cells(written) if cell.startswith(FORMULA_STARTS)]
        assert all(f"'{value}" in written.replace('""', '"') for value in hostile)
    finally:
        client.delete("/cases/hostile-formula-1", headers=auth)
