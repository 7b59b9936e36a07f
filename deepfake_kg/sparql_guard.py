"""Refuse, before any engine sees it, a SPARQL request that could write or reach the network."""

from __future__ import annotations

import re
import threading
from functools import lru_cache, wraps

from pyparsing import ParseException
from rdflib.plugins.sparql import parser, processor
from rdflib.plugins.sparql.parser import expandUnicodeEscapes
from rdflib.plugins.sparql.parserutils import CompValue

# rdflib's SPARQL grammar (pyparsing) is not thread-safe: each parse action learns its arity on first use, and two
# threads doing that at once can break it for the life of the process (TypeError on every later query). The server
# parses in many threads (this guard, pyshacl's SPARQL constraints): rdflib parses one query at a time.
_PARSE_LOCK = threading.Lock()


def _one_at_a_time(parse):
    if getattr(parse, "one_at_a_time", False):
        return parse

    @wraps(parse)
    def locked(*args, **kwargs):
        with _PARSE_LOCK:
            return parse(*args, **kwargs)

    locked.one_at_a_time = True
    return locked


for _module in (parser, processor):
    _module.parseQuery = _one_at_a_time(_module.parseQuery)
    _module.parseUpdate = _one_at_a_time(_module.parseUpdate)
parseQuery, parseUpdate = parser.parseQuery, parser.parseUpdate

QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


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


def _update_operations(text: str) -> list[str] | None:
    """The operations of `text` if it parses as a SPARQL Update, else None."""
    try:
        update = parseUpdate(text)
    except ParseException:
        return None
    return [UPDATE_NAMES.get(request.name, request.name) for request in update.get("request", [])]


def refuse_update(text: str) -> QueryRefused:
    """The refusal for a request sent as an update: names its operations when it parses."""
    operations = _update_operations(text)
    named = f" ({', '.join(dict.fromkeys(operations))})" if operations else ""
    return QueryRefused(f"SPARQL Update{named} is refused: this endpoint is read-only")


CACHED_LENGTH = 20_000


def check_read_only(text: str) -> str:
    """Parse the request with rdflib's SPARQL grammar; answer its form or raise QueryRefused.

    Answers for queries of ordinary length are cached by text (refusals are not): rdflib's parser takes
    milliseconds per query, and clients repeat the same queries.
    """
    return _check_cached(text) if len(text) <= CACHED_LENGTH else _check(text)


@lru_cache(maxsize=2048)
def _check_cached(text: str) -> str:
    return _check(text)


# SPARQL ends a comment at CR or LF (and Oxigraph does); rdflib's grammar only at LF. A CR that no LF follows would
# let the guard read as comment what the engine reads as query, so it is refused, written or as a \u escape.
_BARE_CR = re.compile(r"\r(?!\n)")


def _refuse_disputed_line_ends(text: str) -> None:
    expanded = expandUnicodeEscapes(text)  # keeps every CR written out and adds those written as escapes
    match = _BARE_CR.search(expanded)
    if match:
        line = expanded.count("\n", 0, match.start()) + 1
        raise QueryRefused(
            f"a carriage return without a line feed (line {line}) is refused: SPARQL parsers disagree on "
            "whether it ends a comment; end lines with LF or CRLF"
        )


def _check(text: str) -> str:
    _refuse_disputed_line_ends(text)
    try:
        _, query = parseQuery(text)
    except RecursionError:
        raise QueryRefused("the query is nested too deeply to be checked") from None
    except ParseException as error:
        if _update_operations(text):
            raise refuse_update(text) from None
        raise QueryRefused(
            f"not a SPARQL query: {error.msg} at line {error.lineno}, column {error.col}"
        ) from None
    try:
        nodes = list(_walk(query))
    except RecursionError:
        raise QueryRefused("the query is nested too deeply to be checked") from None
    for node in nodes:
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: this endpoint never fetches from the network")
        if node.name == "DatasetClause" or "datasetClause" in node:
            raise QueryRefused("FROM and FROM NAMED are refused: queries run over the stored dataset only")
    return QUERY_FORMS[query.name]
