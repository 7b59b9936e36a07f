"""Each finding's trace as structure: the provision versions its rule considered and the scope checks it rests on.

The trace queries (queries/trace/) run once per working dataset, the one the findings came from, so a trace
always agrees with its finding under any date or proposals. Everything is frozen, and the law's facts about a
version are one object shared by every case assessed under it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from deepfake_kg.paths import QUERIES_DIR

TRACE_DIR = QUERIES_DIR / "trace"
STATUSES = ("reaches", "does_not_reach", "may_reach")  # the codes of dfk:ReachStatus


def query_text(name: str) -> str:
    return (TRACE_DIR / f"{name}.rq").read_text(encoding="utf-8")


def rows(working: ox.Store, name: str) -> Iterator[dict[str, str]]:
    """The solutions of one trace query, each as variable name -> lexical value (unbound variables left out)."""
    solutions = working.query(query_text(name))
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}


def ordered_set(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def gather(entry: dict, row: dict[str, str], **columns: str) -> None:
    """Add the row's value of each column (when bound) to the entry's set of that name."""
    for name, column in columns.items():
        if column in row:
            entry[name].add(row[column])


@dataclass(frozen=True, slots=True)
class Version:
    """What the law says of one provision version: where it is, what it is called, when it applies, how checked."""

    version: str
    provision: str | None
    name: str
    label: str | None
    valid_from: str | None
    valid_until: str | None
    sanction_kinds: tuple[str, ...]
    verification_status: str | None
    verification_note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Element:
    """An element of a version that a case does not meet: failed on stated facts, or unknown."""

    label: str
    status: str
    requirement: str | None
    notes: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"label": self.label, "status": self.status, "requirement": self.requirement, "notes": list(self.notes)}


@dataclass(frozen=True, slots=True)
class Assessment:
    """One version assessed for one case: whether it reaches the case, and why."""

    law: Version
    status: str
    uncertain: bool
    reason: str | None
    elements: tuple[Element, ...]
    unknown_fields: tuple[str, ...]

    def as_dict(self) -> dict:
        law = self.law
        return {"provision": law.provision, "label": law.name, "version": law.version, "version_label": law.label,
                "valid_from": law.valid_from, "valid_until": law.valid_until, "sanction_kinds": list(law.sanction_kinds),
                "status": self.status, "applicability_uncertain": self.uncertain, "reason": self.reason,
                "elements": [element.as_dict() for element in self.elements], "unknown_fields": list(self.unknown_fields),
                "verification_status": law.verification_status, "verification_note": law.verification_note,
                "sources": list(law.sources)}


@dataclass(frozen=True, slots=True)
class ScopeCheck:
    """One (jurisdiction, domain, sanction kind) some gap types need declared completely modelled for a case."""

    jurisdiction: str
    domain: str
    domain_label: str | None
    sanction_kind: str
    checks_parts: bool
    gaps: tuple[str, ...]
    satisfied: bool
    declarations: tuple[str, ...]
    text: str | None

    def as_dict(self) -> dict:
        return {"jurisdiction": self.jurisdiction, "domain": self.domain, "domain_label": self.domain_label,
                "sanction_kind": self.sanction_kind, "checks_parts": self.checks_parts, "gaps": list(self.gaps),
                "satisfied": self.satisfied, "declarations": list(self.declarations), "text": self.text}


@dataclass(frozen=True, slots=True)
class Trace:
    """What one finding rests on: every version its rule considered, and the scope checks satisfied or missing."""

    versions: tuple[Assessment, ...] = ()
    scope_relied: tuple[ScopeCheck, ...] = ()
    scope_missing: tuple[ScopeCheck, ...] = ()

    def as_dict(self) -> dict:
        return {"versions": [assessment.as_dict() for assessment in self.versions],
                "scope_relied": [check.as_dict() for check in self.scope_relied],
                "scope_missing": [check.as_dict() for check in self.scope_missing]}


NO_TRACE = Trace()


@dataclass(frozen=True)
class CaseTrace:
    """Everything a working dataset says about how one case was assessed."""

    assessments: tuple[Assessment, ...]
    considered: dict[str, frozenset[str]]  # version IRI -> the gap types whose rule reads its assessment
    checks: tuple[ScopeCheck, ...]

    def considered_for(self, assessment: Assessment) -> tuple[str, ...]:
        return ordered_set(self.considered.get(assessment.law.version, ()))

    def for_gap(self, about: str) -> Trace:
        """The trace of a finding about this gap type."""
        checks = [check for check in self.checks if about in check.gaps]
        return Trace(tuple(a for a in self.assessments if about in self.considered.get(a.law.version, ())),
                     tuple(check for check in checks if check.satisfied),
                     tuple(check for check in checks if not check.satisfied))


def versions(working: ox.Store) -> dict[str, Version]:
    """The law's facts about every version some case was assessed under."""
    found: dict[str, dict] = {}
    for row in rows(working, "versions"):
        entry = found.setdefault(row["version"], {"row": row, "labels": set(), "sources": set()})
        gather(entry, row, labels="label", sources="source")
    return {iri: Version(
        version=iri, provision=entry["row"].get("provision"), name=entry["row"].get("name", iri),
        label=min(entry["labels"], default=None), valid_from=entry["row"].get("from"),
        valid_until=entry["row"].get("until"), sanction_kinds=ordered_set(entry["row"].get("kinds", "").split()),
        verification_status=entry["row"].get("verification"), verification_note=entry["row"].get("note"),
        sources=ordered_set(entry["sources"])) for iri, entry in found.items()}


