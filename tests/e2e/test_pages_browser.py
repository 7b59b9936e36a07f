"""The pages in headless Chromium against a live server: real data, no console errors, nothing fetched off the loopback."""

from __future__ import annotations

from pathlib import Path

import httpx

from deepfake_kg.gaps import coverage, find_gaps
from deepfake_kg.paths import QUERIES_DIR

from live_browser import ARTIFACTS, LiveServer, Watched

DFK = "https://w3id.org/deepfake-kg/ontology/"


def sparql_rows(server: LiveServer, query: str) -> list[dict]:
    """Ask the server's own /sparql endpoint, independently of the page under test."""
    response = httpx.post(server.url + "/sparql", data={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def test_home_page_shows_what_the_graph_holds(live_server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    watched.screenshot("home")
    cases = sparql_rows(live_server, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{DFK}CaseRecord> }}")
    provisions = sparql_rows(live_server, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{DFK}Provision> }}")
    assert int(cases[0]["n"]["value"]) > 0 and int(provisions[0]["n"]["value"]) > 0, "the shipped KB is loaded"
    assert page.inner_text("#count-cases") == cases[0]["n"]["value"]
    assert page.inner_text("#count-provisions") == provisions[0]["n"]["value"]
    for target in ("/gaps?format=html", "/coverage?format=html", "/ontology", "/docs", "/editor", "/browse/cases"):
        assert page.locator(f'a[href="{target}"]').count() >= 1, target
    assert watched.console_errors == []
    assert watched.outside_requests == []


def test_a_query_typed_in_the_editor_returns_rows(live_server: LiveServer, watched: Watched) -> None:
    query = (f"SELECT ?act ?code WHERE {{ ?act a <{DFK}DeepfakeActType> ; <{DFK}code> ?code }} ORDER BY ?code")
    expected = sorted(row["code"]["value"] for row in sparql_rows(live_server, query))
    page = watched.page
    page.goto(live_server.url + "/editor")
    page.wait_for_selector(".CodeMirror")
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(query)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    cells = page.locator(".yasr table tbody tr td:nth-child(3)").all_inner_texts()
    watched.screenshot("editor")
    assert expected and sorted(text.strip().strip('"') for text in cells) == expected
    assert watched.console_errors == []
    assert watched.outside_requests == []


def test_a_named_query_opens_in_a_new_tab_with_its_text(live_server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(live_server.url + "/editor")
    page.wait_for_selector(".CodeMirror")
    options = page.locator("#named-query option").evaluate_all("nodes => nodes.map(n => n.value).filter(Boolean)")
    assert options, "the picker lists the project's named queries"
    tabs_before = page.locator(".tabsList .tab").count()
    page.select_option("#named-query", options[-1])
    page.click("#open-query")
    page.wait_for_function(f"document.querySelectorAll('.tabsList .tab').length > {tabs_before}")
    shown = page.evaluate("window.dfkYasgui.getTab().getYasqe().getValue()")
    assert shown == (QUERIES_DIR / f"{options[-1]}.rq").read_text(encoding="utf-8")
    assert watched.console_errors == []


def test_charts_draw_the_coverage_and_findings_on_the_server(live_server: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(live_server.url + "/charts")
    page.wait_for_load_state("networkidle")
    watched.screenshot("charts")
    reader = live_server.reader()
    cells, findings = coverage(reader), find_gaps(reader)
    reader.close()
    assert cells, "the coverage matrix has cells"
    assert page.locator("#coverage-chart g.cell").count() == (
        len({c["act"] for c in cells}) * len({c["jurisdiction"] for c in cells}))
    shaded = page.locator("#coverage-chart g.cell text").all_text_contents()
    assert sorted(int(n) for n in shaded) == sorted(len(c["provisions"]) for c in cells if c["provisions"])
    gaps = [f for f in findings if f["kind"] == "gap"]
    if gaps:
        segments = page.locator("#findings-chart g.segment title").all_text_contents()
        assert sum(int(title.rsplit(": ", 1)[1]) for title in segments) == len(gaps)
        page.locator("#findings-chart").screenshot(path=str(ARTIFACTS / "charts-findings.png"))
    else:
        assert page.locator("#no-findings").is_visible()
    assert watched.console_errors == []
    assert watched.outside_requests == []
