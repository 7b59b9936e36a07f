"""Pages for people: what the graph holds, a SPARQL editor, a case browser, a contribution form, charts."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from deepfake_kg.api.pages import browse, charts, contribute, editor, home
from deepfake_kg.api.pages.assets import mount_static

router = APIRouter(include_in_schema=False)
for _module in (home, editor, browse, contribute, charts):
    router.include_router(_module.router)

__all__ = ["router", "mount_static", "install_pages"]


def install_pages(app: FastAPI) -> None:
    """Add the pages and their static files (own CSS/JS, the YASGUI build) to an app."""
    app.include_router(router)
    mount_static(app)
