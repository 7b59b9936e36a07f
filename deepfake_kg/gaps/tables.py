"""The two tables beside the findings: the coverage matrix and the sentencing-factor view."""

from __future__ import annotations

from string import Template

from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store import Store

DISAGREEMENTS_SHOWN = 10


def _text(row: dict, name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def coverage(store: Store, as_of: str) -> list[dict]:
    """One cell per (jurisdiction, act type): the provisions in force on `as_of` that cover it, and their sanction kinds."""
    query = Template((QUERIES_DIR / "coverage.rq").read_text(encoding="utf-8")).substitute(as_of=as_of)
    cells: dict[tuple[str, str], dict] = {}
    for row in store.select(query):
        key = (_text(row, "code"), _text(row, "actCode"))
        cell = cells.setdefault(key, {"jurisdiction": key[0], "act": key[1], "act_label": _text(row, "actLabel") or key[1],
                                      "as_of": as_of, "provisions": [], "sanction_kinds": []})
        provision = _text(row, "provision")
        if provision and provision not in [p["iri"] for p in cell["provisions"]]:
            cell["provisions"].append({"iri": provision, "name": _text(row, "name") or provision,
                                       "sanction": _text(row, "sanctionCode")})
        sanction = _text(row, "sanctionCode")
        if sanction and sanction not in cell["sanction_kinds"]:
            cell["sanction_kinds"].append(sanction)
    return sorted(cells.values(), key=lambda c: (c["jurisdiction"], c["act"]))


def competition_ranks(scores: dict) -> dict[str, int]:
    """Rank 1 for the highest score; ties share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores.values(), reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return {key: first[score] for key, score in scores.items()}


def sentencing(store: Store) -> dict[str, list[dict]]:
    """Cases ranked by dissemination alone and by realism + exploitation + harm, and the biggest disagreements."""
    rows = store.select((QUERIES_DIR / "sentencing.rq").read_text(encoding="utf-8"))
    cases = {}
    for row in rows:
        views = int(row["views"].toPython()) if "views" in row else None
        reposts = int(row["reposts"].toPython()) if "reposts" in row else None
        realism, exploitation, harm = (int(row[name].toPython()) for name in ("realism", "exploitation", "harm"))
        cases[str(row["case"])] = {
            "case_id": _text(row, "caseId"), "case": str(row["case"]), "jurisdiction": _text(row, "jurisdiction"),
            "views": views, "reposts": reposts, "realism": realism, "exploitation": exploitation, "harm": harm,
            "factor_score": realism + exploitation + harm,
        }
    dissemination = competition_ranks({key: (c["views"] or 0, c["reposts"] or 0) for key, c in cases.items()})
    factors = competition_ranks({key: c["factor_score"] for key, c in cases.items()})
    for key, case in cases.items():
        case["dissemination_rank"] = dissemination[key]
        case["factor_rank"] = factors[key]
        case["disagreement"] = abs(dissemination[key] - factors[key])
    by_dissemination = sorted(cases.values(), key=lambda c: (c["dissemination_rank"], c["case_id"]))
    disagreements = sorted(cases.values(), key=lambda c: (-c["disagreement"], c["case_id"]))[:DISAGREEMENTS_SHOWN]
    return {"cases": by_dissemination, "disagreements": [c for c in disagreements if c["disagreement"] > 0]}
