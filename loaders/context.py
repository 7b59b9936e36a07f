"""The project's JSON-LD @context: the one mapping from case-record fields and codes to ontology IRIs."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pyld import jsonld

from deepfake_kg.loaders.errors import UnreadableInput

CONTEXT_PATH = Path(__file__).with_name("context.jsonld")
CONTEXT_IRI = "https://w3id.org/deepfake-kg/context.jsonld"
INVALID_BASE = "https://w3id.org/deepfake-kg/invalid/"
PROVISIONS = "provisions_applied"
CITATION = "dfk:appliedProvisionCitation"  # the context's term for the provisions_applied values that are citations
IRI = re.compile(r"https?://\S*", re.IGNORECASE)  # with a space it is no IRI: read as a citation, which a shape refuses
PROVISION_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+(/[a-z0-9-]+)*")  # as the knowledge base writes ids: gb-soa-2003-s66b


def refuse_remote(url: str, options: dict | None = None) -> dict:
    """A JSON-LD document loader that fetches nothing: remote contexts are never followed."""
    raise jsonld.JsonLdError(f"remote document {url} refused", "jsonld.LoadDocumentError",
                             code="loading remote context failed")


jsonld.set_document_loader(refuse_remote)


@cache
def context() -> dict[str, Any]:
    """The inner @context object of loaders/context.jsonld."""
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]


def fields() -> list[str]:
    """The field names of case-records.md, in the context's order (a term written as a compact IRI is no field)."""
    return [name for name, value in context().items()
            if not name.startswith("@") and name[0].islower() and ":" not in name and not _is_prefix(value)]


def _is_prefix(value: Any) -> bool:
    return isinstance(value, str) and value.endswith(("/", "#"))


def term(field: str) -> dict[str, Any]:
    value = context()[field]
    return {"@id": value} if isinstance(value, str) else value


@cache
def is_multi(field: str) -> bool:
    return term(field).get("@container") == "@set"


@cache
def is_reference(field: str) -> bool:
    """True for fields whose values are IRIs chosen through a scoped vocabulary (codes, jurisdictions ...)."""
    return term(field).get("@type") == "@vocab"


def codes(field: str) -> list[str]:
    """The code strings a code-list field accepts; empty for open vocabularies such as jurisdictions."""
    scoped = term(field).get("@context", {})
    return [name for name in scoped if not name.startswith("@")]


def field_by_property() -> dict[str, str]:
    """Property IRI -> field name, expanded by the JSON-LD processor (citations are provisions_applied too)."""
    return {_probe(name)[0]: name for name in fields()} | {_probe(CITATION)[0]: PROVISIONS}


@cache
def _probe(field: str, value: str = "probe") -> tuple[str, dict[str, str]]:
    """What the JSON-LD processor makes of one value of one field: (predicate IRI, object as pyld gives it)."""
    document = {"@context": context(), "@id": "urn:deepfake-kg:probe", field: value}
    quads = jsonld.to_rdf(document, {"documentLoader": refuse_remote})["@default"]
    if not quads:
        raise ValueError(f"the context drops the value {value!r} of {field}")
    return quads[0]["predicate"]["value"], quads[0]["object"]


def expand_code(field: str, value: str) -> str:
    """The IRI the context gives a code or reference value; unknown codes land under INVALID_BASE."""
    return _probe(field, safe_value(field, value))[1]["value"]


def plan(field: str) -> tuple[str, str | None]:
    """(predicate IRI, datatype of a string value) for a field; the processor decides, once per field."""
    predicate, obj = _probe(field)
    return predicate, obj.get("datatype")


def safe_value(field: str, value: str) -> str:
    """Percent-encode a code value so that an unknown one survives IRI expansion instead of vanishing.

    provisions_applied values stay as written: an IRI is its own value, an id holds only safe characters, and a
    citation moves to the citation term (`split_citations`)."""
    if field == PROVISIONS:
        return value
    return quote(value, safe="")


def is_citation(value: str) -> bool:
    """A provisions_applied value that is neither an http(s) IRI nor written as a knowledge-base id: a citation."""
    return not IRI.fullmatch(value) and not PROVISION_ID.fullmatch(value)


