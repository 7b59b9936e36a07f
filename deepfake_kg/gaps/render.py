"""Serialise findings, what-if results, the coverage matrix and the sentencing view as JSON, CSV or HTML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from jinja2 import Environment, PackageLoader

from deepfake_kg.gaps.findings import FIELDS, GAP_IDS, NOTICE_IDS
from deepfake_kg.gaps.trace import STATUSES
from deepfake_kg.links import is_web_link

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHANGES = ("closed", "kept", "opened")
STATUS_COLUMNS = {"reaches": "versions_reaching", "does_not_reach": "versions_not_reaching", "may_reach": "versions_may_reach"}
TRACE_COLUMNS = (*(STATUS_COLUMNS[status] for status in STATUSES), "scope_relied", "scope_missing")
CSV_FIELDS = (*(name for name in FIELDS if name != "trace"), *TRACE_COLUMNS)
EXPLAIN_FIELDS = ("case_id", "provision", "label", "version", "valid_from", "valid_until", "sanction_kinds", "status",
                  "elements_failed", "elements_unknown", "unknown_fields", "considered_for", "verification_status", "sources")
COVERAGE_FIELDS = ("jurisdiction", "act", "act_label", "as_of", "sanction_kinds", "provisions")
SENTENCING_FIELDS = ("case_id", "case", "jurisdiction", "views", "reposts", "dissemination_rank",
                     "realism", "exploitation", "harm", "factor_score", "factor_rank", "disagreement")
_environment = Environment(loader=PackageLoader("deepfake_kg.gaps", "templates"), autoescape=True)
_environment.tests["web_link"] = is_web_link


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[dict], fields: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([safe_cell(row.get(name)) for name in fields])
    return buffer.getvalue()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def case_link_to_iri(finding: dict) -> str:
    return finding["case"]


def check_name(check: dict) -> str:
    """A scope check in words, as CSV cells name the missing ones: "ZZ obscenity (criminal)"."""
    parts = ", its parts" if check.get("checks_parts") else ""
    return f"{check['jurisdiction']} {check.get('domain_label') or check['domain']} ({check['sanction_kind']}{parts})"


def flat(finding: dict) -> dict:
    """A finding with its trace as flat columns: version IRIs by status, declarations relied on, checks missing."""
    trace = finding.get("trace") or {}
    versions = trace.get("versions", [])
    columns = {STATUS_COLUMNS[status]: [v["version"] for v in versions if v["status"] == status] for status in STATUSES}
    columns["scope_relied"] = sorted({iri for check in trace.get("scope_relied", []) for iri in check["declarations"]})
    columns["scope_missing"] = [check_name(check) for check in trace.get("scope_missing", [])]
    return {**finding, **columns}


def findings_csv(findings: list[dict]) -> str:
    return to_csv(map(flat, findings), CSV_FIELDS)


def what_if_csv(result: dict[str, list[dict]]) -> str:
    return to_csv(({"change": change, **flat(f)} for change in CHANGES for f in result[change]), ("change", *CSV_FIELDS))


def coverage_csv(cells: list[dict]) -> str:
    rows = ({**cell, "provisions": [p["iri"] for p in cell["provisions"]]} for cell in cells)
    return to_csv(rows, COVERAGE_FIELDS)


def sentencing_csv(view: dict[str, list[dict]]) -> str:
    return to_csv(view["cases"], SENTENCING_FIELDS)


def grouped(findings: list[dict]) -> list[tuple[str, list[dict]]]:
    """Findings grouped by id, gap types first in the order of gaps.md, then the notices."""
    return [(gap, [f for f in findings if f["gap"] == gap]) for gap in GAP_IDS + NOTICE_IDS
            if any(f["gap"] == gap for f in findings)]


def findings_html(findings: list[dict], title: str = "Regulatory gaps", case_link: Callable[[dict], str] = case_link_to_iri) -> str:
    return _environment.get_template("findings.html").render(title=title, groups=grouped(findings), case_link=case_link,
                                                             total=len(findings))


def explain_html(case: dict, case_link: Callable[[dict], str] = case_link_to_iri) -> str:
    return _environment.get_template("explain.html").render(case=case, case_link=case_link)


def explain_csv(case: dict) -> str:
    """One row per provision version assessed for the case, with what each was considered for."""
    def elements(version: dict, status: str) -> str:  # " | "-joined: a requirement may itself hold a ";"
        return " | ".join(e["requirement"] or e["label"] for e in version["elements"] if e["status"] == status)

    rows = ({"case_id": case["case_id"], **version, "elements_failed": elements(version, "failed"),
             "elements_unknown": elements(version, "unknown")} for version in case["versions"])
    return to_csv(rows, EXPLAIN_FIELDS)


def what_if_html(result: dict[str, list[dict]], proposals: list[str], case_link: Callable[[dict], str] = case_link_to_iri) -> str:
    sections = [(change, grouped(result[change]), len(result[change])) for change in CHANGES]
    return _environment.get_template("what_if.html").render(sections=sections, proposals=proposals, case_link=case_link)


def coverage_html(cells: list[dict]) -> str:
    jurisdictions = sorted({cell["jurisdiction"] for cell in cells})
    acts = sorted({(cell["act"], cell["act_label"]) for cell in cells})
    table = {(cell["act"], cell["jurisdiction"]): cell for cell in cells}
    most = max((len(cell["provisions"]) for cell in cells), default=0) or 1
    return _environment.get_template("coverage.html").render(
        jurisdictions=jurisdictions, acts=acts, table=table, most=most, as_of=cells[0]["as_of"] if cells else "")


def sentencing_html(view: dict[str, list[dict]]) -> str:
    return _environment.get_template("sentencing.html").render(view=view)
