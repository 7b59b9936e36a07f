"""Every statement about one resource, grouped for display: predicate, value, labels, blank-node details."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from deepfake_kg.api.pages.page_queries import page_query
from deepfake_kg.namespaces import PREFIXES
from deepfake_kg.store import Store


def compact(iri: str) -> str:
    """`dfk:Create` for a term IRI under a known prefix, the IRI itself otherwise."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


LEADING = (
    "http://purl.org/dc/terms/title",
    "https://w3id.org/deepfake-kg/ontology/caseId",
    "https://w3id.org/deepfake-kg/ontology/hasJurisdiction",
    "https://w3id.org/deepfake-kg/ontology/actDate",
)


@dataclass
class Fact:
    predicate: str
    predicate_label: str
    value: str
    value_label: str
    is_iri: bool
    details: list[Fact] = field(default_factory=list)


def _fact(predicate: Node, plabel: Node | None, value: Node, vlabel: Node | None) -> Fact:
    return Fact(str(predicate), str(plabel or compact(str(predicate))), str(value), str(vlabel or value),
                isinstance(value, URIRef))


def _order(fact: Fact) -> tuple[int, str, str]:
    rank = LEADING.index(fact.predicate) if fact.predicate in LEADING else len(LEADING)
    return rank, fact.predicate_label.lower(), fact.value_label.lower()


def _child(parent: list[Fact], index: dict, key: tuple, row: dict, level: str) -> Fact | None:
    """The fact of one row at one nesting level, created once and kept in its parent's list."""
    predicate, value = row.get("p" + level), row.get("o" + level)
    if predicate is None or value is None:
        return None
    key = (*key, str(predicate), str(value))
    if key not in index:
        index[key] = _fact(predicate, row.get(f"p{level}label"), value, row.get(f"o{level}label"))
        parent.append(index[key])
    return index[key]


def describe(store: Store, iri: str) -> list[Fact]:
    """The resource's statements in reading order (title, id, jurisdiction, date first; the rest by label)."""
    top: list[Fact] = []
    index: dict[tuple, Fact] = {}
    for row in store.select(page_query("describe", iri=iri)):
        fact = _child(top, index, (), row, "")
        inner = _child(fact.details, index, (fact.predicate, fact.value), row, "2")
        if inner is not None:
            _child(inner.details, index, (fact.predicate, fact.value, inner.predicate, inner.value), row, "3")
    for fact in index.values():
        fact.details.sort(key=_order)
    return sorted(top, key=_order)


def grouped(facts: list[Fact]) -> list[tuple[str, str, list[Fact]]]:
    """(predicate label, predicate IRI, its facts) in the facts' order."""
    groups: dict[str, tuple[str, str, list[Fact]]] = {}
    for fact in facts:
        groups.setdefault(fact.predicate, (fact.predicate_label, fact.predicate, []))[2].append(fact)
    return list(groups.values())
