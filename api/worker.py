"""A query worker process: answers serialised SPARQL results; the server kills it when a query runs too long."""

from __future__ import annotations

import io
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path


@dataclass(frozen=True)
class StoreSpec:
    """Where a worker finds the data: an embedded store folder (opened read-only) or a remote endpoint URL."""

    data_dir: Path | None = None
    store_url: str | None = None


class ResultTooLarge(Exception):
    """The serialised result passed the configured size limit."""


class LimitedBuffer(io.RawIOBase):
    """A byte buffer that stops the serialiser as soon as the result passes `limit` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:
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
        self.store = None

    def get(self, generation: int):
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


def serve(conn: Connection, spec: StoreSpec) -> None:
    """Say whether this worker is off the network, then answer (generation, query, media type, byte limit) requests."""
    from deepfake_kg.store.base import QueryError, StoreError

    conn.send(("network", _isolate(spec)))
    reader = _Reader(spec)
    while True:
        try:
            generation, query, media_type, limit = conn.recv()
        except (EOFError, OSError):
            return
        output = LimitedBuffer(limit)
        try:
            reader.get(generation).write_serialized(query, media_type, output)
            conn.send(("ok", output.value()))
        except ResultTooLarge as error:
            conn.send(("too_large", str(error)))
        except (QueryError, SyntaxError, ValueError) as error:
            conn.send(("bad_query", str(error)))
        except (StoreError, OSError) as error:
            conn.send(("error", str(error)))