def split_citations(obj: dict[str, Any]) -> dict[str, Any]:
    """A node object with the citations among its provisions_applied under the citation term.

    A JSON-LD term maps to one property: ids and IRIs are dfk:appliedProvision, citations dfk:appliedProvisionCitation.
    """
    values = obj.get(PROVISIONS)
    if not isinstance(values, list):
        return obj
    citations = [value for value in values if isinstance(value, str) and is_citation(value)]
    if not citations:
        return obj
    split = {key: value for key, value in obj.items() if key != PROVISIONS}
    provisions = [value for value in values if value not in citations]
    if provisions:
        split[PROVISIONS] = provisions
    given = obj.get(CITATION, [])
    split[CITATION] = [*(given if isinstance(given, list) else [given]), *citations]
    return split


def joined_citations(record: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `split_citations`: a compacted record with its citations back among provisions_applied."""
    citations = record.get(CITATION)
    if not citations:
        return record
    joined = {key: value for key, value in record.items() if key != CITATION}
    provisions = record.get(PROVISIONS, [])
    joined[PROVISIONS] = [*(provisions if isinstance(provisions, list) else [provisions]),
                          *(citations if isinstance(citations, list) else [citations])]
    return joined


def _citations_apart(node: Any) -> Any:
    """Every node object of a document through `split_citations` (contexts left as they are)."""
    if isinstance(node, list):
        return [_citations_apart(item) for item in node]
    if not isinstance(node, dict):
        return node
    return split_citations({key: value if key == "@context" else _citations_apart(value)
                            for key, value in node.items()})


def jsonld_to_nquads(document: Any, base: str | None = None) -> str:
    """N-Quads of a JSON-LD document, read as `jsonld_dataset` reads it."""
    return jsonld_dataset(document, base, {"format": "application/n-quads"})


def jsonld_dataset(document: Any, base: str | None = None, options: dict[str, Any] | None = None) -> Any:
    """The RDF dataset of a JSON-LD document (pyld's dicts, or text in `options["format"]`), read with nothing fetched.

    The project's context IRI is read locally; any other remote, `file:` or `@import`ed context is refused
    (UnreadableInput) before the processor runs, and the processor itself is given a document loader that refuses
    every load. Anything else the processor cannot read (a bad @version, a bad @language ...) is UnreadableInput too.
    Citations given in provisions_applied are read as the citation term (`split_citations`).
    """
    checked = _citations_apart(check_contexts(document))
    settings = {**(options or {}), "documentLoader": refuse_remote, **({"base": base} if base else {})}
    try:
        return jsonld.to_rdf(checked, settings)
    except jsonld.JsonLdError as error:
        raise UnreadableInput(f"not valid JSON-LD: {_first_cause(error)}") from None


def _first_cause(error: BaseException) -> str:
    """The innermost cause's first line, which names what was wrong (pyld wraps it in generic errors)."""
    while error.__cause__ is not None or getattr(error, "cause", None) is not None:
        error = error.__cause__ or error.cause  # type: ignore[attr-defined]
    text = str(error.args[0]) if error.args else type(error).__name__
    code = getattr(error, "code", None)
    return f"{code}: {text}" if code and code not in text else text


def _json_numbers(value: Any) -> Any:
    """A context with the Decimals of a precise JSON read as plain numbers (the processor serialises contexts)."""
    if isinstance(value, dict):
        return {key: _json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def check_contexts(node: Any, pointer: str = "") -> Any:
    """Replace the project's context IRI by the local context; refuse any other remote context."""
    if isinstance(node, list):
        return [check_contexts(item, f"{pointer}/{index}") for index, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    checked = {}
    for key, value in node.items():
        if key == "@context":
            value = _local_context(value, f"{pointer}/@context")
        checked[key] = check_contexts(value, f"{pointer}/{key}") if key != "@context" else value
    return checked


def _local_context(value: Any, pointer: str) -> Any:
    if isinstance(value, list):
        return [_local_context(item, f"{pointer}/{index}") for index, item in enumerate(value)]
    if value is None:
        return None
    if value == CONTEXT_IRI:
        return context()
    if isinstance(value, str):
        raise UnreadableInput(f"JSON-LD at {pointer}: the remote @context {value!r} is refused; "
                              f"use {CONTEXT_IRI} (read locally, never fetched)")
    if isinstance(value, dict):
        if "@import" in value:
            raise UnreadableInput(f"JSON-LD at {pointer}: @import of a remote context is refused")
        for key, item in value.items():
            if isinstance(item, dict) and "@context" in item:
                _local_context(item["@context"], f"{pointer}/{key}/@context")
        return _json_numbers(value)
    raise UnreadableInput(f"JSON-LD at {pointer}: @context must be an object or {CONTEXT_IRI}")
