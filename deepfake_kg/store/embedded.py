"""The embedded store: pyoxigraph on disk, filled with the ontology and knowledge base on first use."""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import pyoxigraph as ox

from deepfake_kg.namespaces import DFK, ID, KB_GRAPH, ONTOLOGY_GRAPH
from deepfake_kg.paths import kb_files, ontology_files
from deepfake_kg.store import updates
from deepfake_kg.store.base import GraphContent, QueryError, Row, StoreError, StoreFull
from deepfake_kg.store.terms import to_rdflib

META_GRAPH = ox.NamedNode(updates.META_GRAPH)
JOURNAL_LENGTH = 1000  # writes remembered by `changed_since`; older ones count as "everything changed"
SOURCE_HASH = ox.NamedNode(updates.SOURCE_HASH)
STAGED_GRAPHS = ox.NamedNode(str(DFK["stagedGraphs"]))
NO_SPACE = "No space left on device"  # ENOSPC's words, in the message of the OSError pyoxigraph raises (errno unset)
DISK_FULL = "the disk holding the store is full, so nothing was written; free some space and retry"
WRITE_FAILED = "a write hit an I/O error (logged on the server), so nothing was written"
REOPEN_MARGIN = 1 << 20  # free bytes needed beyond the write-ahead logs to reopen a store (they become a table file)
REOPEN_WAIT = 2.0  # seconds a reopening waits for reads still running on the failed store (they hold its lock)
log = logging.getLogger("deepfake_kg.store")

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def shipped_graphs() -> dict[str, list[Path]]:
    """The named graphs built from files shipped with the package."""
    return {str(ONTOLOGY_GRAPH): ontology_files(), str(KB_GRAPH): kb_files()}


