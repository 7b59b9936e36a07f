"""Run the gap queries over a working dataset and turn their rows into findings of the shape of gaps.md."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyoxigraph as ox

from deepfake_kg.gaps.trace import NO_TRACE, Trace, case_traces
from deepfake_kg.paths import QUERIES_DIR

GAPS_DIR = QUERIES_DIR / "gaps"
NOTICE_RULE_PREFIX = "notice-"  # rules of notices only; every other rule file is named by the gap type it finds
GAP_IDS = tuple(sorted(path.stem for path in GAPS_DIR.glob("*.rq") if not path.stem.startswith(NOTICE_RULE_PREFIX)))
NOTICE_IDS = ("unmodeled-jurisdiction", "unmodeled-law", "undetermined")
FIELDS = ("gap", "kind", "about", "case_id", "case", "jurisdiction", "act_date", "explanation", "provisions", "trace")


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding; `about` is the gap type a notice concerns (the gap itself for gap findings); `trace`, what it rests on."""

    gap: str
    kind: str
    case_id: str
    case: str
    jurisdiction: str
    act_date: str | None
    explanation: str
    provisions: tuple[str, ...]
    about: str
    trace: Trace = NO_TRACE

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies a finding across scenarios (what-if compares by it)."""
        return (self.gap, self.about, self.case)

    def as_dict(self) -> dict:
        return {"gap": self.gap, "kind": self.kind, "about": self.about, "case_id": self.case_id, "case": self.case,
                "jurisdiction": self.jurisdiction, "act_date": self.act_date,
                "explanation": self.explanation, "provisions": list(self.provisions), "trace": self.trace.as_dict()}


def query_names() -> list[str]:
    """Every finding query: the seven gap types and the notice queries."""
    return sorted(path.stem for path in GAPS_DIR.glob("*.rq"))


def query_text(name: str) -> str:
    return (GAPS_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _value(solution: ox.QuerySolution, name: str) -> str | None:
    term = solution[name]
    return None if term is None else term.value


def run_query(working: ox.Store, name: str) -> list[Finding]:
    """The findings one query gives on a working dataset."""
    findings = []
    for solution in working.query(query_text(name)):
        provisions = tuple(sorted(set((_value(solution, "provisions") or "").split())))  # GROUP_CONCAT has no order
        gap = _value(solution, "gap")
        findings.append(Finding(
            gap=gap, kind=_value(solution, "kind"), case_id=_value(solution, "caseId"),
            case=_value(solution, "case"), jurisdiction=_value(solution, "jurisdiction"),
            act_date=_value(solution, "actDate"), explanation=_value(solution, "explanation"),
            provisions=provisions, about=_value(solution, "about") or gap))
    return findings


def run_all(working: ox.Store) -> list[Finding]:
    """Every finding every query gives on a working dataset, each with its trace from the same dataset."""
    found = [finding for name in query_names() for finding in run_query(working, name)]
    traces = case_traces(working, {finding.case for finding in found})
    return [replace(finding, trace=traces[finding.case].for_gap(finding.about)) if finding.case in traces else finding
            for finding in found]


def ordered(findings: list[Finding]) -> list[Finding]:
    """One finding per key, in the order reports list them (kind, gap, what it is about, jurisdiction, case id)."""
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.key, finding)
    return sorted(unique.values(), key=lambda f: (f.kind, f.gap, f.about, f.jurisdiction, f.case_id))


def selected(findings: list[Finding], gap: str | None = None, jurisdiction: str | None = None,
             case_id: str | None = None) -> list[Finding]:
    """The findings with this id, jurisdiction code and case id (any, for None), keeping their order."""
    code = None if jurisdiction is None else jurisdiction.upper()
    return [finding for finding in findings
            if (gap is None or finding.gap == gap) and (code is None or finding.jurisdiction.upper() == code)
            and (case_id is None or finding.case_id == case_id)]
