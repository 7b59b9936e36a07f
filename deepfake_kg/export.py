"""Dump graphs of the store as Turtle, N-Triples (pyoxigraph), JSON-LD or RDF/XML (rdflib); nothing is fetched."""

from __future__ import annotations

from enum import Enum

import pyoxigraph as ox
from rdflib import Graph

from deepfake_kg.namespaces import CASE_GRAPHS, KB_GRAPH, META_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from deepfake_kg.store import Store


class What(str, Enum):
    ontology = "ontology"
    kb = "kb"
    cases = "cases"
    all = "all"


class Format(str, Enum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


# Which named graphs each selection reads; `all` is every graph but the store's own bookkeeping.
GRAPH_FILTERS = {
    What.ontology: f"?g = <{ONTOLOGY_GRAPH}>",
    What.kb: f"?g = <{KB_GRAPH}>",
    What.cases: f'STRSTARTS(STR(?g), "{CASE_GRAPHS}")',
    What.all: f"?g != <{META_GRAPH}>",
}


def construct_query(what: What) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER ({GRAPH_FILTERS[what]}) }}"


def export_ntriples(store: Store, what: What) -> bytes:
    """The triples of the selected named graphs, merged, as N-Triples."""
    return store.construct(construct_query(what))


def export_graph(store: Store, what: What) -> Graph:
    """The selected named graphs merged into one rdflib graph."""
    return Graph().parse(data=export_ntriples(store, what), format="nt")


def serialize(ntriples: bytes, format: Format) -> bytes:
    """N-Triples in the given format. Turtle and N-Triples keep every literal's lexical form (pyoxigraph);
    JSON-LD carries its context inline, so reading it back fetches nothing."""
    if format in (Format.ttl, Format.nt):
        triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
        if format is Format.nt:
            return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.parse(data=ntriples, format="nt")
    if format is Format.jsonld:
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, encoding="utf-8")
    return graph.serialize(format="xml", encoding="utf-8")
