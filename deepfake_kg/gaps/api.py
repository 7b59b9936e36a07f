"""The Python entry points: plain records for notebook users, the same the command line and HTTP API serve."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from deepfake_kg.gaps import explain, tables
from deepfake_kg.gaps.evaluation import Limit, evaluate
from deepfake_kg.gaps.findings import GAP_IDS, NOTICE_IDS, Finding, selected
from deepfake_kg.gaps.proposals import ProposalError, resolve
from deepfake_kg.gaps.working import Scenario
from deepfake_kg.store import Store


def checked_date(value: str | date | None, name: str) -> str | None:
    """An ISO date string, or a ValueError naming the bad option."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def checked_gap(gap: str | None) -> str | None:
    if gap is not None and gap not in GAP_IDS + NOTICE_IDS:
        raise ValueError(f"unknown gap id {gap!r}; known ids: {', '.join(GAP_IDS + NOTICE_IDS)}")
    return gap


def scenario_of(store: Store, as_of: str | date | None = None, proposals: list[str | Path] | None = None,
                proposals_from: str | date | None = None, strings_may_be_files: bool = True) -> Scenario:
    """What an evaluation assumes: the law on `as_of` (else each case's act date), the proposals in force."""
    scenario = Scenario(as_of=checked_date(as_of, "as_of"))
    if proposals:
        versions, extra = resolve(store, proposals, strings_may_be_files)
        scenario = Scenario(as_of=scenario.as_of, assume_in_force=versions,
                            assumed_from=checked_date(proposals_from, "from"), extra_ntriples=extra)
    return scenario


def findings(store: Store, gap: str | None = None, jurisdiction: str | None = None, as_of: str | date | None = None,
             proposals: list[str | Path] | None = None, proposals_from: str | date | None = None,
             strings_may_be_files: bool = True, limit: Limit | None = None, case_id: str | None = None) -> list[Finding]:
    """The findings as objects (with the key what-if compares by); `limit` bounds judging a scenario anew."""
    gap = checked_gap(gap)  # before any judging
    scenario = scenario_of(store, as_of, proposals, proposals_from, strings_may_be_files)
    return selected(evaluate(store, scenario, limit), gap, jurisdiction, case_id)


def find_gaps(store: Store, gap: str | None = None, jurisdiction: str | None = None, as_of: str | date | None = None,
              proposals: list[str | Path] | None = None, proposals_from: str | date | None = None,
              limit: Limit | None = None, case_id: str | None = None) -> list[dict]:
    """Every finding of gaps.md as a plain dict, each with its trace; with `proposals`, as if those were in force
    (from `proposals_from`); with `case_id`, only the findings on that case.

    With a `limit`, judging anew under a date or proposals is bounded in time and in how many run at once
    (EvaluationRefused past it); the default report never is.
    """
    return [f.as_dict() for f in findings(store, gap, jurisdiction, as_of, list(proposals or []), proposals_from,
                                          limit=limit, case_id=case_id)]


def explain_case(store: Store, case_id: str, as_of: str | date | None = None,
                 proposals: list[str | Path] | None = None, proposals_from: str | date | None = None) -> dict:
    """One case's whole assessment: every version considered with its status and the elements failed or unknown,
    the legal domains it engages, every scope check (satisfied or not) and its findings (CaseNotFound if none)."""
    return explain.explain(store, case_id, scenario_of(store, as_of, list(proposals or []), proposals_from))


def what_if(store: Store, proposals: list[str | Path], from_date: str | date | None = None,
            strings_may_be_files: bool = True) -> dict[str, list[dict]]:
    """Findings that close, stay and open if the proposals were in force (from `from_date`; default: always).

    Proposals are provision ids or IRIs in the knowledge base, or files (a `Path`, or a string naming one when
    `strings_may_be_files`).
    """
    if not proposals:
        raise ProposalError("name at least one proposal: a provision id or IRI in the knowledge base, or a file")
    before = {f.key: f for f in findings(store)}
    after = {f.key: f for f in findings(store, proposals=list(proposals), proposals_from=from_date,
                                        strings_may_be_files=strings_may_be_files)}
    return {
        "closed": [before[key].as_dict() for key in before if key not in after],
        "kept": [after[key].as_dict() for key in after if key in before],
        "opened": [after[key].as_dict() for key in after if key not in before],
    }


def coverage(store: Store, as_of: str | date | None = None) -> list[dict]:
    """The act type x jurisdiction matrix on a date (default today): provisions and sanction kinds per cell."""
    return tables.coverage(store, checked_date(as_of, "as_of") or date.today().isoformat())


def sentencing(store: Store) -> dict[str, list[dict]]:
    """Paper 5.2: cases ranked by dissemination alone beside ranking by realism, exploitation and harm."""
    return tables.sentencing(store)
