"""Every statement about one resource, grouped for display: predicate, value, labels, blank-node details."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, URIRef
from rdflib.term import Node

from deepfake_kg.api.pages.page_queries import page_query
from deepfake_kg.store import Store

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
    return Fact(str(predicate), str(plabel or predicate), str(value), str(vlabel or value), isinstance(value, URIRef))


def _order(fact: Fact) -> tuple[int, str, str]:
    rank = LEADING.index(fact.predicate) if fact.predicate in LEADING else len(LEADING)
    return rank, fact.predicate_label.lower(), fact.value_label.lower()


def describe(store: Store, iri: str) -> list[Fact]:
    """The resource's statements in reading order (title, id, jurisdiction, date first; the rest by label)."""
    facts: dict[tuple[str, str], Fact] = {}
    for row in store.select(page_query("describe", iri=iri)):
        key = (str(row["p"]), str(row["o"]))
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = _fact(row["p"], row.get("plabel"), row["o"], row.get("olabel"))
        if isinstance(row["o"], BNode) and "p2" in row:
            detail = _fact(row["p2"], row.get("p2label"), row["o2"], row.get("o2label"))
            if all((d.predicate, d.value) != (detail.predicate, detail.value) for d in fact.details):
                fact.details.append(detail)
    return sorted(facts.values(), key=_order)


def grouped(facts: list[Fact]) -> list[tuple[str, str, list[Fact]]]:
    """(predicate label, predicate IRI, its facts) in the facts' order."""
    groups: dict[str, tuple[str, str, list[Fact]]] = {}
    for fact in facts:
        groups.setdefault(fact.predicate, (fact.predicate_label, fact.predicate, []))[2].append(fact)
    return list(groups.values())
