"""Parse each SPARQL query once: rdflib parses and translates a query text again at every call, and pyshacl runs the
same few queries of the shapes thousands of times (a SPARQL target once per chunk of records, a SPARQL constraint
once per focus node), which made parsing most of the cost of validating a batch with citations."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.sparql import Query

from deepfake_kg.sparql_guard import parseQuery  # rdflib's parser behind the guard's lock, whatever the import order

_evaluate = processor.SPARQLProcessor.query


@lru_cache(maxsize=256)
def prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    """The translated query for a text, a base and prefix bindings (rdflib's prepared queries are reusable)."""
    return translateQuery(parseQuery(text), base, dict(namespaces))


def _query(self: processor.SPARQLProcessor, strOrQuery: str | Query, initBindings: Mapping | None = None,  # noqa: N803
           initNs: Mapping[str, Any] | None = None, base: str | None = None, DEBUG: bool = False) -> Mapping:  # noqa: N803
    if isinstance(strOrQuery, str):
        strOrQuery = prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
    return _evaluate(self, strOrQuery, initBindings, initNs, base, DEBUG)


def install() -> None:
    """Make rdflib's SPARQL processor remember parsed queries (idempotent)."""
    processor.SPARQLProcessor.query = _query
