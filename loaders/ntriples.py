"""rdflib triples as N-Triples text, through pyoxigraph's terms (which check IRIs and do the escaping)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


class NTriples:
    """Writes rdflib triples as N-Triples text, each distinct term converted once (a batch repeats most of them)."""

    def __init__(self) -> None:
        self._terms: dict[Node, str] = {}

    def _term(self, term: Node) -> str:
        text = self._terms[term] = str(ox_term(term))
        return text

    def __call__(self, triples: Iterable[Triple]) -> str:
        get, convert = self._terms.get, self._term
        return "".join(f"{get(s) or convert(s)} {get(p) or convert(p)} {get(o) or convert(o)} .\n" for s, p, o in triples)


def ntriples(triples: Iterable[Triple]) -> str:
    return NTriples()(triples)
