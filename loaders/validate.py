"""Validate records with pyshacl against shapes/cases.ttl, over only the part of the store they need."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from deepfake_kg.loaders import sparql_cache
from deepfake_kg.loaders.read import Batch
from deepfake_kg.loaders.records import Problem, Record, cited
from deepfake_kg.loaders.report import problems_from_results
from deepfake_kg.namespaces import DFK, ONTOLOGY_GRAPH
from deepfake_kg.paths import SHAPES_DIR
from deepfake_kg.store import Store
from deepfake_kg.store.terms import iri_values

CHUNK_SIZES = (1000, 5000)  # records per pyshacl call: two per worker, within these bounds (memory stays flat)
READING_CHECK = URIRef("https://w3id.org/deepfake-kg/shapes/cases#ReadingCheck")  # duplicates, stray statements
Progress = Callable[[int], None]

sparql_cache.install()

CODES_QUERY = f"""
PREFIX dfk: <{DFK}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?value a ?class . ?class rdfs:subClassOf ?super . }}
WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {{ ?value dfk:code ?code ; a ?class }} UNION {{ ?class rdfs:subClassOf ?super }} }} }}
"""

LAW_QUERY = """
PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT {
    ?provision a ?type ; ?fact ?value .
    ?holder ?holderFact ?holderValue .
    ?from dfk:lawAppliesIn ?to .
} WHERE {
    { VALUES ?provision { %s }
      ?provision a ?type .
      OPTIONAL { ?provision ?fact ?value .
                 FILTER (?fact IN (dfk:hasVersion, dfk:hasJurisdiction, dfk:isPartOf, dfk:adoptedOn)) } }
    UNION
    { VALUES ?provision { %s }
      ?provision (dfk:hasVersion|dfk:isPartOf)+ ?holder .
      ?holder ?holderFact ?holderValue .
      FILTER (?holderFact IN (dfk:validFrom, dfk:validUntil, dfk:hasStatus, dfk:hasJurisdiction,
                              dfk:isPartOf, dfk:adoptedOn)) }
    UNION
    { ?from dfk:lawAppliesIn ?to }
}
"""


@dataclass
class Report:
    """The outcome of validating one run: every problem (violations and warnings) and the SHACL report."""

    batches: list[Batch]
    problems: list[Problem] = field(default_factory=list)
    shacl: Graph = field(default_factory=Graph)

    @property
    def conforms(self) -> bool:
        return not any(problem.blocking for problem in self.problems)

    @property
    def record_count(self) -> int:
        return sum(len(batch.records) for batch in self.batches)


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_DIR / "cases.ttl", format="turtle")


def store_context(store: Store, records: Sequence[Record]) -> Graph:
    """The code individuals of the ontology and the provisions (with versions, instruments, jurisdictions) cited."""
    graph = Graph()
    graph.parse(data=store.construct(CODES_QUERY).decode(), format="nt")
    values = iri_values(cited(records))
    if values:  # the law is only needed to check cited provisions (and an empty VALUES trips Virtuoso)
        graph.parse(data=store.construct(LAW_QUERY % (values, values)).decode(), format="nt")
    return graph


def validate_batches(batches: list[Batch], store: Store, *, progress: Progress | None = None,
                     workers: int | None = None, chunk_size: int | None = None) -> Report:
    """Validate every record of a run; the problems found while reading come first."""
    records = [record for batch in batches for record in batch.records]
    report = Report(batches, [problem for batch in batches for problem in batch.problems])
    report.problems += cross_batch_duplicates(batches)
    read_problems = len(report.problems)
    extra = store_context(store, records)
    workers = workers if workers is not None else os.cpu_count() or 1
    size = chunk_size or min(max(CHUNK_SIZES[0], -(-len(records) // (2 * workers))), CHUNK_SIZES[1])
    chunks = [records[start:start + size] for start in range(0, len(records), size)]
    for chunk, triples in zip(chunks, run_chunks(chunks, extra, workers)):
        report.shacl += triples
        report.problems += problems_from_results(triples, first_records(chunk), shapes())
        if progress:
            progress(len(chunk))
    for problem in report.problems[:read_problems]:
        add_result(report.shacl, problem)
    report.shacl.add((URIRef("urn:deepfake-kg:report"), RDF.type, SH.ValidationReport))
    report.shacl.add((URIRef("urn:deepfake-kg:report"), SH.conforms, Literal(report.conforms)))
    for result in set(report.shacl.subjects(RDF.type, SH.ValidationResult)):
        report.shacl.add((URIRef("urn:deepfake-kg:report"), SH.result, result))
    return report


def add_result(graph: Graph, problem: Problem) -> None:
    """A problem found while reading, as a standard sh:ValidationResult of the Turtle report."""
    result = BNode()
    graph.add((result, RDF.type, SH.ValidationResult))
    graph.add((result, SH.focusNode, URIRef(problem.focus) if "://" in problem.focus else Literal(problem.focus)))
    graph.add((result, SH.resultSeverity, SH.Violation))
    graph.add((result, SH.resultMessage, Literal(problem.message)))
    graph.add((result, SH.sourceConstraintComponent, READING_CHECK))
    if problem.path:
        graph.add((result, SH.resultPath, URIRef(problem.path)))
    if problem.value is not None:
        graph.add((result, SH.value, Literal(problem.value)))


def cross_batch_duplicates(batches: list[Batch]) -> list[Problem]:
    first: dict[Node, Record] = {}
    problems = []
    for batch in batches:
        for record in {record.node: record for record in batch.records if isinstance(record.node, URIRef)}.values():
            if record.node in first:
                problems.append(Problem("violation", f"{batch.name} {record.place.of('case_id')}", "case_id",
                                        record.case_id, "each case_id once per run",
                                        f"case_id {record.case_id!r} is also in another file of this run",
                                        str(record.node), str(DFK.caseId)))
            first.setdefault(record.node, record)
    return problems


# ------------------------------------------------------------------ running pyshacl on chunks

_JOB: tuple[list[list[Record]], Graph] | None = None


def run_chunks(chunks: list[list[Record]], extra: Graph, workers: int):
    """pyshacl on each chunk of records plus the store context; in parallel processes on several cores."""
    global _JOB
    workers = min(workers, len(chunks))
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (validate_chunk(chunk, extra) for chunk in chunks)
        return
    _JOB = (chunks, extra)
    shapes()  # parsed once, inherited by the forked workers
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_validate_job, range(len(chunks)))
    finally:
        _JOB = None


def _validate_job(index: int) -> list[tuple[Node, Node, Node]]:
    chunks, extra = _JOB
    return validate_chunk(chunks[index], extra)


def validate_chunk(records: list[Record], extra: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples of pyshacl's validation results for these records (the report node left out)."""
    graph = Graph()
    add = graph.store.add  # the store's own add: the triples come from the readers, already checked terms
    for record in records:
        for triple in record.triples:
            add(triple, graph)
    graph += extra
    _, results, _ = shacl_validate(graph, shacl_graph=shapes(), advanced=True, inplace=True,
                                   allow_warnings=True)
    return [(s, p, o) for s, p, o in results if not (p == RDF.type and o == SH.ValidationReport)
            and p not in (SH.conforms, SH.result)]


def first_records(records: list[Record]) -> dict[Node, Record]:
    """Each node's first record: a repeated case_id is reported at the repeat, other problems at the first."""
    first: dict[Node, Record] = {}
    for record in records:
        first.setdefault(record.node, record)
    return first
