"""Case records over HTTP: validate, store (token), read in JSON or any RDF format, delete (token), promote an AIID draft (token)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pyld import jsonld
from starlette.concurrency import run_in_threadpool

from deepfake_kg.api import negotiation as media
from deepfake_kg.api.auth import require_token
from deepfake_kg.api.deps import get_store
from deepfake_kg.api.disconnect import while_connected
from deepfake_kg.api.inputs import read_batch
from deepfake_kg.entailments import case_entailments_graph
from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.load import CuratedCase, load_batches
from deepfake_kg.loaders.prepare import ForgedRecord
from deepfake_kg.loaders.records import CASE_ID
from deepfake_kg.loaders.read import Batch
from deepfake_kg.loaders.promote import Draft, UnknownDraft, find_draft, link_problems, promote
from deepfake_kg.loaders.shipped import HAS_PART, SHIPPED_CASES
from deepfake_kg.loaders.report import as_json, as_turtle
from deepfake_kg.loaders.validate import Report, validate_batches
from deepfake_kg.namespaces import case_graph, case_iri
from deepfake_kg.store import Store
from deepfake_kg.store.embedded import GRAPH_FORMATS
from deepfake_kg.store.updates import META_GRAPH

CASE_OFFERS = {media.JSON: media.JSON, **{asked: answer for asked, answer in media.GRAPH_OFFERS.items() if asked != media.JSON}}
REPORT_OFFERS = {media.JSON: media.JSON, media.TURTLE: media.TURTLE}
NUMBERS = {"xsd:integer": int, "xsd:decimal": float}
WRITE_LOCK = threading.Lock()
VALIDATION_CHUNK = 1000  # records per pyshacl call: the work done after a client leaves is at most one chunk

router = APIRouter(tags=["cases"])


def _checked_id(case_id: str) -> str:
    if not CASE_ID.fullmatch(case_id):
        raise HTTPException(400, f"{case_id!r} is not a case_id (letters, digits, '.', '_' and '-', up to 80)")
    return case_id


async def _validated(request: Request, batch: Batch | None = None) -> Report:
    """The report on the request's records (or on `batch`), stopped between chunks if the client goes away."""
    batch = batch or await read_batch(request)
    store = request.app.state.store
    return await while_connected(request, lambda checkpoint: validate_batches(
        [batch], store, workers=1, chunk_size=VALIDATION_CHUNK, progress=checkpoint))


def _report(report: Report) -> dict:
    return json.loads(as_json(report))


@router.post("/validate", summary="Validate case records (CSV, JSON, JSON-LD, Turtle, N-Triples, RDF/XML); stores nothing")
async def validate(request: Request) -> Response:
    """Answer the validation report: JSON, or the raw SHACL report in Turtle when asked for text/turtle."""
    report = await _validated(request)
    if media.negotiate(request.headers.get("accept"), REPORT_OFFERS) == media.TURTLE:
        return Response(as_turtle(report), media_type=media.TURTLE)
    return Response(as_json(report), media_type=media.JSON)


@router.post("/cases", status_code=201, dependencies=[Depends(require_token)],
             summary="Validate, then store case records atomically (bearer token)")
async def store_cases(request: Request) -> JSONResponse:
    report = await _validated(request)
    if not report.conforms:
        return JSONResponse({"error": "the records have violations; nothing was stored", "status": 422,
                             "report": _report(report)}, status_code=422)

    def write() -> list[str]:
        with WRITE_LOCK, refused_writes():
            graphs = load_batches(report, request.app.state.store, submitter="http-api")
            request.app.state.pool.written()
        return graphs

    graphs = await run_in_threadpool(write)
    stored = sorted(graph.rsplit("/", 1)[1] for graph in graphs)
    headers = {"Location": f"/cases/{stored[0]}"} if len(stored) == 1 else None
    return JSONResponse({"stored": stored, "report": _report(report)}, status_code=201, headers=headers)


@router.post("/drafts/{draft_id}/promote", status_code=201, dependencies=[Depends(require_token)],
             summary="Promote an AIID draft: its completed case record (any encoding), validated, stored as a case (bearer token)")
async def promote_draft(draft_id: str, request: Request) -> JSONResponse:
    """The record must state the draft's aiid_incident; 404 for an unknown draft, 422 (nothing changed) if invalid."""
    store = request.app.state.store
    batch = await read_batch(request)
    draft = await run_in_threadpool(_draft_or_404, store, draft_id)
    batch.problems += link_problems(batch, draft)
    report = await _validated(request, batch)
    if not report.conforms:
        return JSONResponse({"error": f"the record has violations; draft {draft.id} was not promoted", "status": 422,
                             "report": _report(report)}, status_code=422)

    def write() -> str:
        with WRITE_LOCK, refused_writes():
            graph = promote(report, _draft_or_404(store, draft_id), store, submitter="http-api")
            request.app.state.pool.written()
        return graph

    case_id = (await run_in_threadpool(write)).rsplit("/", 1)[1]
    return JSONResponse({"promoted": draft.id, "stored": [case_id], "report": _report(report)}, status_code=201,
                        headers={"Location": f"/cases/{case_id}"})


