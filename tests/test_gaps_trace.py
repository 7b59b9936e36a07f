"""Every finding carries its trace as structure, and one case's whole assessment can be shown (`--explain`).

Built from the made-up law of test_gaps_law, plus one provision that states its verification, source, element
label and condition note, so each part of a trace can be checked against what the law says.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph

from deepfake_kg.api.gaps import router
from deepfake_kg.cli import app as cli
from deepfake_kg.gaps import find_gaps, render, what_if
from deepfake_kg.gaps.api import findings as finding_objects
from deepfake_kg.store import EmbeddedStore
from test_gaps_law import LAW, PREFIXES, PROVISIONS, case_turtle, make_store, scope_turtle

ID = "https://w3id.org/deepfake-kg/id/"
SCOPE = f"{ID}scope/"
OBSCENE = f"{ID}provision/zz-obscene/v/2010-01-01"
PORTRAIT = f"{ID}provision/zz-portrait/v/2010-01-01"
PLATFORM = f"{ID}provision/zz-platform/v/2010-01-01"
DEFAMATION = f"{ID}provision/zz-defamation/v/2000-01-01"
STALKING = f"{ID}provision/zz-stalking/v/2015-01-01"
PROPOSAL = f"{ID}provision/zz-biometric-identity/v/proposed"
HARASSMENT = "https://w3id.org/deepfake-kg/ontology/HarassmentDomain"

# a criminal provision that says how well it was checked, where it comes from, and what its element stands for
STALKING_LAW = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:provision\\/zz-stalking a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. 7" ;
    dct:title "stalking" ; dfk:hasVersion id:provision\\/zz-stalking\\/v\\/2015-01-01 .
id:provision\\/zz-stalking\\/v\\/2015-01-01 a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:hasJurisdiction id:jurisdiction\\/ZZ ; dfk:validFrom "2015-01-01"^^xsd:date ; dfk:validUntil "2030-01-01"^^xsd:date ;
    dfk:hasNormKind dfk:OffenceNorm ; dfk:hasSanctionKind dfk:CriminalSanction ; dfk:addressee dfk:Perpetrator ;
    dfk:hasVerificationStatus dfk:Recalled ; dfk:verificationNote "Wording recalled, not checked."@en ;
    dct:source <https://example.org/zz-code/art-7> ;
    dfk:hasElement [ a dfk:ResultElement ; rdfs:label "serious circumstances" ;
                     dfk:hasCondition [ dfk:onField dfk:hasHarm ; dfk:acceptsValue dfk:MentalDisorderOrSelfHarm ;
                                        dfk:conditionNote "approximated as a recorded mental disorder or self-harm"@en ] ] ,
                   [ a dfk:IntentElement ; dfk:hasCondition [ dfk:onField dfk:hasIntent ; dfk:acceptsValue dfk:HarassmentIntent ] ] .
"""
BELOW = {"content_type": ["sexual"], "views": 1000, "reposts": 10}
CASES = {"below": BELOW, "consent-unknown": {"subject_consent": "unknown"}}
TURTLE = [LAW, STALKING_LAW, *(case_turtle(case_id, **fields) for case_id, fields in CASES.items())]


@pytest.fixture(scope="module")
def store():
    store = make_store(*TURTLE)
    yield store
    store.close()


@pytest.fixture(scope="module")
def found(store) -> list[dict]:
    return find_gaps(store)


def finding(found: list[dict], gap: str, case_id: str = "below", about: str | None = None) -> dict:
    return next(f for f in found if f["gap"] == gap and f["case_id"] == case_id and f["about"] == (about or gap))


def by_version(trace: dict) -> dict[str, dict]:
    return {version["version"]: version for version in trace["versions"]}


