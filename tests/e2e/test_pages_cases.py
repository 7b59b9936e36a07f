"""The case browser and the contribution page in headless Chromium, on the curated cases of the knowledge base."""

from __future__ import annotations

import re
import csv
import io
from pathlib import Path

from live_browser import TOKEN, LiveServer, Watched
from test_pages_browser import DFK, sparql_rows

from deepfake_kg.gaps import find_gaps
from deepfake_kg.paths import KB_DIR

SHACL_WARM_UP_MS = 120_000


def test_the_case_browser_filters_and_opens_a_case(live_server: LiveServer, watched: Watched) -> None:
    per_jurisdiction = {row["code"]["value"]: int(row["n"]["value"]) for row in sparql_rows(live_server, f"""
        SELECT ?code (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?c a <{DFK}CaseRecord> ; <{DFK}hasJurisdiction> ?j .
          OPTIONAL {{ ?j <{DFK}jurisdictionCode> ?jc }}
          BIND(COALESCE(?jc, STRAFTER(STR(?j), "/jurisdiction/")) AS ?code)
        }} GROUP BY ?code""")}
    total = sum(per_jurisdiction.values())
    assert len(per_jurisdiction) >= 2, "the graph holds cases of at least two jurisdictions"
    page = watched.page
    page.goto(live_server.url + "/browse/cases")
    assert page.locator("tr.case-row").count() == total
    chosen = max(per_jurisdiction, key=lambda code: (per_jurisdiction[code], code))
    page.select_option("#filter-jurisdiction", chosen)
    page.click("#case-filters button[type=submit]")
    page.wait_for_url(f"**jurisdiction={chosen}**")
    watched.screenshot("cases-filtered")
    assert page.locator("tr.case-row").count() == per_jurisdiction[chosen] < total
    assert set(page.locator("tr.case-row td.jurisdiction").all_inner_texts()) == {chosen}

    reader = live_server.reader()
    findings = find_gaps(reader)
    reader.close()
    gaps = [f for f in findings if f["kind"] == "gap"]
    if gaps:
        gap = gaps[0]["gap"]
        page.goto(live_server.url + "/browse/cases")
        page.select_option("#filter-gap", gap)
        page.click("#case-filters button[type=submit]")
        page.wait_for_url(f"**gap={gap}**")
        shown = set(page.locator("tr.case-row").evaluate_all("rows => rows.map(r => r.dataset.caseId)"))
        assert shown == {f["case_id"] for f in gaps if f["gap"] == gap}

    first = page.locator("tr.case-row a").first
    case_id = page.locator("tr.case-row").first.get_attribute("data-case-id")
    first.click()
    page.wait_for_selector("#case-title")
    watched.screenshot("case")
    assert case_id in page.inner_text("main")
    assert page.locator("table.facts tr").count() >= 5
    for finding in (f for f in findings if f["case_id"] == case_id):
        assert finding["explanation"] in page.inner_text("#case-findings")
    assert watched.console_errors == []
    assert watched.outside_requests == []


INVALID_BATCH = (
    "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source\n"
    "e2e-unknown-act,Row with an act code the format does not have,CN,2024-05,teleport,facial,public_online,https://example.org/e2e\n"
    "e2e-bad-date,Row with a month that does not exist,CN,2024-13,create,facial,public_online,https://example.org/e2e\n"
)


def test_an_invalid_upload_shows_each_problem_at_its_row_and_column(
        live_server: LiveServer, watched: Watched, tmp_path: Path) -> None:
    upload = tmp_path / "batch.csv"
    upload.write_text(INVALID_BATCH, encoding="utf-8")
    cases_before = sparql_rows(live_server, f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{DFK}CaseRecord> }}")
    page = watched.page
    page.goto(live_server.url + "/contribute")
    page.set_input_files("#batch-file", str(upload))
    page.wait_for_function("document.getElementById('batch-text').value.includes('e2e-bad-date')")
    assert page.input_value("#batch-format") == "text/csv"
    page.click("#check-batch")
    page.wait_for_selector("#report-table tr.problem", timeout=SHACL_WARM_UP_MS)
    watched.screenshot("contribute-invalid")
    places = page.locator("tr.problem td.problem-place").all_inner_texts()
    fields = page.locator("tr.problem td.problem-field").all_inner_texts()
    rows_by_field: dict[str, set[int]] = {}
    for place, field in zip(places, fields):
        row = re.search(r"row (\d+)", place)
        if row:
            rows_by_field.setdefault(field, set()).add(int(row.group(1)))
    assert len(rows_by_field.get("acts", ())) == 1 and len(rows_by_field.get("act_date", ())) == 1
    assert min(rows_by_field["acts"]) + 1 == min(rows_by_field["act_date"]), "consecutive lines, consecutive rows"

    page.fill("#batch-token", TOKEN)
    page.click("#submit-batch")
    page.wait_for_selector("#report-table tr.problem")
    assert sparql_rows(live_server, f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{DFK}CaseRecord> }}") == cases_before
    refused = "Failed to load resource: the server responded with a status of 4"
    assert [error for error in watched.console_errors if not error.startswith(refused)] == []


def test_a_valid_batch_of_a_curated_case_is_checked_then_refused_even_with_the_token(
        live_server: LiveServer, watched: Watched) -> None:
    with (KB_DIR / "cases" / "seed-paper-cases.csv").open(encoding="utf-8", newline="") as curated:
        reader = csv.reader(curated)
        header, first = next(reader), next(reader)
    batch = io.StringIO()
    csv.writer(batch, lineterminator="\n").writerows([header, first])
    count = f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{DFK}CaseRecord> }}"
    cases_before = sparql_rows(live_server, count)
    page = watched.page
    page.goto(live_server.url + "/contribute")
    page.fill("#batch-text", batch.getvalue())
    page.click("#check-batch")
    page.wait_for_selector("#report-summary.ok", timeout=SHACL_WARM_UP_MS)
    assert page.locator("#report-table tr.problem.violation").count() == 0

    page.fill("#batch-token", "not-the-token")
    page.click("#submit-batch")
    page.wait_for_selector("#report-summary.error", timeout=SHACL_WARM_UP_MS)
    page.fill("#batch-token", TOKEN)
    page.click("#submit-batch")
    page.wait_for_selector("#report-summary.error", timeout=SHACL_WARM_UP_MS)
    watched.screenshot("contribute-curated-refused")
    assert "curated" in page.inner_text("#report-summary")
    assert sparql_rows(live_server, count) == cases_before, "a refused curated case changed the store"
    refused = ("Failed to load resource: the server responded with a status of 401",
               "Failed to load resource: the server responded with a status of 409")
    assert [error for error in watched.console_errors if not error.startswith(refused)] == []
