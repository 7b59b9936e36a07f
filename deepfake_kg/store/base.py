"""The one interface every store offers: read by SPARQL, write whole named graphs atomically."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import BinaryIO, Protocol

from rdflib.term import Node

Row = dict[str, Node]


class StoreError(Exception):
    """A store could not be opened, read or written; the message is meant for people."""


class QueryError(StoreError):
    """The store refused the query itself (syntax or an unsupported feature), not a failure of the store."""


class Store(Protocol):
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

    def replace_graphs(self, graphs: Mapping[str, str], drop: Iterable[str] = ()) -> None:
        """In one transaction: drop each graph in `drop`, and replace each named graph with the given N-Triples."""

    def graph_names(self) -> list[str]: ...

    def dump(self) -> bytes:
        """Every quad in the store, as N-Quads."""

    def close(self) -> None: ...
