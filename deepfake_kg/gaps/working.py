"""The working dataset: an in-memory copy of the store plus scenario settings, with the derivation rules applied."""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import pyoxigraph as ox

from deepfake_kg.namespaces import DFK, GRAPH
from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store import Store

DERIVE_DIR = QUERIES_DIR / "derive"
EVALUATION = ox.NamedNode(f"{GRAPH}evaluation")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
COPY_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
FINGERPRINT_QUERY = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""
_CACHE_SIZE = 4
_copies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> (fingerprint, N-Triples)
_evaluated: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> {(fingerprint, scenario): working store}
_lock = threading.Lock()


@dataclass
class Evaluated:
    """A working dataset with its derivations done, and the answers already read from it (by query name)."""

    store: ox.Store
    answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """What the evaluation assumes: a fixed law date, versions assumed in force (from a date), extra triples."""

    as_of: str | None = None
    assume_in_force: tuple[str, ...] = ()
    assumed_from: str | None = None
    extra_ntriples: bytes = field(default=b"", compare=True)

    def key(self) -> tuple:
        return (self.as_of, self.assume_in_force, self.assumed_from, hashlib.sha256(self.extra_ntriples).hexdigest())


def store_fingerprint(store: Store) -> str:
    """A cheap digest of one store's state: its generation if it counts writes, else the size of each graph."""
    generation = getattr(store, "generation", None)
    if generation is not None:
        return str(generation)
    rows = store.select(FINGERPRINT_QUERY)
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row['g']} {row['n']}\n".encode())
    return digest.hexdigest()


def base_copy(store: Store) -> tuple[str, bytes]:
    """Every triple of the store (union of graphs) as N-Triples, kept while the store's fingerprint holds."""
    key = store_fingerprint(store)
    cached = _copies.get(store)
    if cached is None or cached[0] != key:
        cached = _copies[store] = (key, store.construct(COPY_QUERY))
    return cached


def derive_rules() -> list[tuple[str, str]]:
    """The derivation rules, in the order of their file names."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(DERIVE_DIR.glob("*.rq"))]


def _settings(scenario: Scenario) -> list[ox.Quad]:
    quads = []
    if scenario.as_of or scenario.assume_in_force:
        quads.append(ox.Quad(EVALUATION, RDF_TYPE, ox.NamedNode(f"{DFK}Evaluation")))
    if scenario.as_of:
        quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}evaluationDate"), ox.Literal(scenario.as_of, datatype=XSD_DATE)))
    for version in scenario.assume_in_force:
        quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}assumesInForce"), ox.NamedNode(version)))
    if scenario.assumed_from:
        quads.append(ox.Quad(EVALUATION, ox.NamedNode(f"{DFK}assumedInForceFrom"),
                             ox.Literal(scenario.assumed_from, datatype=XSD_DATE)))
    return quads


def build(base: bytes, scenario: Scenario, timings: dict[str, float] | None = None) -> ox.Store:
    """A fresh in-memory store: the copy, the scenario, then every derivation rule in order."""
    import time

    started = time.perf_counter()
    working = ox.Store()
    working.bulk_load(base, format=ox.RdfFormat.N_TRIPLES)
    if scenario.extra_ntriples:
        working.bulk_load(scenario.extra_ntriples, format=ox.RdfFormat.N_TRIPLES)
    working.extend(_settings(scenario))
    if timings is not None:
        timings["load"] = time.perf_counter() - started
    for name, rule in derive_rules():
        started = time.perf_counter()
        working.update(rule)
        if timings is not None:
            timings[f"derive/{name}"] = time.perf_counter() - started
    return working


def working_store(store: Store, scenario: Scenario = Scenario()) -> Evaluated:
    """The evaluated working dataset for this store and scenario, reused while the store is unchanged."""
    with _lock:
        key, base = base_copy(store)
        cache = _evaluated.setdefault(store, OrderedDict())
        cache_key = (key, scenario.key())
        if cache_key not in cache:
            cache[cache_key] = Evaluated(build(base, scenario))
            while len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
        cache.move_to_end(cache_key)
        return cache[cache_key]