def test_a_gap_trace_lists_every_version_its_rule_considered_with_status_and_failed_elements(found):
    harm = by_version(finding(found, "harm-without-criminal-liability")["trace"])
    # the criminal provisions, and the civil or administrative ones that remain; not the unsanctioned obligation
    assert {version: v["status"] for version, v in harm.items()} == {
        OBSCENE: "does_not_reach", f"{ID}provision/zz-personal-info/v/2010-01-01": "does_not_reach",
        STALKING: "does_not_reach", PORTRAIT: "reaches", PLATFORM: "may_reach"}
    obscene = harm[OBSCENE]
    assert obscene["provision"] == f"{ID}provision/zz-obscene" and obscene["label"] == "ZZ Test Code Art. 1 (spreading obscene material)"
    assert (obscene["valid_from"], obscene["valid_until"], obscene["sanction_kinds"]) == ("2010-01-01", None, ["criminal"])
    assert [(e["status"], e["requirement"]) for e in obscene["elements"]] == [
        ("failed", "threshold element: view count at least 5000; or repost count at least 500")]
    assert harm[PORTRAIT]["elements"] == [] and harm[PORTRAIT]["sanction_kinds"] == ["civil"]
    assert {e["status"] for e in harm[PLATFORM]["elements"]} == {"unknown"} and harm[PLATFORM]["unknown_fields"]
    # threshold-under-inclusion reads the criminal-liability versions only
    under = by_version(finding(found, "threshold-under-inclusion")["trace"])
    assert set(under) == {OBSCENE, f"{ID}provision/zz-personal-info/v/2010-01-01", STALKING}


def test_a_trace_gives_each_element_its_label_and_condition_note_and_the_version_its_verification(found):
    stalking = by_version(finding(found, "harm-without-criminal-liability")["trace"])[STALKING]
    assert stalking["elements"] == [
        {"label": "serious circumstances", "status": "failed",
         "requirement": "serious circumstances: has harm is mental disorder or self-harm",
         "notes": ["approximated as a recorded mental disorder or self-harm"]},
        {"label": "intent element", "status": "unknown", "requirement": "intent element: has intent is harassment", "notes": []}]
    assert (stalking["valid_from"], stalking["valid_until"]) == ("2015-01-01", "2030-01-01")
    assert stalking["verification_status"] == "recalled" and stalking["verification_note"] == "Wording recalled, not checked."
    assert stalking["sources"] == ["https://example.org/zz-code/art-7"]


def test_a_gap_trace_lists_the_declarations_it_relied_on(found):
    trace = finding(found, "harm-without-criminal-liability")["trace"]
    assert trace["scope_missing"] == []
    harassment = [c for c in trace["scope_relied"] if c["domain"] == HARASSMENT and not c["checks_parts"]]
    assert harassment == [{
        "jurisdiction": "ZZ", "domain": HARASSMENT, "domain_label": "harassment, stalking and malicious communications",
        "sanction_kind": "criminal", "checks_parts": False, "gaps": ["harm-without-criminal-liability", "threshold-under-inclusion"],
        "satisfied": True, "declarations": [f"{SCOPE}ZZ-Harassment-Criminal"],
        "text": "the knowledge base declares its model of ZZ harassment, stalking and malicious communications law (criminal) "
                "complete from 1990-01-01 (https://example.org/zz-code)"}]
    parts = [c for c in trace["scope_relied"] if c["domain"] == HARASSMENT and c["checks_parts"]]
    assert parts and parts[0]["declarations"] == [f"{SCOPE}ZZ-A-Harassment-Criminal"]
    assert all(c["satisfied"] and "harm-without-criminal-liability" in c["gaps"] for c in trace["scope_relied"])


def test_an_unmodeled_law_notice_trace_lists_the_missing_checks():
    key = ("ZZ", "Harassment", "Criminal")
    store = make_store(PROVISIONS, scope_turtle({key: "NotModelled"}), case_turtle("c"))
    try:
        notice = finding(find_gaps(store), "unmodeled-law", "c", about="harm-without-criminal-liability")
    finally:
        store.close()
    missing = notice["trace"]["scope_missing"]
    assert [(c["jurisdiction"], c["domain"], c["sanction_kind"], c["satisfied"]) for c in missing] == [
        ("ZZ", HARASSMENT, "criminal", False)]
    assert "declared not modelled" in missing[0]["text"] and missing[0]["declarations"] == []
    assert ("ZZ", HARASSMENT, False) not in {(c["jurisdiction"], c["domain"], c["checks_parts"]) for c in notice["trace"]["scope_relied"]}
    assert notice["trace"]["versions"], "the versions considered are listed for a notice too"