def graph_ntriples(files: Iterable[Path]) -> str:
    """The triples of a shipped graph's source files, as N-Triples."""
    triples = [quad.triple for path in files for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


def log_bytes(folder: Path) -> int:
    """The size of a store's write-ahead logs (a log may vanish while being listed: the store rotates them)."""
    total = 0
    for path in folder.glob("*.log"):
        with suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


def fingerprint(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class EmbeddedStore:
    """A persistent pyoxigraph store in a folder; `None` as path gives an in-memory one (tests, overlays)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the store in {path}: {error}") from error
        self.path = path
        self.generation = 0
        self._journal: list[frozenset[str] | None] = []  # graphs written by each write since opening (None: any)
        self._journal_lock = threading.Lock()
        self.write_error: str | None = None  # why the last write failed; None once a write succeeds
        self._reopen_lock = threading.Lock()
        if path is not None and not read_only:
            self._roll_back_stages()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around one write on `self._store`, which is reopened first if an earlier write failed. The write's I/O
        error is kept in `write_error` and raised as StoreFull (the disk is full) or StoreError; a write that
        succeeds clears it. Writes name the store as `self._store` only, so that no frame of a failed write (kept by
        its traceback) holds on to a failed store and its lock on the folder."""
        with self._reopen_lock:
            if self.write_error is not None and self.path is not None:
                self._reopen()
        try:
            yield
        except OSError as error:
            raise self._failed(error) from error
        self.write_error = None

    def _failed(self, error: OSError) -> StoreError:
        """Note a failed write, which leaves RocksDB refusing every later write until the store is reopened."""
        log.warning("a write to the store failed: %s", str(error))  # the text: a kept record keeps no traceback
        full = NO_SPACE in str(error)
        self.write_error = DISK_FULL if full else WRITE_FAILED
        return StoreFull(DISK_FULL) if full else StoreError(WRITE_FAILED)

    def _reopen(self) -> None:
        """Reopen the store after a failed write, reads going to a read-only view meanwhile (and staying there if the
        opening fails); StoreFull, changing nothing, while the disk lacks the room that reopening needs."""
        if shutil.disk_usage(self.path).free < log_bytes(self.path) + REOPEN_MARGIN:
            raise StoreFull(DISK_FULL)
        try:
            self._store = ox.Store.read_only(str(self.path))  # lets go of the failed store
            self._store = self._open_when_released()
        except OSError as error:
            raise self._failed(error) from error
        log.info("reopened the store after a failed write")

    def _open_when_released(self) -> ox.Store:
        """The store opened for writing, once no read still holds the failed one (and so RocksDB's folder lock)."""
        deadline = time.monotonic() + REOPEN_WAIT
        while True:
            try:
                return ox.Store(str(self.path))
            except OSError as error:
                if "lock" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def _written(self, graphs: Iterable[str] | None) -> None:
        """Count one write in the journal: the graphs it touched, or None when it may have touched any."""
        with self._journal_lock:
            self._journal.append(None if graphs is None else frozenset(graphs))
            del self._journal[:-JOURNAL_LENGTH]
            self.generation += 1

    def changed_since(self, generation: int) -> frozenset[str] | None:
        """The graphs written since `generation` (this object's writes only); None when that is not known."""
        with self._journal_lock:
            count = self.generation - generation
            if count < 0 or count > len(self._journal):
                return None
            written: set[str] = set()
            for graphs in self._journal[len(self._journal) - count:]:
                if graphs is None:
                    return None
                written |= graphs
            return frozenset(written)

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself; the journal counts taking it as a write that may have touched any graph."""
        self._written(None)
        return self._store

    def ensure_loaded(self) -> bool:
        """Load the ontology, knowledge base and curated case graphs whose source files changed; True if any was."""
        from deepfake_kg.loaders.shipped import HAS_PART, SHIPPED_CASES, case_files, shipped_cases_update

        changed = False
        for graph, files in {**shipped_graphs(), SHIPPED_CASES: case_files()}.items():
            digest = fingerprint(files)
            stored = list(self._store.quads_for_pattern(ox.NamedNode(graph), SOURCE_HASH, None, META_GRAPH))
            if stored and stored[0].object.value == digest:
                continue
            if graph == SHIPPED_CASES:
                previous = [q.object.value for q in self._store.quads_for_pattern(
                    ox.NamedNode(graph), ox.NamedNode(HAS_PART), None, META_GRAPH)]
                update = shipped_cases_update(files, digest, previous)
            else:
                update = " ;\n".join(updates.shipped_graph_operations(graph, graph_ntriples(files), digest))
            with self._writing():
                self._store.update(update)
            changed = True
        if changed:
            self._written(None)
        return changed

    def _query(self, query: str):
        try:
            return self._store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"the query is not valid SPARQL: {error}") from error

    def select(self, query: str) -> list[Row]:
        solutions = self._query(query)
        names = [variable.value for variable in solutions.variables]
        return [{name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
                for solution in solutions]

    def ask(self, query: str) -> bool:
        return bool(self._query(query))

    def construct(self, query: str) -> bytes:
        return self._query(query).serialize(format=ox.RdfFormat.N_TRIPLES)

    def query_serialized(self, query: str, media_type: str) -> bytes:
        output = io.BytesIO()
        self.write_serialized(query, media_type, output)
        return output.getvalue()

    def write_serialized(self, query: str, media_type: str, output) -> None:
        result = self._query(query)
        formats = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULT_FORMATS
        if media_type not in formats:
            raise QueryError(f"this query's result cannot be written as {media_type}")
        result.serialize(output, format=formats[media_type])

    def ask_alive(self, timeout: float = 0.5) -> bool:
        """Cheap check that the store answers (a local store answers at once; `timeout` is for remote ones)."""
        self._store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)
        return True

    def replace_graphs(self, graphs: Mapping[str, GraphContent], drop: Iterable[str] = (), *,
                       add: Mapping[str, GraphContent] | None = None,
                       remove: Mapping[str, GraphContent] | None = None) -> None:
        """One transaction: drop `drop`, empty the graphs in `graphs`, delete `remove`'s and insert everything new.

        When nothing stored is dropped, emptied or deleted (a first load, an append), the new triples go in as one
        TriG document loaded in one transaction, which skips SPARQL parsing; otherwise everything is one SPARQL
        update. Either way blank nodes are fresh for the store and shared by the whole call, like those of one
        INSERT DATA request.
        """
        drop, add = list(drop), add or {}
        inserts = [(graph, updates.as_ntriples(content)) for graph, content in (*graphs.items(), *add.items())]
        inserts = [(graph, text) for graph, text in inserts if text.strip()]
        removals = {graph: triples for graph, content in (remove or {}).items() if (triples := updates.as_triples(content))}
        dropped = [graph for graph in drop if self._store.contains_named_graph(ox.NamedNode(graph))]
        emptied = [graph for graph in graphs if graph not in drop and self._store.contains_named_graph(ox.NamedNode(graph))]
        if dropped or emptied or removals:
            self._update(dropped, emptied, inserts, removals)
        elif inserts:
            with self._writing():
                self._store.load(updates.trig(inserts), format=ox.RdfFormat.TRIG)
        else:
            return
        self._written([*graphs, *drop, *add, *removals])

    def _update(self, dropped: list[str], emptied: list[str], inserts: list[tuple[str, str]],
                removals: Mapping[str, list[ox.Triple]]) -> None:
        """Emptying graphs with one DELETE over VALUES is several times faster in pyoxigraph than DROP per graph."""
        operations = [f"DROP SILENT GRAPH <{graph}>" for graph in dropped]
        if emptied:
            values = " ".join(f"<{graph}>" for graph in emptied)
            operations.append(f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        for graph, triples in removals.items():
            operations += updates.delete_operations(graph, triples)
        if inserts:
            operations.append("INSERT DATA { " + " ".join(f"GRAPH <{graph}> {{ {text} }}" for graph, text in inserts) + " }")
        with self._writing():
            self._store.update(" ;\n".join(operations))

    def staged_load(self) -> StagedLoad:
        """Write many new graphs in stages outside any transaction, then commit; see `StagedLoad`."""
        return StagedLoad(self)

    def _roll_back_stages(self, load: ox.NamedNode | None = None) -> None:
        """Drop the graphs of every stage never committed (of `load`, or of any load cut short by a crash), one
        stage at a time: each stage's graphs and its list go in one transaction, so a crash here only leaves stages
        that the next opening drops."""
        lists = list(self._store.quads_for_pattern(load, STAGED_GRAPHS, None, META_GRAPH))
        for listed in lists:
            graphs = [graph for graph in listed.object.value.split("\n") if graph]
            with self._writing():
                self._store.update(" ;\n".join([*(f"DROP SILENT GRAPH <{graph}>" for graph in graphs),
                                                 *updates.delete_operations(META_GRAPH.value, [listed.triple])]))
            self._written(graphs)

    def graph_names(self) -> list[str]:
        return sorted(graph.value for graph in self._store.named_graphs() if isinstance(graph, ox.NamedNode))

    def dump(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        """Release the store (and its lock on the folder); safe to call twice."""
        self.__dict__.pop("_store", None)


class StagedLoad:
    """Many new graphs written in stages, each bulk-loaded outside any transaction (linear in size, bounded memory)
    after a list of its graphs is stored durably in the meta graph; `commit` writes the rest in one transaction that
    also removes the lists. Leaving the `with` block uncommitted drops the stages, and so does the next opening of the
    store after a crash: readers of this process see the stages before the commit, so only a writer that has the store
    to itself (the command line) should stage."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.load = ox.NamedNode(f"{ID}staged-load/{uuid.uuid4()}")
        self._lists: list[ox.Triple] = []
        self._committed = False

    def __enter__(self) -> StagedLoad:
        return self

    def add(self, graphs: Mapping[str, str]) -> None:
        """Bulk-load one stage of graphs (N-Triples text each), none of which may exist yet."""
        taken = [graph for graph in graphs if self.store._store.contains_named_graph(ox.NamedNode(graph))]
        if taken:
            raise StoreError(f"a staged load only writes new graphs, and {taken[0]} exists")
        listed = ox.Quad(self.load, STAGED_GRAPHS, ox.Literal("\n".join(graphs)), META_GRAPH)
        with self.store._writing():
            self.store._store.add(listed)
            self.store._store.flush()  # the list is on disk before any of its graphs
            self._lists.append(listed.triple)
            self.store._store.bulk_load(updates.trig(graphs.items()).encode(), format=ox.RdfFormat.TRIG)
        self.store._written(graphs)

    def commit(self, graphs: Mapping[str, GraphContent], *, add: Mapping[str, GraphContent] | None = None,
               remove: Mapping[str, GraphContent] | None = None) -> None:
        """One transaction: `replace_graphs(graphs, add=add, remove=remove)` and the removal of the stages' lists."""
        remove = dict(remove or {})
        remove[META_GRAPH.value] = [*updates.as_triples(remove.get(META_GRAPH.value, [])), *self._lists]
        self.store.replace_graphs(graphs, add=add, remove=remove)
        self._committed = True

    def __exit__(self, *exc_info) -> None:
        if not self._committed:
            self.store._roll_back_stages(self.load)
