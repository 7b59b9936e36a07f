"""The case browser: a filtered list of cases, a page per case, and a page for any other resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from deepfake_kg.api.pages.deps import store_of
from deepfake_kg.api.pages.describe import Fact, describe
from deepfake_kg.api.pages.page_queries import BadIri, page_query
from deepfake_kg.api.pages.templating import TEMPLATES
from deepfake_kg.gaps import GAP_IDS, find_gaps
from deepfake_kg.namespaces import DFK, case_iri
from deepfake_kg.store import Store

router = APIRouter()

FILTER_CLASSES = {"act": DFK["DeepfakeActType"], "biometric": DFK["BiometricCategory"]}
AIID = str(DFK["aiidIncident"])
SOURCE = "http://purl.org/dc/terms/source"
APPLIED = str(DFK["appliedProvision"])
CASE_PREFIX = case_iri("")


@dataclass
class CaseRow:
    iri: str
    case_id: str
    title: str
    act_date: str
    jurisdiction: str
    acts: list[str]
    biometrics: list[str]
    gaps: list[str] = field(default_factory=list)


def case_rows(store: Store) -> list[CaseRow]:
    """One row per case record, with the codes the browser filters on."""
    return [
        CaseRow(
            iri=str(row["case"]), case_id=str(row["id"]), title=str(row.get("title", "")),
            act_date=str(row.get("date", "")), jurisdiction=str(row.get("jurisdiction", "")),
            acts=str(row.get("acts", "")).split(), biometrics=str(row.get("biometrics", "")).split(),
        )
        for row in store.select(page_query("cases"))
    ]


def code_labels(store: Store, kind: str) -> dict[str, str]:
    """Code -> English label of every value of one filterable field."""
    rows = store.select(page_query("codes", **{"class": str(FILTER_CLASSES[kind])}))
    return {str(row["code"]): str(row.get("label", row["code"])) for row in rows}


def matches(row: CaseRow, jurisdiction: str, act: str, biometric: str, gap: str) -> bool:
    return ((not jurisdiction or row.jurisdiction == jurisdiction) and (not act or act in row.acts)
            and (not biometric or biometric in row.biometrics) and (not gap or gap in row.gaps))


@router.get("/browse/cases", response_class=HTMLResponse)
def case_list(
    request: Request,
    jurisdiction: str = Query(""),
    act: str = Query(""),
    biometric: str = Query(""),
    gap: str = Query(""),
    store: Store = Depends(store_of),
) -> HTMLResponse:
    rows = case_rows(store)
    findings = find_gaps(store)
    by_case: dict[str, set[str]] = {}
    for finding in findings:
        if finding.get("kind") == "gap":
            by_case.setdefault(finding["case_id"], set()).add(finding["gap"])
    for row in rows:
        row.gaps = sorted(by_case.get(row.case_id, ()))
    shown = [row for row in rows if matches(row, jurisdiction, act, biometric, gap)]
    options = {
        "jurisdiction": {code: code for code in sorted({row.jurisdiction for row in rows if row.jurisdiction})},
        "act": code_labels(store, "act"),
        "biometric": code_labels(store, "biometric"),
        "gap": {gap_id: gap_id for gap_id in GAP_IDS},
    }
    chosen = {"jurisdiction": jurisdiction, "act": act, "biometric": biometric, "gap": gap}
    return TEMPLATES.TemplateResponse(
        request, "cases.html", {"rows": shown, "total": len(rows), "options": options, "chosen": chosen}
    )


@router.get("/browse/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request, store: Store = Depends(store_of)) -> HTMLResponse:
    iri = case_iri(case_id)
    try:
        facts = describe(store, iri)
    except BadIri:
        facts = []
    if not facts:
        raise HTTPException(404, f"no case record with case_id {case_id!r}")
    findings = [f for f in find_gaps(store) if f.get("case_id") == case_id]
    considered = sorted({p for f in findings for p in f.get("provisions", [])}
                        | {fact.value for fact in facts if fact.predicate == APPLIED})
    context = {
        "case_id": case_id, "iri": iri, "facts": facts, "findings": findings,
        "sources": [fact for fact in facts if fact.predicate == SOURCE],
        "aiid": [fact for fact in facts if fact.predicate == AIID],
        "applied": {fact.value for fact in facts if fact.predicate == APPLIED},
        "provisions": provision_labels(store, considered),
    }
    return TEMPLATES.TemplateResponse(request, "case.html", context)


def provision_labels(store: Store, iris: list[str]) -> list[dict[str, str]]:
    """Each provision IRI with its local identifier, title and instrument (where the graph has them)."""
    if not iris:
        return []
    rows = {str(row["provision"]): row for row in store.select(page_query("provisions", values=iris))}
    return [
        {"iri": iri, "local_id": str(rows.get(iri, {}).get("localId", "")),
         "title": str(rows.get(iri, {}).get("title", "")), "instrument": str(rows.get(iri, {}).get("instrument", ""))}
        for iri in iris
    ]


@router.get("/browse/resource", response_class=HTMLResponse)
def resource_page(request: Request, iri: str = Query(...), store: Store = Depends(store_of)) -> Response:
    case_id = iri.removeprefix(CASE_PREFIX)
    if case_id != iri and "/" not in case_id:
        return RedirectResponse(f"/browse/cases/{quote(case_id, safe='')}", status_code=303)
    try:
        facts: list[Fact] = describe(store, iri)
    except BadIri as error:
        raise HTTPException(400, str(error)) from None
    if not facts:
        raise HTTPException(404, f"the graph says nothing about {iri}")
    return TEMPLATES.TemplateResponse(request, "resource.html", {"iri": iri, "facts": facts})
