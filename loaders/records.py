"""Contributed records -> JSON-LD node objects -> triples, all through the project's @context."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import rdflib.term
from pyld import jsonld
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from deepfake_kg.loaders import context as ctx
from deepfake_kg.namespaces import DFK, case_iri

CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
URL = re.compile(r"https?://\S+")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Triple = tuple[Node, Node, Node]


class _IllTypedLiteralFilter(logging.Filter):
    """rdflib logs a traceback for every ill-typed literal; SHACL reports those to the contributor instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralFilter())

XSD_DECIMAL_LEXICAL = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*")


def _strict_decimal(lexical: str) -> Decimal:
    """xsd:decimal has no exponent: '1e999999' is ill-typed (SHACL reports it) instead of growing to a million digits."""
    if not XSD_DECIMAL_LEXICAL.fullmatch(lexical):
        raise ValueError(f"{lexical[:40]!r} is not in the lexical space of xsd:decimal")
    return Decimal(lexical)


# rdflib normalises a decimal literal through f"{value:f}", so "1e999999999" would take a gigabyte.
rdflib.term._toPythonMapping[URIRef("http://www.w3.org/2001/XMLSchema#decimal")] = _strict_decimal


@dataclass
class Place:
    """Where a record sits in its file: a CSV row, a JSON pointer or an RDF node."""

    kind: str  # "row" | "pointer" | "node"
    label: str  # "row 4" | "/cases/3" | "<https://...>"
    columns: dict[str, str] = field(default_factory=dict)  # CSV: field -> "column F"

    def of(self, field_name: str | None) -> str:
        """The place of one field of the record, in words."""
        if not field_name:
            return self.label
        if self.kind == "row":
            column = self.columns.get(field_name)
            return f"{self.label}, {column} ({field_name})" if column else f"{self.label} ({field_name})"
        if self.kind == "pointer":
            return f"{self.label}/{field_name}"
        return f"{self.label} {field_name}"


@dataclass
class Record:
    node: Node
    case_id: str | None
    place: Place
    triples: list[Triple]


def record_node(case_id: Any, serial: int) -> Node:
    """The case IRI minted from a valid case_id; a blank node otherwise (SHACL then names the problem)."""
    if isinstance(case_id, str) and CASE_ID.fullmatch(case_id):
        return URIRef(case_iri(case_id))
    return BNode(f"record{serial}")


def scalar(value: Any) -> Any:
    """JSON scalars as the strings the context types them from (numbers keep their written form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal) and -100 < value.adjusted() < 100:
        return format(value, "f")  # 1E+3 and 1E-7 as 1000 and 0.0000001: xsd:decimal has no exponent
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def normalise(name: str, value: Any) -> list[Any]:
    """One field's values as a list of JSON-LD values: strings, or {"@id": url} for URL sources."""
    values = value if isinstance(value, list) else [value]
    out = []
    for item in values:
        item = scalar(item)
        if name == ctx.PROVISIONS and isinstance(item, str):
            item = item.strip()  # " cn-criminal-law-art-363" is that id, not a citation
        if item is None or item == "":
            continue
        if name == "source" and isinstance(item, str) and URL.fullmatch(item.strip()):
            item = {"@id": item.strip()}
        out.append(item)
    return out


def split_cell(name: str, cell: str) -> list[str]:
    """A CSV cell as values: `;`-separated for multi-valued fields, empty cell = absent."""
    cell = cell.strip()
    if not cell:
        return []
    if ctx.is_multi(name):
        return [part.strip() for part in cell.split(";") if part.strip()]
    return [cell]


def node_object(values: dict[str, list[Any]], node: Node) -> dict[str, Any]:
    """A JSON-LD node object (context applied separately) for one record; citations under their own term."""
    identifier = str(node) if isinstance(node, URIRef) else f"_:{node}"
    obj: dict[str, Any] = {"@id": identifier, "@type": "CaseRecord"}
    obj.update({name: items for name, items in values.items() if items})
    return ctx.split_citations(obj)


class Expander:
    """Turns node objects into triples exactly as the JSON-LD processor would with the project context.

    The processor (pyld) is asked once per field, and once per distinct code value, what the context
    makes of it; the answers are cached, so thousands of rows cost no more than a few parses.
    """

    def __init__(self) -> None:
        self._type = URIRef(self._expand_type("CaseRecord"))
        self._plans: dict[str, tuple[URIRef, URIRef | None, bool]] = {}
        self._codes: dict[tuple[str, str], URIRef] = {}
        self._literals: dict[tuple[str, URIRef | None], Literal] = {}  # rdflib builds a Literal slowly

    @staticmethod
    def _expand_type(name: str) -> str:
        document = {"@context": ctx.context(), "@id": "urn:deepfake-kg:probe", "@type": name}
        return jsonld.to_rdf(document, {"documentLoader": ctx.refuse_remote})["@default"][0]["object"]["value"]

    def triples(self, obj: dict[str, Any], node: Node) -> list[Triple]:
        out: list[Triple] = [(node, RDF.type, self._type)]
        for name, items in obj.items():
            if name.startswith("@"):
                continue
            for item in items:
                out.append(self._triple(node, name, item))
        return out

    def _plan(self, name: str) -> tuple[URIRef, URIRef | None, bool]:
        if name not in self._plans:
            predicate, datatype = ctx.plan(name)
            self._plans[name] = (URIRef(predicate), None if datatype in (None, XSD_STRING) else URIRef(datatype),
                                 ctx.is_reference(name))
        return self._plans[name]

    def _triple(self, node: Node, name: str, item: Any) -> Triple:
        predicate, datatype, reference = self._plan(name)
        if isinstance(item, dict):
            return node, predicate, URIRef(item["@id"])
        if reference:
            key = (name, str(item))
            if key not in self._codes:
                self._codes[key] = URIRef(ctx.expand_code(name, str(item)))
            return node, predicate, self._codes[key]
        key = (str(item), datatype)
        literal = self._literals.get(key)
        if literal is None:
            literal = self._literals[key] = Literal(key[0], datatype=datatype)
        return node, predicate, literal


APPLIED = str(DFK.appliedProvision)


def cited(records: Iterable[Record]) -> set[str]:
    """The provisions the records apply (compared as plain strings: rdflib's term equality is slow in Python)."""
    return {str(o) for record in records for s, p, o in record.triples if str.__eq__(p, APPLIED) and isinstance(o, URIRef)}


@dataclass
class Problem:
    """One thing wrong (or worth a warning) in a batch, in a contributor's words."""

    severity: str  # "violation" | "warning"
    place: str
    field: str | None
    value: str | None
    expected: str
    message: str
    focus: str = ""
    path: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "violation"
