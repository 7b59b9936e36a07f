"""The remote store: any SPARQL 1.1 Query + Update endpoint over HTTP (Virtuoso, Fuseki, GraphDB, Oxigraph server...)."""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Generator, Iterable, Mapping
from typing import BinaryIO

import httpx
import pyoxigraph as ox

from deepfake_kg.sparql_guard import QueryRefused, check_read_only
from deepfake_kg.store import updates
from deepfake_kg.store.base import GraphContent, QueryError, Row, StoreError
from deepfake_kg.store.embedded import GRAPH_FORMATS, RESULT_FORMATS, fingerprint, graph_ntriples, shipped_graphs
from deepfake_kg.store.terms import to_rdflib

USER_ENV, PASSWORD_ENV, UPDATE_URL_ENV = "DEEPFAKE_KG_STORE_USER", "DEEPFAKE_KG_STORE_PASSWORD", "DEEPFAKE_KG_STORE_UPDATE_URL"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
DEADLOCK_STATE = "SR172"  # Virtuoso: "Transaction deadlocked"; the victim was rolled back and may be sent again
DEADLOCK_RETRY_PAUSES = (0.05, 0.2, 0.5, 0)  # seconds to wait after each deadlocked try; the last try is final
BLANK_ID = re.compile(r"[^A-Za-z0-9_]")