@contextmanager
def refused_writes() -> Iterator[None]:
    """A load that may not happen as a clean answer: 409 for a curated case, 422 for a record beyond its case."""
    try:
        yield
    except CuratedCase as error:
        raise HTTPException(409, str(error)) from None
    except ForgedRecord as error:
        raise HTTPException(422, str(error)) from None


def _draft_or_404(store: Store, draft_id: str) -> Draft:
    try:
        return find_draft(store, draft_id)
    except UnknownDraft as error:
        raise HTTPException(404, str(error)) from None


def case_triples(store: Store, case_id: str) -> list[ox.Triple]:
    """The case record as stored in its own named graph (no entailments), with its blank nodes."""
    iri, graph = case_iri(case_id), case_graph(case_id)
    ntriples = store.construct(f"CONSTRUCT {{ <{iri}> ?p ?o . ?blank ?q ?v }} WHERE {{ GRAPH <{graph}> {{ {{ <{iri}> ?p ?o }} "
                               f"UNION {{ <{iri}> ?r ?blank . FILTER(isBlank(?blank)) ?blank ?q ?v }} }} }}")
    return [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]


def case_json(triples: list[ox.Triple], iri: str, linked: bool) -> dict:
    """The record in the JSON of case-records.md (field names and codes), or JSON-LD with the project context."""
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    expanded = jsonld.from_rdf(ntriples, {"format": "application/n-quads"})
    context = {key: value for key, value in ctx.context().items() if key != "@base"}
    framed = jsonld.frame(expanded, {"@context": context, "@id": iri}, {"embed": "@always"})
    framed.pop("@context", None)
    record = framed["@graph"][0] if "@graph" in framed else framed
    if linked:
        return {"@context": ctx.CONTEXT_IRI, **record}
    record = ctx.joined_citations(record)  # provisions it does not model, by citation, are provisions_applied too
    return {key: _plain(key, value) for key, value in record.items() if key in ctx.fields()}


def _plain(field: str, value):
    """JSON numbers for the numeric fields (JSON-LD compaction keeps typed literals as strings)."""
    number = NUMBERS.get(ctx.term(field).get("@type")) if field in ctx.fields() else None
    if number is None:
        return value
    return [number(item) for item in value] if isinstance(value, list) else number(value)


@router.get("/cases/{case_id}", summary="One case record: JSON (default), JSON-LD, Turtle, N-Triples or RDF/XML")
def get_case(case_id: str, request: Request, store: Store = Depends(get_store)) -> Response:
    triples = case_triples(store, _checked_id(case_id))
    if not triples:
        raise HTTPException(404, f"there is no case {case_id!r}")
    chosen = media.negotiate(request.headers.get("accept"), CASE_OFFERS)
    if chosen is None:
        raise HTTPException(406, f"a case is available as {', '.join(dict.fromkeys(CASE_OFFERS.values()))}")
    headers = {"Vary": "Accept"}
    if chosen in (media.JSON, media.JSON_LD):
        record = case_json(triples, case_iri(case_id), linked=chosen == media.JSON_LD)
        return JSONResponse(record, media_type=chosen, headers=headers)
    return Response(ox.serialize(triples, format=GRAPH_FORMATS[chosen]), media_type=chosen, headers=headers)


@router.delete("/cases/{case_id}", status_code=204, dependencies=[Depends(require_token)],
               summary="Delete a contributed case (its named graph) (bearer token)")
def delete_case(case_id: str, request: Request, store: Store = Depends(get_store)) -> Response:
    graph = case_graph(_checked_id(case_id))
    with WRITE_LOCK:
        if not store.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
            raise HTTPException(404, f"there is no case {case_id!r}")
        if store.ask(f"ASK {{ GRAPH <{META_GRAPH}> {{ <{SHIPPED_CASES}> <{HAS_PART}> <{graph}> }} }}"):
            raise HTTPException(409, f"case {case_id!r} is one of the curated cases shipped in kb/cases; "
                                     "change those files instead")
        store.replace_graphs({}, drop=[graph, case_entailments_graph(graph)])
        request.app.state.pool.written()
    return Response(status_code=204)
