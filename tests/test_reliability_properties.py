"""Property tests: generated valid case records validate, load and read back to the same facts in CSV, JSON,
JSON-LD and Turtle; each kind of mutation into an invalid record is rejected at its place and stores nothing.

The code lists come from loaders/context.jsonld (through deepfake_kg.loaders.context), never re-typed here.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from deepfake_kg.cli import app as cli
from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.load import load_batches
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.records import Expander, node_object, normalise, record_node
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.namespaces import case_graph, case_iri
from deepfake_kg.paths import KB_DIR
from deepfake_kg.store import EmbeddedStore

VALID_EXAMPLES = 20
INVALID_EXAMPLES = 20
ENCODINGS = ("csv", "json", "jsonld", "ttl")
NUMBERS = {"views", "reposts", "victims"}
UNKNOWN_CODES = {"unknown", "none"}
DFK = "https://w3id.org/deepfake-kg/ontology/"
_serial = itertools.count()


def jurisdiction_codes() -> list[str]:
    """Jurisdiction codes of the shipped knowledge base (kb/jurisdictions.ttl)."""
    quads = ox.parse(path=str(KB_DIR / "jurisdictions.ttl"), format=ox.RdfFormat.TURTLE)
    return sorted({quad.object.value for quad in quads if quad.predicate.value == DFK + "jurisdictionCode"})


JURISDICTIONS = jurisdiction_codes()
CODE_FIELDS = [name for name in ctx.fields() if ctx.codes(name)]
plain_text = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs"), include_characters=",.'\"()-:é中"),
                     min_size=1, max_size=30).map(str.strip).filter(bool)
list_text = plain_text.filter(lambda text: ";" not in text)


def codes_of(name: str) -> st.SearchStrategy:
    """One code, or for a multi-valued field a set of codes ('unknown'/'none' only alone)."""
    codes = ctx.codes(name)
    if not ctx.is_multi(name):
        return st.sampled_from(codes)
    regular = [code for code in codes if code not in UNKNOWN_CODES]
    alone = [[code] for code in codes if code in UNKNOWN_CODES]
    return st.one_of(st.lists(st.sampled_from(regular), min_size=1, max_size=3, unique=True), *(st.just(a) for a in alone))


@st.composite
def valid_records(draw) -> dict:
    """A case record of case-records.md that the shapes accept (the case_id is set per encoding)."""
    act = draw(st.dates(date(2000, 1, 1), date(2025, 12, 31)))
    precision = draw(st.sampled_from([10, 7]))
    record = {
        "title": draw(plain_text),
        "jurisdiction": draw(st.sampled_from(JURISDICTIONS)),
        "act_date": act.isoformat()[:precision],
        "acts": draw(codes_of("acts")),
        "biometric_data": draw(codes_of("biometric_data")),
        "data_source": draw(codes_of("data_source")),
        "source": draw(st.lists(st.one_of(st.builds("https://example.org/{}".format, st.integers(1, 10**6)), list_text),
                                min_size=1, max_size=2, unique=True)),
    }
    for name in CODE_FIELDS:
        if name not in record and draw(st.booleans()):
            record[name] = draw(codes_of(name))
    for name, low in (("views", 0), ("reposts", 0), ("victims", 1)):
        if draw(st.booleans()):
            record[name] = draw(st.integers(low, 10**9))
    if draw(st.booleans()):
        record["loss_amount"] = draw(st.decimals(0, 10**7, places=2, allow_nan=False, allow_infinity=False))
        record["loss_currency"] = draw(st.sampled_from(["USD", "EUR", "CNY", "KRW", "GBP"]))
    if draw(st.booleans()):
        record["decision_date"] = (act + timedelta(days=draw(st.integers(0, 2000)))).isoformat()
    for name in ("authority", "reference", "summary"):
        if draw(st.booleans()):
            record[name] = draw(plain_text)
    for name in ("platforms", "notes"):
        if draw(st.booleans()):
            record[name] = draw(st.lists(list_text, min_size=1, max_size=2, unique=True))
    if draw(st.booleans()):
        record["aiid_incident"] = draw(st.integers(1, 5000))
    return record


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def write(record: dict, encoding: str) -> bytes:
    """The record as a contributor would write it in `encoding` (Turtle: through the project's context mapping)."""
    if encoding == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(record)
        writer.writerow([";".join(str(item) for item in as_list(value)) for value in record.values()])
        return buffer.getvalue().encode()
    plain = {key: (float(value) if isinstance(value, Decimal) else value) for key, value in record.items()}
    if encoding == "json":
        return json.dumps({"cases": [plain]}, ensure_ascii=False).encode()
    if encoding == "jsonld":
        return json.dumps({"@context": ctx.CONTEXT_IRI, "@graph": [plain]}, ensure_ascii=False).encode()
    node = record_node(record["case_id"], 0)
    values = {key: normalise(key, value) for key, value in record.items()}
    graph = Graph()
    for triple in Expander().triples(node_object(values, node), node):
        graph.add(triple)
    return graph.serialize(format="turtle").encode()


def expected_facts(record: dict) -> dict[str, frozenset]:
    """field -> the values a reader should find, compared by value (numbers as numbers)."""
    facts = {}
    for name, value in record.items():
        if name == "case_id":
            continue
        items = as_list(value)
        if name in NUMBERS or name == "loss_amount":
            items = [Decimal(str(item)) for item in items]
        facts[name] = frozenset(str(item) if not isinstance(item, Decimal) else item for item in items)
    return facts


def code_names() -> dict[str, str]:
    """Code IRI -> code string, per the context's expansion."""
    return {ctx.expand_code(name, code): code for name in CODE_FIELDS for code in ctx.codes(name)}


CODE_NAMES = code_names()
FIELD_OF = ctx.field_by_property()


def facts_read_back(store: EmbeddedStore, case_id: str) -> dict[str, frozenset]:
    """The stored case, back in field names and codes."""
    rows = store.select(f"SELECT ?p ?o WHERE {{ GRAPH <{case_graph(case_id)}> {{ <{case_iri(case_id)}> ?p ?o }} }}")
    facts: dict[str, set] = {}
    for row in rows:
        name = FIELD_OF.get(str(row["p"]))
        if name is None or name == "case_id":
            continue
        value = row["o"]
        if name == "jurisdiction":
            value = str(value).rsplit("/", 1)[1]
        elif name == "aiid_incident":
            value = str(value).rsplit("/", 1)[1]
        elif isinstance(value, URIRef) and str(value) in CODE_NAMES:
            value = CODE_NAMES[str(value)]
        elif isinstance(value, Literal) and (name in NUMBERS or name == "loss_amount"):
            value = Decimal(str(value))
        else:
            value = str(value)
        facts.setdefault(name, set()).add(value)
    return {name: frozenset(values) for name, values in facts.items()}


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("properties") / "store"
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    store.close()
    return folder


@pytest.fixture(scope="module")
def store(kb_dir) -> EmbeddedStore:
    opened = EmbeddedStore(kb_dir)
    yield opened
    opened.close()


@settings(max_examples=VALID_EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                              HealthCheck.too_slow])
@given(record=valid_records())
def test_valid_records_load_and_read_back_the_same_in_every_encoding(store, record):
    serial = next(_serial)
    batches, ids = [], {}
    for encoding in ENCODINGS:
        case_id = f"prop-{serial}-{encoding}"
        ids[encoding] = case_id
        data = write({"case_id": case_id, **record}, encoding)
        batches.append(read_bytes(data, f"records.{encoding}"))
    report = validate_batches(batches, store, workers=1)
    assert report.conforms, [problem.message for problem in report.problems if problem.blocking]
    written = load_batches(report, store, submitter="hypothesis")
    assert sorted(written) == sorted(case_graph(case_id) for case_id in ids.values())
    expected = expected_facts({"case_id": "", **record})
    for encoding, case_id in ids.items():
        assert facts_read_back(store, case_id) == expected, encoding


