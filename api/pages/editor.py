"""GET /editor: YASGUI over /sparql, with the project's named queries to start from."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from deepfake_kg.api.pages.assets import yasgui_installed
from deepfake_kg.api.pages.named_queries import named_queries
from deepfake_kg.api.pages.templating import TEMPLATES

router = APIRouter()

STARTER = """PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
PREFIX dct: <http://purl.org/dc/terms/>
# Case records per jurisdiction
SELECT ?jurisdiction (COUNT(?case) AS ?cases)
WHERE { ?case a dfk:CaseRecord ; dfk:hasJurisdiction ?jurisdiction }
GROUP BY ?jurisdiction
ORDER BY DESC(?cases)
"""


@router.get("/editor", response_class=HTMLResponse)
def editor(request: Request) -> HTMLResponse:
    queries = [asdict(query) for query in named_queries()]
    return TEMPLATES.TemplateResponse(
        request, "editor.html", {"queries": queries, "starter": STARTER, "installed": yasgui_installed()}
    )
