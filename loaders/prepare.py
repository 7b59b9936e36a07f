"""What a load writes for its cases, computed before the write and, for big batches, on every core: each case's
graph as N-Triples and the entailments of each case."""

from __future__ import annotations

import multiprocessing
import os

from rdflib import URIRef

from deepfake_kg.entailments import entail
from deepfake_kg.loaders.ntriples import NTriples
from deepfake_kg.loaders.records import Record
from deepfake_kg.namespaces import CASE_IRIS, case_graph

PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")
PER_WORKER = 1000  # fewer records than this per process are prepared in this process

Job = tuple[Record, URIRef]  # a record and the batch activity that stores it
Prepared = tuple[dict[str, str], dict[str, str]]  # case graph -> its N-Triples, case graph -> its entailments

_JOB: tuple[list[list[Job]], str] | None = None


def graph_of(record: Record) -> str:
    return case_graph(str(record.node).removeprefix(CASE_IRIS))


def prepare_slice(jobs: list[Job], known: str) -> Prepared:
    """Each record's case graph, which also records the batch activity that generated it, and its entailments."""
    convert = NTriples()
    cases = {}
    for record, activity in jobs:
        graph = graph_of(record)
        cases[graph] = convert([*record.triples, (URIRef(graph), PROV_GENERATED, activity)])
    return cases, entail(cases, known)


def _prepare_job(index: int) -> Prepared:
    slices, known = _JOB
    return prepare_slice(slices[index], known)


def prepare(jobs: list[Job], known: str, workers: int | None = None) -> Prepared:
    """Every job prepared, in up to `workers` forked processes (default: one per core; 1 in threaded servers)."""
    global _JOB
    workers = min(workers if workers is not None else os.cpu_count() or 1, len(jobs) // PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return prepare_slice(jobs, known)
    size = -(-len(jobs) // workers)
    _JOB = ([jobs[start:start + size] for start in range(0, len(jobs), size)], known)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_prepare_job, range(len(_JOB[0])))
    finally:
        _JOB = None
    cases: dict[str, str] = {}
    entailed: dict[str, str] = {}
    for part_cases, part_entailed in parts:
        cases.update(part_cases)
        entailed.update(part_entailed)
    return cases, entailed