def test_the_trace_follows_the_date_and_the_proposals_of_the_evaluation(store, found):
    assert DEFAMATION not in by_version(finding(found, "harm-without-criminal-liability")["trace"])
    then = by_version(finding(find_gaps(store, as_of="2019-01-01"), "harm-without-criminal-liability")["trace"])
    assert then[DEFAMATION]["valid_until"] == "2020-07-01" and then[DEFAMATION]["status"] == "does_not_reach"
    opened = what_if(store, ["zz-biometric-identity"])["opened"]
    proposed = [by_version(f["trace"]).get(PROPOSAL) for f in opened if f["case_id"] == "consent-unknown"]
    assert proposed and all(v is not None and v["status"] == "may_reach" and "has subject consent" in v["unknown_fields"]
                            for v in proposed)


def test_findings_stay_hashable_and_keyed_by_gap_about_and_case(store):
    objects = finding_objects(store)
    assert len({hash(f) for f in objects}) == len(objects)
    assert all(f.key == (f.gap, f.about, f.case) for f in objects)


def test_csv_flattens_the_trace_into_columns(found):
    rows = {(row["gap"], row["case_id"]): row for row in csv.DictReader(io.StringIO(render.findings_csv(found)))}
    assert {"versions_reaching", "versions_not_reaching", "versions_may_reach", "scope_relied", "scope_missing"} <= set(
        next(iter(rows.values())))
    assert "trace" not in next(iter(rows.values()))
    harm = rows[("harm-without-criminal-liability", "below")]
    assert harm["versions_reaching"] == PORTRAIT and harm["versions_may_reach"] == PLATFORM
    assert set(harm["versions_not_reaching"].split(";")) == {OBSCENE, STALKING, f"{ID}provision/zz-personal-info/v/2010-01-01"}
    assert f"{SCOPE}ZZ-Harassment-Criminal" in harm["scope_relied"].split(";") and harm["scope_missing"] == ""
    notice = render.findings_csv([{**found[0], "trace": {"versions": [], "scope_relied": [], "scope_missing": [
        {"jurisdiction": "ZZ", "domain": HARASSMENT, "domain_label": "harassment", "sanction_kind": "criminal",
         "checks_parts": False, "declarations": []}]}}])
    assert list(csv.DictReader(io.StringIO(notice)))[0]["scope_missing"] == "ZZ harassment (criminal)"


HOSTILE = "<script>alert(1)</script>"


