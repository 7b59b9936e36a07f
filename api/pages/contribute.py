"""GET /contribute: check a batch of case records against the shapes (POST /validate), then submit it (POST /cases)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from deepfake_kg.api.pages.templating import TEMPLATES

router = APIRouter()


@router.get("/contribute", response_class=HTMLResponse)
def contribute(request: Request) -> HTMLResponse:
    writes = request.app.state.settings.token is not None
    return TEMPLATES.TemplateResponse(request, "contribute.html", {"writes_enabled": writes})