class BasicOrDigestAuth(httpx.Auth):
    """Answer the server's challenge with Basic or Digest, whichever it asks for."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        self._scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
        elif self._scheme == "digest":
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
                while True:
                    retry = flow.send((yield retry))
            except StopIteration:
                return


def _auth() -> httpx.Auth | None:
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    return BasicOrDigestAuth(user, password or "") if user else None


def _clean_results_json(body: bytes) -> bytes:
    """Make blank node labels valid (Virtuoso answers `nodeID://b1`), so any SPARQL results parser reads them."""
    results = json.loads(body)
    for binding in results.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = "b" + BLANK_ID.sub("_", term["value"])
    return json.dumps(results).encode()


class RemoteStore:
    """A SPARQL endpoint reached over HTTP; the default graph is expected to be the union of all graphs."""

    def __init__(self, url: str, *, timeout: float | None = 60.0) -> None:
        self.url = url
        self.update_url = os.environ.get(UPDATE_URL_ENV) or url
        self.write_error: str | None = None  # a remote store's failed writes are the endpoint's to report
        self._client = httpx.Client(auth=_auth(), timeout=timeout, follow_redirects=False)

    def _post(self, url: str, data: dict[str, str], accept: str, timeout: float | None = None) -> bytes:
        """POST one request; a request Virtuoso chose as a deadlock victim (rolled back whole) is sent again."""
        for pause in DEADLOCK_RETRY_PAUSES:
            response = self._send(url, data, accept, timeout)
            if response.headers.get("x-sql-state") != DEADLOCK_STATE:
                break
            time.sleep(pause)
        if response.status_code == 400:
            raise QueryError(f"the SPARQL store refused the request: {response.text.strip().splitlines()[0][:300]}")
        if response.status_code >= 300:
            detail = response.text.strip().splitlines()[0][:300] if response.text.strip() else response.reason_phrase
            raise StoreError(f"the SPARQL store at {url} answered {response.status_code}: {detail}")
        if "x-sql-state" in response.headers:
            # Virtuoso's "anytime" answer: partial results cut at its own time limit, flagged only in headers.
            raise StoreError(f"the SPARQL store answered partial results ({response.headers.get('x-sql-message', '')})")
        return response.content

    def _send(self, url: str, data: dict[str, str], accept: str, timeout: float | None) -> httpx.Response:
        try:
            extra = {"timeout": timeout} if timeout is not None else {}
            return self._client.post(url, data=data, headers={"Accept": accept}, **extra)
        except httpx.HTTPError as error:
            raise StoreError(f"cannot reach the SPARQL store at {url}: {error}") from error

    def _results(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean:
        body = _clean_results_json(self._post(self.url, {"query": query}, RESULTS_JSON))
        try:
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as error:
            raise StoreError(f"the SPARQL store answered unreadable results: {error}") from error

    def _triples(self, query: str) -> list[ox.Triple]:
        body = self._post(self.url, {"query": query}, f"{N_TRIPLES}, text/plain;q=0.9")
        try:
            return [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as error:
            raise StoreError(f"the SPARQL store answered an unreadable graph: {error}") from error

    def _form(self, query: str) -> str:
        try:
            return check_read_only(query)
        except QueryRefused as refusal:
            raise QueryError(str(refusal)) from refusal

    def select(self, query: str) -> list[Row]:
        solutions = self._results(query)
        names = [variable.value for variable in solutions.variables]
        return [{name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
                for solution in solutions]

    def ask(self, query: str) -> bool:
        return bool(self._results(query))

    def construct(self, query: str) -> bytes:
        return ox.serialize(self._triples(query), format=ox.RdfFormat.N_TRIPLES)

    def query_serialized(self, query: str, media_type: str) -> bytes:
        output = io.BytesIO()
        self.write_serialized(query, media_type, output)
        return output.getvalue()

    def write_serialized(self, query: str, media_type: str, output: BinaryIO) -> None:
        if self._form(query) in ("CONSTRUCT", "DESCRIBE"):
            if media_type not in GRAPH_FORMATS:
                raise QueryError(f"this query's result cannot be written as {media_type}")
            ox.serialize(self._triples(query), output, format=GRAPH_FORMATS[media_type])
        else:
            if media_type not in RESULT_FORMATS:
                raise QueryError(f"this query's result cannot be written as {media_type}")
            self._results(query).serialize(output, format=RESULT_FORMATS[media_type])

    def ask_alive(self, timeout: float = 0.5) -> bool:
        self._post(self.url, {"query": "ASK { }"}, RESULTS_JSON, timeout=timeout)
        return True

    def update(self, update: str) -> None:
        """Send one SPARQL Update request (the endpoint applies it as one transaction, if it supports that)."""
        self._post(self.update_url, {"update": update}, f"{RESULTS_JSON}, */*;q=0.1")

    def replace_graphs(self, graphs: Mapping[str, GraphContent], drop: Iterable[str] = (), *,
                       add: Mapping[str, GraphContent] | None = None,
                       remove: Mapping[str, GraphContent] | None = None) -> None:
        update = updates.replace_graphs(graphs, drop, portable=True, add=add, remove=remove)
        if update:
            self.update(update)

    def ensure_loaded(self) -> bool:
        """Load the shipped graphs (ontology, knowledge base, curated cases) whose source files changed; True if any was."""
        from deepfake_kg.loaders.shipped import PREVIOUS_QUERY, SHIPPED_CASES, case_files, shipped_cases_update

        changed = False
        for graph, files in {**shipped_graphs(), SHIPPED_CASES: case_files()}.items():
            digest = fingerprint(files)
            stored = [str(row["hash"]) for row in self.select(updates.stored_fingerprint_query(graph))]
            if stored == [digest]:
                continue
            if graph == SHIPPED_CASES:
                previous = [str(row["graph"]) for row in self.select(PREVIOUS_QUERY)]
                operations = shipped_cases_update(files, digest, previous, portable=True).split(" ;\n")
            else:
                operations = updates.shipped_graph_operations(graph, graph_ntriples(files), digest, portable=True)
            # One request per operation (the fingerprint is written last, so a crash midway reloads next time):
            # Virtuoso compiles a many-operation request in superlinear time.
            for operation in operations:
                self.update(operation)
            changed = True
        return changed

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(row["g"]) for row in rows)

    def dump(self) -> bytes:
        solutions = self._results("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in solutions]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self._client.close()