MUTATIONS = {
    "bad code": lambda record: {**record, "acts": ["teleport"]},
    "bad date": lambda record: {**record, "act_date": "2024-13-45"},
    "missing required field": lambda record: {key: value for key, value in record.items() if key != "biometric_data"},
    "amount without currency": lambda record: {**{k: v for k, v in record.items() if k != "loss_currency"},
                                               "loss_amount": Decimal("125.50")},
    "decision before act": lambda record: {**record, "act_date": "2024-06-01", "decision_date": "2023-01-01"},
}
MUTATION_FIELD = {"bad code": "acts", "bad date": "act_date", "missing required field": "biometric_data",
                  "amount without currency": "loss_currency", "decision before act": "decision_date"}
PLACE = {"csv": "row 2", "json": "/cases/0", "jsonld": "/@graph/0", "ttl": "<https://w3id.org/deepfake-kg/id/case/"}


@settings(max_examples=INVALID_EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                HealthCheck.too_slow])
@given(record=valid_records(), mutation=st.sampled_from(sorted(MUTATIONS)), encoding=st.sampled_from(ENCODINGS))
def test_mutated_records_are_rejected_at_their_place_and_store_nothing(store, record, mutation, encoding):
    case_id = f"bad-{next(_serial)}"
    data = write({"case_id": case_id, **MUTATIONS[mutation](record)}, encoding)
    before = store.dump()
    report = validate_batches([read_bytes(data, f"records.{encoding}")], store, workers=1)
    assert not report.conforms
    located = [p for p in report.problems if p.blocking and p.field == MUTATION_FIELD[mutation]]
    assert located, [(p.field, p.message) for p in report.problems]
    assert all(PLACE[encoding] in p.place for p in located), [p.place for p in located]
    with pytest.raises(Exception, match="nothing was stored"):
        load_batches(report, store)
    assert store.dump() == before


@pytest.fixture(scope="module")
def cli_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("properties-cli") / "store"
    EmbeddedStore(folder).ensure_loaded()
    return folder


def dump_of(folder: Path) -> bytes:
    opened = EmbeddedStore(folder, read_only=True)
    try:
        return opened.dump()
    finally:
        opened.close()


@settings(max_examples=3, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=valid_records(), mutation=st.sampled_from(sorted(MUTATIONS)))
def test_a_mutated_file_through_the_cli_exits_1_and_leaves_the_store_as_it_was(runner, cli_dir, tmp_path, record, mutation):
    """The same rejection through `deepfake-kg load`, with the store compared quad for quad."""
    path = tmp_path / "bad.csv"
    path.write_bytes(write({"case_id": f"bad-cli-{next(_serial)}", **MUTATIONS[mutation](record)}, "csv"))
    before = dump_of(cli_dir)
    result = runner.invoke(cli, ["load", str(path), "--data-dir", str(cli_dir)])
    assert result.exit_code == 1, result.output
    assert MUTATION_FIELD[mutation] in result.output and "row 2" in result.output
    assert "nothing was loaded" in result.stderr
    assert dump_of(cli_dir) == before
