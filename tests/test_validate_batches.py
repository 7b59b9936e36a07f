"""Big runs: the shapes' SPARQL is parsed once however many records are checked, and chunks on several cores report
exactly what one call reports."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace

from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.report import as_json
from deepfake_kg.loaders.sparql_cache import prepared
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.store import EmbeddedStore

HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,decision_date,provisions_applied\n"
# Every fifth record breaks a rule checked by SPARQL (decision before act); every seventh cites an unknown provision.
ROW = "big-{n},Generated record {n},CN,2024-0{month}-1{day},create,facial,public_online,https://example.org/{n},{decided},{cited}\n"


def big_csv(count: int) -> bytes:
    rows = [ROW.format(n=n, month=1 + n % 9, day=n % 10, decided="2023-01-01" if n % 5 == 0 else "2025-01-01",
                       cited="no-such-provision" if n % 7 == 0 else "test-offence-cn") for n in range(count)]
    return (HEADER + "".join(rows)).encode()


def test_shape_queries_are_parsed_once_for_any_number_of_records(kb_dir):
    store = EmbeddedStore(kb_dir, read_only=True)
    try:
        validate_batches([read_bytes(big_csv(40), "small.csv")], store, workers=1)
        parsed = prepared.cache_info().misses
        report = validate_batches([read_bytes(big_csv(400), "bigger.csv")], store, workers=1)
    finally:
        store.close()
    assert prepared.cache_info().misses == parsed
    decided = [p for p in report.problems if p.message.startswith("decision_date 2023-01-01 is before act_date")]
    assert len(decided) == 80 and decided[0].place == "row 2, column I (decision_date)"


def test_a_cached_query_still_honours_its_bindings_and_prefixes():
    ex = Namespace("urn:x:")
    graph = Graph()
    graph.add((ex.a, ex.p, Literal("1")))
    graph.add((ex.b, ex.p, Literal("2")))
    query = "SELECT ?o WHERE { ?s x:p ?o }"
    for subject, expected in ((ex.a, "1"), (ex.b, "2")):
        rows = graph.query(query, initNs={"x": ex}, initBindings={"s": subject})
        assert [str(row.o) for row in rows] == [expected]
    assert list(graph.query(query, initNs={"x": Namespace("urn:y:")})) == []


def test_chunks_on_two_cores_report_what_one_call_reports(kb_dir):
    store = EmbeddedStore(kb_dir, read_only=True)
    try:
        batch = read_bytes(big_csv(2100), "big.csv")
        parallel = validate_batches([batch], store, workers=2)
        single = validate_batches([batch], store, workers=1, chunk_size=len(batch.records))
    finally:
        store.close()
    assert not parallel.conforms and as_json(parallel) == as_json(single)
    assert len(parallel.problems) == 420 + 300  # 2100 / 5 dates before the act, 2100 / 7 unknown provisions


def test_a_decision_dated_to_the_act_period_is_not_before_it(kb_dir):
    rows = [("same-year", "2024", "2024-05-01"), ("same-month", "2024-05", "2024-05-20"), ("month-before", "2024-04", "2024-05"),
            ("year-before", "2023", "2024-05-20"), ("day-before", "2024-05-19", "2024-05-20")]
    body = HEADER + "".join(f"{case},Decision date test,CN,{acted},create,facial,public_online,https://example.org/{case},"
                            f"{decided},\n" for case, decided, acted in rows)
    store = EmbeddedStore(kb_dir, read_only=True)
    try:
        report = validate_batches([read_bytes(body.encode(), "dates.csv")], store, workers=1)
    finally:
        store.close()
    before = [(p.place, p.message) for p in report.problems if p.field == "decision_date"]
    assert before == [("row 4, column I (decision_date)", "decision_date 2024-04 is before act_date 2024-05"),
                      ("row 5, column I (decision_date)", "decision_date 2023 is before act_date 2024-05-20"),
                      ("row 6, column I (decision_date)", "decision_date 2024-05-19 is before act_date 2024-05-20")]
