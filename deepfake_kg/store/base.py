"""The one interface every store offers: read by SPARQL, write whole named graphs atomically."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import BinaryIO, Protocol

import pyoxigraph as ox
from rdflib.term import Node

Row = dict[str, Node]
GraphContent = str | Sequence[ox.Triple]  # N-Triples text, or pyoxigraph triples


class StoreError(Exception):
    """A store could not be opened, read or written; the message is meant for people."""


class QueryError(StoreError):
    """The store refused the query itself (syntax or an unsupported feature), not a failure of the store."""


class StoreFull(StoreError):
    """A write failed because the disk holding the store is full; nothing of it was written."""


class Store(Protocol):
    write_error: str | None  # why the last write failed (None: it did not, or the store does not track it)

    def select(self, query: str) -> list[Row]:
        """Run a SELECT query over the union of all graphs; rows map variable names to rdflib terms."""

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> bytes:
        """Run a CONSTRUCT or DESCRIBE query; answer N-Triples."""

    def query_serialized(self, query: str, media_type: str) -> bytes:
        """Run any read query and serialise its result in the given media type."""

    def write_serialized(self, query: str, media_type: str, output: BinaryIO) -> None:
        """Run any read query and write its serialised result to `output` (which may stop it by raising)."""

    def ask_alive(self, timeout: float = 0.5) -> bool:
        """Cheap check that the store answers within `timeout` seconds; raises StoreError otherwise."""

    def replace_graphs(self, graphs: Mapping[str, GraphContent], drop: Iterable[str] = (), *,
                       add: Mapping[str, GraphContent] | None = None,
                       remove: Mapping[str, GraphContent] | None = None) -> None:
        """In one transaction: drop each graph in `drop`, replace each graph in `graphs` with the given triples,
        delete `remove`'s triples (ground ones) from their graphs and insert `add`'s into theirs, keeping the rest."""

    def graph_names(self) -> list[str]: ...

    def dump(self) -> bytes:
        """Every quad in the store, as N-Quads."""

    def close(self) -> None: ...
