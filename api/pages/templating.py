"""The Jinja2 environment of the pages, with filters that show IRIs the way people read them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi.templating import Jinja2Templates

from deepfake_kg.api.pages.describe import compact, grouped
from deepfake_kg.links import is_web_link

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def resource_link(iri: str) -> str:
    """The page of this service that describes any IRI of the graph."""
    return "/browse/resource?iri=" + quote(iri, safe="")


TEMPLATES.env.autoescape = True  # every template, SVG included: data never reaches a page unescaped
TEMPLATES.env.tests["web_link"] = is_web_link
TEMPLATES.env.filters["compact"] = compact
TEMPLATES.env.filters["resource_link"] = resource_link
TEMPLATES.env.filters["grouped"] = grouped
