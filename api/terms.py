"""Dereferenceable IRIs: the ontology, each term and each instance, as HTML for people or RDF for machines."""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from deepfake_kg.api import negotiation as media
from deepfake_kg.namespaces import DFK, ID, ONTOLOGY_GRAPH, ONTOLOGY_IRI
from deepfake_kg.store import Store
from deepfake_kg.store.embedded import GRAPH_FORMATS

TERM_OFFERS = {**media.GRAPH_OFFERS, media.HTML: media.HTML, "application/xhtml+xml": media.HTML}
VARY = {"Vary": "Accept"}
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
router = APIRouter(tags=["linked data"])


def _negotiate(request: Request) -> str:
    chosen = media.negotiate(request.headers.get("accept"), TERM_OFFERS)
    if chosen is None:
        raise HTTPException(406, f"this resource is available as {', '.join(dict.fromkeys(TERM_OFFERS.values()))}")
    return chosen


def _triples(ntriples: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def _rdf(triples: list[ox.Triple], media_type: str) -> Response:
    return Response(ox.serialize(triples, format=GRAPH_FORMATS[media_type]), media_type=media_type, headers=VARY)


def bounded_description(triples: list[ox.Triple], iri: str) -> list[ox.Triple]:
    """The triples about `iri` and, recursively, about the blank nodes they lead to (the same on every store)."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, []).append(triple)
    kept, todo, seen = [], [ox.NamedNode(iri)], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in by_subject.get(subject, []):
            kept.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(triple.object)
    return kept


def _description(store: Store, iri: str) -> list[ox.Triple]:
    """The resource's concise bounded description; 404 when the store knows nothing about it."""
    try:
        if NOT_IN_IRI.search(iri):
            raise ValueError(iri)
        ox.NamedNode(iri)  # pyoxigraph checks the IRI as the SPARQL parser will
    except ValueError:
        raise HTTPException(404, "no such resource: the path holds characters that cannot appear in an IRI") from None
    triples = bounded_description(_triples(store.construct(f"DESCRIBE <{iri}>")), iri)
    if not triples:
        raise HTTPException(404, f"nothing is known about <{iri}>")
    return triples


def _documentation(request: Request, anchor: str = "") -> Response:
    docs = request.app.state.ontology_docs
    page = docs.wait(60)
    if page is None:
        raise HTTPException(503, docs.error or "the ontology documentation is still being generated; retry shortly")
    if anchor:
        return RedirectResponse(f"/ontology#{anchor}", status_code=303, headers=VARY)
    return Response(page, media_type="text/html", headers=VARY)


@router.get("/ontology", summary="The ontology: HTML documentation, Turtle, N-Triples, JSON-LD or RDF/XML by Accept")
def ontology(request: Request) -> Response:
    chosen = _negotiate(request)
    if chosen == media.HTML:
        return _documentation(request)
    store: Store = request.app.state.store
    return _rdf(_triples(store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}")), chosen)


@router.get("/ontology/{term:path}", summary="One ontology term (or module): HTML goes to its documentation, RDF by Accept")
def term(term: str, request: Request) -> Response:
    chosen = _negotiate(request)
    iri = f"{DFK}{term}" if term else ONTOLOGY_IRI
    triples = _description(request.app.state.store, iri)
    if chosen == media.HTML:
        return _documentation(request, anchor=term.rsplit("/", 1)[-1])
    return _rdf(triples, chosen)


@router.get("/id/{path:path}", summary="An instance (case, jurisdiction, provision ...): HTML page or RDF by Accept")
def instance(path: str, request: Request) -> Response:
    chosen = _negotiate(request)
    iri = f"{ID}{path}"
    triples = _description(request.app.state.store, iri)
    if chosen == media.HTML:
        return RedirectResponse(f"/browse/resource?iri={quote(iri, safe='')}", status_code=303, headers=VARY)
    return _rdf(triples, chosen)
