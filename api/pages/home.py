"""GET /: what the graph holds and where to go from here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from deepfake_kg.api.pages.deps import store_of
from deepfake_kg.api.pages.page_queries import page_query
from deepfake_kg.api.pages.templating import TEMPLATES
from deepfake_kg.store import Store

router = APIRouter()


def graph_summary(store: Store) -> dict[str, object]:
    """Counts of cases, provisions and jurisdictions, and the latest recorded change (or None)."""
    counts = store.select(page_query("summary"))[0]
    last = store.select(page_query("last_update"))
    return {
        "cases": int(counts["cases"]),
        "provisions": int(counts["provisions"]),
        "jurisdictions": int(counts["jurisdictions"]),
        "last_update": str(last[0]["last"]) if last and "last" in last[0] else None,
    }


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: Store = Depends(store_of)) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "home.html", {"summary": graph_summary(store)})
