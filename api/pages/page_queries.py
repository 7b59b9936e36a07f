"""The SPARQL the pages run (api/pages/sparql/*.rq), with IRIs bound safely into `$NAME` placeholders."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from rdflib import URIRef

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"
_UNSAFE = re.compile(r'[\s<>"{}|\\^`]')


class BadIri(ValueError):
    """A string given as an IRI cannot be written safely into a query."""


@cache
def _text(name: str) -> str:
    return (SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def iri_term(iri: str) -> str:
    """`<iri>` for an absolute IRI, or BadIri naming the problem."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or _UNSAFE.search(iri):
        raise BadIri(f"{iri!r} is not an absolute IRI")
    return URIRef(iri).n3()


def page_query(name: str, **bindings: str | list[str]) -> str:
    """The named page query with each `$NAME` replaced by one IRI or a space-separated list of IRIs."""
    text = _text(name)
    for key, value in bindings.items():
        values = [value] if isinstance(value, str) else value
        text = text.replace(f"${key.upper()}", " ".join(iri_term(v) for v in values))
    return text