def elements(working: ox.Store, cases: set[str]) -> dict[tuple[str, str], tuple[Element, ...]]:
    """(case, version) -> the version's elements the case fails or leaves unknown, failed first."""
    found: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for row in rows(working, "elements"):
        if row["case"] in cases:
            entry = found[(row["case"], row["version"])].setdefault(row["element"], {"row": row, "notes": set()})
            gather(entry, row, notes="note")
    return {key: tuple(sorted((Element(entry["row"]["label"], entry["row"]["status"], entry["row"].get("requirement"),
                                       ordered_set(entry["notes"])) for entry in by_element.values()),
                              key=lambda e: (e.status, e.label, e.requirement or "")))
            for key, by_element in found.items()}


def assessments(working: ox.Store, cases: set[str]) -> dict[str, tuple[Assessment, ...]]:
    """Case -> every assessment of it, in the order of the versions' names."""
    law = versions(working)
    failing = elements(working, cases)
    found: dict[tuple[str, str], dict] = {}
    for row in rows(working, "assessments"):
        if row["case"] in cases:
            entry = found.setdefault((row["case"], row["version"]), {"row": row, "fields": set()})
            gather(entry, row, fields="unknownField")
    by_case: dict[str, list[Assessment]] = defaultdict(list)
    for (case, version), entry in found.items():
        by_case[case].append(Assessment(law[version], entry["row"]["status"], entry["row"]["uncertain"] == "true",
                                        entry["row"].get("reason"), failing.get((case, version), ()),
                                        ordered_set(entry["fields"])))
    return {case: tuple(sorted(judged, key=lambda a: (a.law.name, a.law.version))) for case, judged in by_case.items()}


def considered(working: ox.Store, cases: set[str]) -> dict[str, dict[str, frozenset[str]]]:
    """Case -> version -> the gap types whose rule reads the case's assessment under the version."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows(working, "considered"):
        if row["case"] in cases:
            found[row["case"]][row["version"]].add(row["about"])
    return {case: {version: frozenset(gaps) for version, gaps in by_version.items()} for case, by_version in found.items()}


def scope_checks(working: ox.Store, cases: set[str]) -> dict[str, tuple[ScopeCheck, ...]]:
    """Case -> its scope checks, by jurisdiction, domain and sanction kind."""
    found: dict[str, dict] = {}
    for row in rows(working, "scope-checks"):
        if row["case"] in cases:
            entry = found.setdefault(row["check"], {"row": row, "declarations": set(), "texts": set()})
            gather(entry, row, declarations="declaration", texts="text")
    by_case: dict[str, list[ScopeCheck]] = defaultdict(list)
    for entry in found.values():
        row = entry["row"]
        by_case[row["case"]].append(ScopeCheck(
            jurisdiction=row["jurisdiction"], domain=row["domain"], domain_label=row.get("domainLabel"),
            sanction_kind=row["kind"], checks_parts=row["parts"] == "true", gaps=ordered_set(row.get("gaps", "").split()),
            satisfied=row["satisfied"] == "true", declarations=ordered_set(entry["declarations"]),
            text="; ".join(sorted(entry["texts"])) or None))
    return {case: tuple(sorted(checks, key=lambda c: (c.jurisdiction, c.domain_label or c.domain, c.sanction_kind,
                                                      c.checks_parts)))
            for case, checks in by_case.items()}


def case_traces(working: ox.Store, cases: set[str]) -> dict[str, CaseTrace]:
    """Case IRI -> how the working dataset assessed it, for the given cases (those it judged)."""
    judged = assessments(working, cases)
    reads = considered(working, cases)
    checks = scope_checks(working, cases)
    return {case: CaseTrace(judged.get(case, ()), reads.get(case, {}), checks.get(case, ()))
            for case in set(judged) | set(checks)}
