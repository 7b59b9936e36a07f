"""A query worker process: checks, then answers, one SPARQL request at a time; the server kills it past the time limit.

Everything costly about a query happens here, inside the worker's time and memory limits and off the network:
parsing it with the guard's grammar (which recurses once per triple pattern), choosing the result format, and
running it. The server process only passes text through.
"""

from __future__ import annotations

import io
import resource
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

BASE_IRI = "https://w3id.org/deepfake-kg/sparql"  # the service-defined base for relative IRIs in queries
RECURSION_LIMIT = 50_000  # rdflib's grammar recurses per triple pattern: a flat 3,000-pattern query needs 30,000 to 50,000
STACK_BYTES = 256 * 1024 * 1024  # the checking thread's stack, deep enough for RECURSION_LIMIT frames


@dataclass(frozen=True)
class StoreSpec:
    """Where a worker finds the data: an embedded store folder (opened read-only) or a remote endpoint URL."""

    data_dir: Path | None = None
    store_url: str | None = None
    memory_bytes: int | None = None  # the worker's address-space limit (RLIMIT_AS); None: no limit


class ResultTooLarge(Exception):
    """The serialised result passed the configured size limit."""


class NotAcceptable(Exception):
    """The query's result form cannot be written in any media type the client accepts."""


class LimitedBuffer(io.RawIOBase):
    """A byte buffer that stops the serialiser as soon as the result passes `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(f"the result is larger than the limit of {self.limit} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


class _Reader:
    """The worker's view of the store; an embedded store is reopened when the server says it has written."""

    def __init__(self, spec: StoreSpec) -> None:
        self.spec = spec
        self.generation = -1
        self.store: Any = None

    def get(self, generation: int) -> Any:
        if self.spec.store_url:
            if self.store is None:
                from deepfake_kg.store.remote import RemoteStore

                self.store = RemoteStore(self.spec.store_url)
            return self.store
        if self.store is None or generation != self.generation:
            from deepfake_kg.store.embedded import EmbeddedStore

            if self.store is not None:
                self.store.close()
            self.store = EmbeddedStore(self.spec.data_dir, read_only=True)
            self.generation = generation
        return self.store


def _isolate(spec: StoreSpec) -> str | None:
    """Take an embedded-store worker off the network; None when done, else why not (a remote store needs it)."""
    from deepfake_kg.api.isolation import IsolationUnavailable, leave_the_network

    if spec.store_url:
        return "the worker reaches a remote store over the network"
    try:
        leave_the_network()
    except IsolationUnavailable as error:
        return str(error)
    return None


def _limit_memory(spec: StoreSpec) -> None:
    if spec.memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (spec.memory_bytes, spec.memory_bytes))


def _on_deep_stack(call: Callable[[], Any]) -> Any:
    """Run `call` on a thread with a deep stack and a high recursion limit; its answer or its exception."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = error

    previous = threading.stack_size(STACK_BYTES)
    try:
        thread = threading.Thread(target=target, name="sparql-check")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _checked(query: str, accept: str | None) -> str:
    """The media type to answer `query` with; raises QueryRefused or NotAcceptable."""
    from deepfake_kg.api import negotiation as media
    from deepfake_kg.sparql_guard import check_read_only

    form = _on_deep_stack(lambda: check_read_only(query))
    offers = media.RESULT_OFFERS if form in ("SELECT", "ASK") else media.GRAPH_OFFERS
    chosen = media.negotiate(accept, offers)
    if chosen is None:
        raise NotAcceptable(f"a {form} result is available as {', '.join(dict.fromkeys(offers.values()))}")
    return chosen


def _run(reader: _Reader, generation: int, query: str, media_type: str, limit: int) -> bytes:
    output = LimitedBuffer(limit)
    reader.get(generation).write_serialized(f"BASE <{BASE_IRI}>\n{query}", media_type, output)
    return output.value()


def _handle(reader: _Reader, request: tuple) -> tuple[str, Any]:
    """One request: ("answer", generation, query, accept, limit) checks and runs a client's query;
    ("run", generation, query, media type, limit) runs a query as it is; ("refuse_update", text) says why not."""
    from deepfake_kg.sparql_guard import refuse_update

    kind, *args = request
    if kind == "refuse_update":
        return "refused", str(_on_deep_stack(lambda: refuse_update(args[0])))
    generation, query, wanted, limit = args
    if kind == "answer":
        wanted = _checked(query, wanted)
    return "ok", (wanted, _run(reader, generation, query, wanted, limit))


def _answer(reader: _Reader, request: tuple) -> tuple[str, Any]:
    from deepfake_kg.sparql_guard import QueryRefused
    from deepfake_kg.store.base import QueryError, StoreError

    try:
        return _handle(reader, request)
    except QueryRefused as refusal:
        return "refused", str(refusal)
    except NotAcceptable as error:
        return "not_acceptable", str(error)
    except ResultTooLarge as error:
        return "too_large", str(error)
    except RecursionError:
        return "refused", "the request is nested too deeply to be checked"
    except MemoryError:
        return "out_of_memory", "the query needed more memory than a query worker may use"
    except (QueryError, SyntaxError, ValueError) as error:
        return "bad_query", str(error)
    except (StoreError, OSError) as error:
        return "error", str(error)


def _warm() -> None:
    """Parse once before the first client, so rdflib's grammar has learnt its parse actions in this process."""
    from deepfake_kg.sparql_guard import check_read_only

    check_read_only("ASK { ?s ?p ?o }")


def serve(conn: Connection, spec: StoreSpec) -> None:
    """Say whether this worker is off the network, then answer requests (see `_handle`) until the pipe closes."""
    sys.setrecursionlimit(RECURSION_LIMIT)
    _warm()
    conn.send(("network", _isolate(spec)))
    _limit_memory(spec)
    reader = _Reader(spec)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(reader, request))
