"""Draft case records as stored: the triples of given drafts in graph/drafts and their entailments."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, triples_of
from deepfake_kg.namespaces import DRAFTS_GRAPH
from deepfake_kg.store import Store

# A draft is its own node plus the nodes minted under its IRI (<draft>/suggestion/..., <draft>/party/...).
DRAFT_QUERY = f"""CONSTRUCT {{ ?draft ?p ?o . ?node ?q ?v }} WHERE {{
    VALUES ?draft {{ %s }}
    GRAPH <{DRAFTS_GRAPH}> {{
        {{ ?draft ?p ?o }}
        UNION
        {{ ?draft ?link ?node . FILTER(isIRI(?node) && STRSTARTS(STR(?node), CONCAT(STR(?draft), "/"))) ?node ?q ?v }}
    }}
}}"""
SUBJECTS_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ %s }} GRAPH <{ENTAILMENTS_GRAPH}> {{ ?s ?p ?o }} }}"


def stored_drafts(store: Store, drafts: Iterable[URIRef]) -> dict[str, list[ox.Triple]]:
    """What the store holds for these drafts: {graph/drafts: their triples, graph/entailments: their entailments}."""
    values = " ".join(f"<{draft}>" for draft in drafts)
    if not values:
        return {}
    triples = triples_of(store.construct(DRAFT_QUERY % values))
    subjects = " ".join(sorted({str(triple.subject) for triple in triples}))
    entailed = triples_of(store.construct(SUBJECTS_QUERY % subjects)) if subjects else []
    return {str(DRAFTS_GRAPH): triples, ENTAILMENTS_GRAPH: entailed}
