"""GET|POST /sparql: the SPARQL 1.1 Protocol query endpoint, read-only, with time and size limits."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from starlette.concurrency import run_in_threadpool

from deepfake_kg.api import negotiation as media
from deepfake_kg.api.errors import error_response
from deepfake_kg.api.pool import (
    NotAcceptable, PoolBusy, QueryCrashed, QueryFailed, QueryOutOfMemory, QueryPool, QueryTimeout, ResultTooLarge, StoreUnavailable,
)
from deepfake_kg.sparql_guard import QueryRefused

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SD_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
RDFLIB_FORMATS = {media.TURTLE: "turtle", media.N_TRIPLES: "nt", media.JSON_LD: "json-ld", media.RDF_XML: "xml"}
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
NAMED_UPDATE_LENGTH = 20_000  # a refused update this long or shorter is parsed (in a worker) to name its operations
FOR_READS = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}

router = APIRouter(tags=["SPARQL"])


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class UpdateSent(Exception):
    """The request carries a SPARQL Update, which this endpoint refuses (the worker says which operations)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def service_description(endpoint: str) -> Graph:
    """What this endpoint is: SPARQL 1.1 Query over a union default graph, its result formats, no update."""
    graph = Graph()
    graph.bind("sd", SD)
    service, dataset = URIRef(endpoint), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in SD_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
               Literal("Read-only: updates, LOAD, SERVICE, FROM and FROM NAMED are refused.", lang="en")))
    return graph


async def _parameters(request: Request) -> dict[str, list[str]]:
    """The protocol parameters of the request: URL query string plus form body, or a direct query body."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    charset = request.headers.get("content-type", "").partition("charset=")[2].strip(' "').lower()
    if charset not in ("", "utf-8", "utf8"):
        raise ProtocolError(415, f"the request body must be UTF-8, not {charset}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8 text") from None
    if content_type == FORM:
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        return params
    if content_type == QUERY_BODY:
        if "query" in params:
            raise ProtocolError(400, "a query was given both in the URL and in the body")
        params["query"] = [text]
        return params
    if content_type == UPDATE_BODY:
        raise UpdateSent(text)
    raise ProtocolError(415, f"POST /sparql takes {FORM} or {QUERY_BODY}, not {content_type or 'an untyped body'}")


def _query_of(params: dict[str, list[str]]) -> str | None:
    """The one query of the request, None when none is given; refuses updates and protocol datasets."""
    if "update" in params:
        raise UpdateSent(params["update"][0])
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in params:
            raise ProtocolError(400, f"the {name} parameter is refused: queries run over the stored dataset only")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query parameter was given")
    return queries[0] if queries else None


def _service_description_response(request: Request) -> Response:
    chosen = media.negotiate(request.headers.get("accept"), media.GRAPH_OFFERS)
    if chosen is None:
        return error_response(406, f"the service description is available as {', '.join(media.RDF_SERIALISATIONS)}")
    endpoint = str(request.url.replace(query=""))
    body = service_description(endpoint).serialize(format=RDFLIB_FORMATS[chosen], encoding="utf-8")
    return Response(body, media_type=chosen, headers=FOR_READS)


@router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol query endpoint (read-only)")
async def sparql(request: Request) -> Response:
    """Answer a SPARQL query given as `query=` (URL or form) or as an `application/sparql-query` body.

    The query is checked, its result format chosen and the query run in a query worker, within its time and
    memory limits: this process never parses a client's SPARQL.
    """
    pool: QueryPool = request.app.state.pool
    try:
        query = _query_of(await _parameters(request))
    except ProtocolError as error:
        return error_response(error.status, str(error))
    except UpdateSent as update:
        text = update.text
        if len(text) > NAMED_UPDATE_LENGTH:
            return error_response(400, "SPARQL Update is refused: this endpoint is read-only")
        return await _pooled(lambda: error_response(400, pool.refusal_of_update(text)))
    if query is None:
        if request.method == "POST":
            return error_response(400, "no query was given: send query= or an application/sparql-query body")
        return _service_description_response(request)
    accept = request.headers.get("accept")

    def answer() -> Response:
        media_type, body = pool.answer(query, accept)
        return Response(body, media_type=media_type, headers=FOR_READS)

    return await _pooled(answer)


async def _pooled(call) -> Response:
    """Run `call` (which asks the query pool) on a thread; the pool's failures become their HTTP answers."""
    try:
        return await run_in_threadpool(call)
    except QueryRefused as refusal:
        return error_response(400, str(refusal))
    except NotAcceptable as error:
        return error_response(406, str(error))
    except QueryTimeout as error:
        return error_response(504, str(error))
    except (PoolBusy, QueryOutOfMemory) as error:
        return error_response(503, str(error))
    except ResultTooLarge as error:
        return error_response(422, f"{error}; narrow the query or add LIMIT")
    except QueryCrashed as error:
        return error_response(422, str(error))
    except QueryFailed as error:
        return error_response(400, f"the query could not be answered: {error}")
    except StoreUnavailable as error:
        return error_response(502, f"the store failed: {error}")