def test_html_folds_the_trace_under_each_finding_and_escapes_hostile_law():
    hostile = PROVISIONS.replace('dct:title "spreading obscene material"', f'dct:title "{HOSTILE}"') + """
id:provision\\/zz-obscene\\/v\\/2010-01-01 dct:source <javascript:alert(2)> , <https://example.org/zz-code/art-1> .
"""
    store = make_store(hostile, scope_turtle(), case_turtle("c", **BELOW))
    try:
        page = render.findings_html(find_gaps(store))
    finally:
        store.close()
    assert '<details class="trace">' in page and "<summary>Trace:" in page
    assert f'href="{OBSCENE}"' in page and 'href="https://example.org/zz-code/art-1"' in page
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(2)" in page


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A persistent store with the shipped graphs plus the test law and cases, closed so the CLI can open it."""
    folder = tmp_path_factory.mktemp("trace-store")
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    store.replace_graphs({f"https://w3id.org/deepfake-kg/graph/test/{number}":
                          Graph().parse(data=PREFIXES + text, format="turtle").serialize(format="nt")
                          for number, text in enumerate(TURTLE)})
    store.close()
    return folder


def run(runner, data_dir, *args):
    return runner.invoke(cli, [*args, "--data-dir", str(data_dir)], env={"COLUMNS": "400"})


EXPECTED = {"ZZ Test Code Art. 1 (spreading obscene material)": "does_not_reach",
            "ZZ Test Code Art. 2 (infringing personal information)": "does_not_reach",
            "ZZ Test Code Art. 4 (portrait right)": "reaches",
            "ZZ Test Code Art. 5 (labelling synthetic content)": "does_not_reach",
            "ZZ Test Code Art. 6 (platform removal on order)": "may_reach",
            "ZZ Test Code Art. 7 (stalking)": "does_not_reach"}


def check_explanation(explained: dict) -> None:
    """One case's whole assessment: every version with its status, domains, every scope check, the findings."""
    assert explained["case_id"] == "below" and explained["assessed"] is True
    assert {v["label"]: v["status"] for v in explained["versions"]} == EXPECTED
    label = next(v for v in explained["versions"] if v["version"] == f"{ID}provision/zz-label/v/2010-01-01")
    assert label["considered_for"] == ["obligation-without-sanction"]
    assert HARASSMENT in {d["domain"] for d in explained["engaged_domains"]}
    assert explained["scope_checks"] and {"harm-without-criminal-liability", "threshold-under-inclusion"} <= {
        gap for check in explained["scope_checks"] for gap in check["gaps"]}
    assert {"harm-without-criminal-liability", "threshold-under-inclusion"} <= {f["gap"] for f in explained["findings"]}
    assert {f["case_id"] for f in explained["findings"]} == {"below"}


def test_cli_explains_one_case_as_json_and_on_a_terminal(runner, data_dir):
    result = run(runner, data_dir, "gaps", "--case", "below", "--explain", "--format", "json")
    assert result.exit_code == 0, result.output
    check_explanation(json.loads(result.output))
    table = run(runner, data_dir, "gaps", "--case", "below", "--explain")
    assert table.exit_code == 0, table.output
    for text in (*EXPECTED, "does not reach", "reaches", "may reach", "scope checks", "legal domains engaged", "findings"):
        assert text in table.output
    only = json.loads(run(runner, data_dir, "gaps", "--case", "below", "--format", "json").output)
    assert only and {f["case_id"] for f in only} == {"below"} and all(f["trace"]["versions"] for f in only)


def test_cli_explain_needs_a_known_case(runner, data_dir):
    for args in (("--explain",), ("--case", "no-such-case", "--explain")):
        result = run(runner, data_dir, "gaps", *args)
        assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.fixture(scope="module")
def client(store):
    app = FastAPI()
    app.include_router(router)
    app.state.store = store
    with TestClient(app) as test_client:
        yield test_client


def test_http_explains_one_case(client):
    explained = client.get("/gaps", params={"case": "below", "explain": "true"})
    assert explained.status_code == 200, explained.text
    check_explanation(explained.json())
    page = client.get("/gaps", params={"case": "below", "explain": "true", "format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "Provision versions assessed (6)" in page.text
    assert 'href="/cases/below"' in page.text
    rows = list(csv.DictReader(io.StringIO(client.get("/gaps", params={"case": "below", "explain": "true",
                                                                        "format": "csv"}).text)))
    assert {row["label"]: row["status"] for row in rows} == EXPECTED


def test_http_filters_by_case_and_refuses_a_bad_explain(client):
    only = client.get("/gaps", params={"case": "below"}).json()
    assert only and {f["case_id"] for f in only} == {"below"} and all("trace" in f for f in only)
    assert {f["case_id"] for f in client.get("/gaps/harm-without-criminal-liability", params={"case": "below"}).json()} == {"below"}
    assert client.get("/gaps", params={"explain": "true"}).status_code == 400
    assert client.get("/gaps", params={"case": "no-such-case", "explain": "true"}).status_code == 404
