"""Data never reaches a page as markup or as a link a browser would run: escaping everywhere, http(s) hrefs only."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepfake_kg.api.pages.charts import coverage_svg, findings_svg
from deepfake_kg.cli import app
from deepfake_kg.gaps.render import coverage_html, findings_html, sentencing_html
from deepfake_kg.links import is_web_link

CASES = Path(__file__).parent / "data" / "cases"
PAYLOAD = '<script>alert(1)</script>"><svg onload=alert(2)>'


@pytest.mark.parametrize("iri", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x",
                                 "vbscript:x", "file:///etc/passwd", "http://a.example/\njavascript:x"])
def test_only_http_and_https_iris_become_links(iri):
    assert not is_web_link(iri)


def test_web_addresses_stay_links():
    assert is_web_link("https://example.org/a?b=c#d") and is_web_link("HTTP://example.org/")


def test_gap_report_coverage_and_sentencing_escape_data_and_drop_script_links():
    finding = {"case_id": PAYLOAD, "case": "javascript:alert(3)", "gap": "harm-without-criminal-liability", "kind": "gap",
               "jurisdiction": PAYLOAD, "reason": PAYLOAD, "provisions": ["javascript:alert(4)"]}
    pages = [
        findings_html([finding], case_link=lambda f: "/cases/x"),
        coverage_html([{"jurisdiction": PAYLOAD, "act": "urn:x:act", "act_label": PAYLOAD, "as_of": "2024-01-01",
                        "sanction_kinds": ["criminal"], "provisions": [{"iri": "javascript:alert(5)", "name": PAYLOAD,
                                                                        "sanction": "criminal"}]}]),
        sentencing_html({"cases": [{"case_id": PAYLOAD, "case": "javascript:alert(6)", "jurisdiction": PAYLOAD}],
                         "disagreements": []}),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<svg onload" not in page
        assert 'href="javascript:' not in page.lower()


def test_charts_escape_labels():
    svg = findings_svg([{"gap": PAYLOAD, "jurisdiction": PAYLOAD, "kind": "gap"}])
    svg += coverage_svg([{"jurisdiction": PAYLOAD, "act": "urn:x", "act_label": PAYLOAD, "as_of": PAYLOAD, "provisions": [{"iri": "urn:p", "name": PAYLOAD, "sanction": None}],
                          "sanction_kinds": ["criminal"]}])
    assert "<script>alert" not in svg and "<svg onload" not in svg


def test_a_source_iri_with_a_script_scheme_is_invalid(runner, kb_dir, tmp_path):
    record = (CASES / "valid.ttl").read_text(encoding="utf-8")
    hostile = tmp_path / "hostile-source.ttl"
    hostile.write_text(record.replace("dct:source <https://", "dct:source <javascript:alert(1)//", 1), encoding="utf-8")
    assert hostile.read_text(encoding="utf-8") != record
    result = runner.invoke(app, ["validate", str(hostile), "--data-dir", str(kb_dir)])
    assert result.exit_code != 0
    assert "scheme is not http or https" in result.output


@pytest.mark.parametrize("case_id", ["test-001\n", "test-001\r\n", "test-001\r"])
def test_a_case_id_with_a_line_end_is_invalid(runner, kb_dir, tmp_path, case_id):
    import json

    document = json.loads((CASES / "valid.json").read_text(encoding="utf-8"))
    document["cases"] = [dict(document["cases"][0], case_id=case_id)]
    hostile = tmp_path / "case-id.json"
    hostile.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(hostile), "--data-dir", str(kb_dir)])
    assert result.exit_code != 0 and "is not a valid case_id" in result.output
