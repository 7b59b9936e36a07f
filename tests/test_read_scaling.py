"""Reading RDF case records does work proportional to the records (counted, not timed), and the encodings agree."""

from __future__ import annotations

import sys
from collections import Counter
from types import FrameType

import pyoxigraph as ox
import pytest
from rdflib import BNode, URIRef

from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.namespaces import case_iri

PREFIXES = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
"""
FORMATS = {"ntriples": (".nt", ox.RdfFormat.N_TRIPLES), "rdfxml": (".rdf", ox.RdfFormat.RDF_XML)}


def turtle_record(n: int) -> str:
    """One record as a contributor writes it; every fifth under the contributor's own IRI, every seventh with a
    labelled blank node for its source, every eleventh with a case_id that mints no IRI."""
    subject = f"<http://example.org/contributor/r{n}>" if n % 5 == 0 else f"<{case_iri(f'scale-{n}')}>"
    case_id = f"scale {n}" if n % 11 == 0 else f"scale-{n}"
    source = f"_:source{n}" if n % 7 == 0 else f"<https://example.org/scale/{n}>"
    described = f'{source} dct:title "Source of record {n}" .\n' if n % 7 == 0 else ""
    return (f'{subject} a dfk:CaseRecord ; dfk:caseId "{case_id}" ; dct:title "Scaling record {n}, with a comma" ;\n'
            f'    dfk:hasAct dfk:Create, dfk:Disseminate ; dfk:hasMedium dfk:Video ; dfk:lossAmount {100 + n} ;\n'
            f'    dfk:hasJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/CN> ; dct:source {source} ;\n'
            f'    dfk:viewCount {n * 3} ; dfk:actDate "2023-05-01" .\n{described}')


def turtle(size: int) -> bytes:
    stray = '<http://example.org/contributor/loose> dct:title "a statement about no case" .\n'
    return (PREFIXES + "".join(turtle_record(n) for n in range(size)) + stray).encode()


def calls_while_reading(data: bytes, name: str) -> int:
    """The number of function calls (Python and built-in) that read_bytes makes: a count of work, not a time."""
    calls: Counter[str] = Counter()

    def count(frame: FrameType, event: str, arg: object) -> None:
        calls[event] += 1

    sys.setprofile(count)
    try:
        read_bytes(data, name)
    finally:
        sys.setprofile(None)
    return calls["call"] + calls["c_call"]


def encoded(size: int, format: str) -> tuple[bytes, str]:
    """Records as file content in one format (turtle or a key of FORMATS), with a file name for it."""
    if format == "turtle":
        return turtle(size), f"records-{size}.ttl"
    suffix, rdf_format = FORMATS[format]
    triples = ox.parse(turtle(size), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=rdf_format), f"records-{size}{suffix}"


@pytest.mark.parametrize("format", ["turtle", *FORMATS])
def test_reading_four_times_the_records_does_at_most_four_times_the_work(format):
    calls_while_reading(*encoded(10, format))  # first-use caches (context, regular expressions) out of the count
    small, large = calls_while_reading(*encoded(100, format)), calls_while_reading(*encoded(400, format))
    assert large <= 4.2 * small, f"100 records: {small} calls, 400 records: {large} calls (x{large / small:.1f})"


def records(data: bytes, name: str) -> list[tuple]:
    batch = read_bytes(data, name)
    return ([(record.node, record.case_id, record.place.label, sorted(record.triples)) for record in batch.records]
            + [(problem.place, problem.message) for problem in batch.problems])


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_a_big_turtle_file_reads_as_the_same_records_as_its_triples_in_another_encoding(format):
    from_turtle = records(*encoded(3000, "turtle"))
    assert from_turtle == records(*encoded(3000, format))
    assert len(from_turtle) == 3000 + 1  # every record, and the stray statement as one problem
    minted = [URIRef(case_iri(f"scale-{n}")) if n % 11 or n % 5 else URIRef(f"http://example.org/contributor/r{n}")
              for n in range(3000)]  # a case_id that mints no IRI leaves the node as written
    assert [node for node, *_ in from_turtle[:3000]] == minted


def test_a_node_is_renamed_only_by_its_own_one_valid_case_id():
    data = (PREFIXES + '<urn:x:a> a dfk:CaseRecord ; dfk:caseId "one-a" .\n'
            '<urn:x:b> a dfk:CaseRecord ; dfk:caseId "one-b", "two-b" .\n'
            '_:c a dfk:CaseRecord ; dfk:caseId "not valid" .\n'
            '<urn:x:d> dfk:caseId "one-d" ; dct:relation <urn:x:a> .\n').encode()
    batch = read_bytes(data, "ids.ttl")
    assert [(record.node, record.place.label) for record in batch.records] == [
        (URIRef(case_iri("one-a")), "<urn:x:a>"), (URIRef("urn:x:b"), "<urn:x:b>"), (BNode("c"), "_:c"),
        (URIRef(case_iri("one-d")), "<urn:x:d>")]
    assert (URIRef(case_iri("one-d")), URIRef("http://purl.org/dc/terms/relation"), URIRef(case_iri("one-a"))) \
        in batch.records[3].triples
