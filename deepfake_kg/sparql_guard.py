"""Refuse, before any engine sees it, a SPARQL request that could write or reach the network."""

from __future__ import annotations

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class QueryRefused(ValueError):
    """The request is not a read-only, self-contained SPARQL query; the message says why."""


def _walk(node: object):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)


def check_read_only(text: str) -> str:
    """Parse the request with rdflib's SPARQL grammar; answer its form or raise QueryRefused."""
    try:
        prologue, query = parseQuery(text)
    except ParseException as error:
        raise QueryRefused(
            f"not a SPARQL query (updates such as INSERT, DELETE, LOAD, CLEAR, DROP and CREATE are refused): "
            f"{error.msg} at line {error.lineno}, column {error.col}"
        ) from None
    for node in _walk(query):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: this endpoint never fetches from the network")
        if node.name == "DatasetClause" or "datasetClause" in node:
            raise QueryRefused("FROM and FROM NAMED are refused: queries run over the stored dataset only")
    return QUERY_FORMS[query.name]
