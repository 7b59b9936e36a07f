"""Conversions between pyoxigraph terms and rdflib terms."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def iri_values(iris: Iterable[str]) -> str:
    """The IRIs that are IRIs, written by pyoxigraph for a SPARQL VALUES block; text that is no IRI is left out."""
    written = []
    for iri in sorted(set(iris)):
        try:
            written.append(str(ox.NamedNode(iri)))
        except ValueError:
            continue
    return " ".join(written)
