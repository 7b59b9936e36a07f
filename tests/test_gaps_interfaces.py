"""The gap reports from the command line and over HTTP: formats, filters, exit codes and errors."""

from __future__ import annotations

import csv
import io
import json
import socket

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph

from deepfake_kg.api.gaps import router
from deepfake_kg.cli import app as cli
from deepfake_kg.store import EmbeddedStore
from test_gaps_law import LAW, PREFIXES, case_turtle, make_store

CASES = {
    "below-threshold": {"content_type": ["sexual"], "views": 1000, "reposts": 10, "realism": "high", "intent": ["profit"]},
    "viral-harmless": {"content_type": ["sexual"], "views": 2_000_000, "reposts": 0, "harms": ["none"], "realism": "low"},
    "victim-notice": {"platform_notice": "victim", "platform_removed": "no"},
    "=cmd|formula": {"jurisdiction": "ZQ"},
}
TURTLE = [LAW, *(case_turtle(case_id.replace("=", "x").replace("|", "-"), **fields) for case_id, fields in CASES.items())]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A persistent store with the shipped graphs plus the test law and cases, closed so the CLI can open it."""
    folder = tmp_path_factory.mktemp("gaps-store")
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    graphs = {}
    for number, text in enumerate(TURTLE):
        graph = Graph().parse(data=PREFIXES + text, format="turtle")
        graphs[f"https://w3id.org/deepfake-kg/graph/test/{number}"] = graph.serialize(format="nt")
    store.replace_graphs(graphs)
    store.close()
    return folder


def run(runner, data_dir, *args):
    return runner.invoke(cli, [*args, "--data-dir", str(data_dir)], env={"COLUMNS": "400"})


def test_gaps_json_lists_findings_of_the_test_jurisdiction(runner, data_dir):
    result = run(runner, data_dir, "gaps", "--jurisdiction", "ZZ", "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert {("threshold-under-inclusion", "below-threshold"), ("threshold-over-inclusion", "viral-harmless"),
            ("platform-notice-gap", "victim-notice")} <= {(f["gap"], f["case_id"]) for f in findings}
    assert {f["jurisdiction"] for f in findings} == {"ZZ"}


def test_gaps_filter_by_id_and_table(runner, data_dir):
    result = run(runner, data_dir, "gaps", "--gap", "platform-notice-gap", "--jurisdiction", "ZZ")
    assert result.exit_code == 0 and "victim-notice" in result.output and "below-threshold" not in result.output


def test_gaps_csv_neutralises_formulas(runner, data_dir):
    result = run(runner, data_dir, "gaps", "--gap", "unmodeled-jurisdiction", "--jurisdiction", "ZQ", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(not row[name].startswith(("=", "+", "-", "@")) for row in rows for name in row)


def test_gaps_html_groups_findings_and_links_cases_and_provisions(runner, data_dir):
    result = run(runner, data_dir, "gaps", "--jurisdiction", "ZZ", "--format", "html")
    assert result.output.lstrip().startswith("<!doctype html>")
    assert 'id="threshold-under-inclusion"' in result.output
    assert 'href="https://w3id.org/deepfake-kg/id/case/below-threshold"' in result.output
    assert 'href="https://w3id.org/deepfake-kg/id/provision/zz-obscene"' in result.output


def test_gaps_bad_options_fail_with_one_sentence(runner, data_dir):
    for args in (("--gap", "nonsense"), ("--as-of", "yesterday")):
        result = run(runner, data_dir, "gaps", *args)
        assert result.exit_code == 2 and "Traceback" not in result.output


def test_what_if_closes_findings_and_refuses_bad_proposals(runner, data_dir, tmp_path):
    result = run(runner, data_dir, "what-if", "zz-biometric-identity", "--format", "json")
    assert result.exit_code == 0, result.output
    closed = {(f["gap"], f["case_id"]) for f in json.loads(result.output)["closed"]}
    assert ("harm-without-criminal-liability", "below-threshold") in closed
    assert run(runner, data_dir, "what-if", "no-such-provision").exit_code == 2
    empty = tmp_path / "empty.ttl"
    empty.write_text(PREFIXES, encoding="utf-8")
    bad = run(runner, data_dir, "what-if", str(empty))
    assert bad.exit_code == 2 and "no dfk:ProvisionVersion" in bad.output


def test_coverage_lists_provisions_per_act_and_jurisdiction(runner, data_dir):
    result = run(runner, data_dir, "coverage", "--as-of", "2024-01-01", "--format", "json")
    cells = {(c["jurisdiction"], c["act"]): c for c in json.loads(result.output)}
    disseminate = cells[("ZZ", "disseminate")]
    assert "https://w3id.org/deepfake-kg/id/provision/zz-obscene" in [p["iri"] for p in disseminate["provisions"]]
    assert {"criminal", "civil", "none"} <= set(disseminate["sanction_kinds"])
    assert cells[("ZQ", "disseminate")]["provisions"] == []
    # the defamation version ended on 2020-07-01
    before = json.loads(run(runner, data_dir, "coverage", "--as-of", "2019-01-01", "--format", "json").output)
    names = [p["iri"] for c in before if (c["jurisdiction"], c["act"]) == ("ZZ", "disseminate") for p in c["provisions"]]
    assert "https://w3id.org/deepfake-kg/id/provision/zz-defamation" in names
    assert "https://w3id.org/deepfake-kg/id/provision/zz-defamation" not in [p["iri"] for p in disseminate["provisions"]]
    assert "<table>" in run(runner, data_dir, "coverage", "--format", "html").output


def test_sentencing_ranks_disagree_where_factors_and_views_differ(runner, data_dir):
    result = run(runner, data_dir, "sentencing", "--format", "json")
    view = json.loads(result.output)
    ranks = {c["case_id"]: c for c in view["cases"]}
    assert ranks["viral-harmless"]["dissemination_rank"] < ranks["below-threshold"]["dissemination_rank"]
    assert ranks["viral-harmless"]["factor_rank"] > ranks["below-threshold"]["factor_rank"]
    assert "viral-harmless" in [c["case_id"] for c in view["disagreements"]]


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    app.include_router(router)
    app.state.store = make_store(*TURTLE)
    with TestClient(app) as test_client:
        yield test_client
    app.state.store.close()


def test_http_gaps_in_each_format(client):
    findings = client.get("/gaps", params={"jurisdiction": "ZZ"}).json()
    assert "threshold-over-inclusion" in {f["gap"] for f in findings}
    as_csv = client.get("/gaps", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("gap,kind,about,case_id")
    as_html = client.get("/gaps", headers={"accept": "text/html"})
    assert as_html.headers["content-type"].startswith("text/html") and 'href="/cases/below-threshold"' in as_html.text


def test_http_one_gap_type(client):
    only = client.get("/gaps/platform-notice-gap").json()
    assert only and {f["gap"] for f in only} == {"platform-notice-gap"}
    missing = client.get("/gaps/not-a-gap")
    assert missing.status_code == 404


def test_http_bad_filters_are_400(client):
    assert client.get("/gaps", params={"as_of": "soon"}).status_code == 400
    assert client.get("/gaps", params={"format": "pdf"}).status_code == 400
    assert client.get("/gaps", headers={"accept": "image/png"}).status_code == 406


def test_http_what_if_by_id_and_by_uploaded_file(client):
    by_id = client.post("/what-if", json={"proposals": ["zz-biometric-identity"]})
    assert by_id.status_code == 200
    assert "below-threshold" in {f["case_id"] for f in by_id.json()["closed"]}
    duty = PREFIXES + """
    <https://example.org/p> a dfk:Provision ; dfk:hasVersion <https://example.org/p/v> .
    <https://example.org/p/v> a dfk:ProvisionVersion ; dfk:hasStatus dfk:Proposed ; dfk:hasJurisdiction id:jurisdiction\\/ZZ ;
      dfk:addressee dfk:PlatformRole ; dfk:hasSanctionKind dfk:AdministrativeSanction ;
      dfk:hasElement [ a dfk:TriggerElement ; dfk:hasCondition [ dfk:onField dfk:hasPlatformNotice ; dfk:acceptsValue dfk:VictimNotice ] ] .
    """
    uploaded = client.post("/what-if", files={"file": ("duty.ttl", duty, "text/turtle")})
    assert uploaded.status_code == 200, uploaded.text
    assert ("platform-notice-gap", "victim-notice") in {(f["gap"], f["case_id"]) for f in uploaded.json()["closed"]}
    raw = client.post("/what-if", content=duty, headers={"content-type": "text/turtle"}, params={"format": "csv"})
    assert raw.status_code == 200 and raw.text.startswith("change,gap")


def test_http_what_if_refuses_bad_proposals_and_server_paths(client):
    assert client.post("/what-if", json={"proposals": ["no-such-thing"]}).status_code == 400
    assert client.post("/what-if", json={"proposals": ["/etc/hostname.ttl"]}).status_code == 400
    assert client.post("/what-if", json={"proposals": []}).status_code == 400
    assert client.post("/what-if", content=b"not turtle", headers={"content-type": "text/turtle"}).status_code == 400
    assert client.post("/what-if", content=b"x", headers={"content-type": "image/png"}).status_code == 415


@pytest.mark.parametrize("context", [
    {"@import": "{target}"},
    "{target}",
    [{"@version": 1.1}, "{target}"],
    {"term": {"@id": "urn:x:term", "@context": "{target}"}},
    {"@import": "file:///etc/hostname"},
    "file:///etc/hostname",
])
def test_http_what_if_fetches_no_json_ld_context(client, context):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.3)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/a"
        body = json.dumps({"@context": context, "@id": "urn:x", "urn:x:p": "v"}).replace("{target}", target)
        for send in ({"content": body, "headers": {"content-type": "application/ld+json"}},
                     {"files": {"file": ("p.jsonld", body, "application/ld+json")}}):
            response = client.post("/what-if", **send)
            assert response.status_code == 400, response.text
            assert "refused" in response.text and "/tmp" not in response.text and "hostname" not in response.text.replace(
                "file:///etc/hostname", "")
        with pytest.raises(socket.timeout):
            listener.accept()


def test_http_coverage_and_sentencing(client):
    cells = client.get("/coverage", params={"as_of": "2024-01-01"}).json()
    assert any(c["jurisdiction"] == "ZZ" and c["provisions"] for c in cells)
    assert "<table>" in client.get("/coverage", params={"format": "html"}).text
    assert client.get("/sentencing").json()["cases"]
    assert client.get("/sentencing", params={"format": "csv"}).text.startswith("case_id,case")
