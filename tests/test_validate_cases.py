"""Validation of contributed case records: every encoding, every kind of violation, reported at its place."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from deepfake_kg.cli import app
from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.read import read_file
from deepfake_kg.loaders.records import node_object, normalise, record_node
from deepfake_kg.paths import ONTOLOGY_DIR, SHAPES_DIR

CASES = Path(__file__).parent / "data" / "cases"
ENCODINGS = ["valid.csv", "valid.json", "valid.jsonld", "valid.ttl", "valid.nt", "valid.rdf"]



def graph_of(name: str) -> Graph:
    graph = Graph()
    for triple in read_file(CASES / name).triples():
        graph.add(triple)
    return graph


@pytest.mark.parametrize("name", ENCODINGS)
def test_each_encoding_validates(runner, kb_dir, name):
    result = runner.invoke(app, ["validate", str(CASES / name), "--data-dir", str(kb_dir)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 2 warnings: valid" in result.output


@pytest.mark.parametrize("name", ENCODINGS[1:])
def test_each_encoding_gives_the_same_facts(name):
    assert isomorphic(graph_of(name), graph_of("valid.csv"))


def test_csv_and_json_rows_expand_as_the_jsonld_processor_does():
    """The cached expansion of rows equals a full pyld run of the same node objects through the context."""
    items = json.loads((CASES / "valid.json").read_text(), parse_float=Decimal)["cases"]
    objects = []
    for index, item in enumerate(items):
        node = record_node(item["case_id"], index)
        objects.append(node_object({key: normalise(key, value) for key, value in item.items()}, node))
    quads = jsonld.to_rdf({"@context": ctx.context(), "@graph": objects}, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=quads, format="nt"), graph_of("valid.json"))


def test_context_maps_every_code_of_the_ontology():
    """Each code-list field's scoped context lists exactly the dfk:code values of its range class."""
    ontology = Graph()
    for path in ONTOLOGY_DIR.glob("*.ttl"):
        ontology.parse(path)
    for field in ctx.fields():
        if not ctx.codes(field):
            continue
        prop = ctx.plan(field)[0]
        range_class = ontology.value(iri(prop), iri("http://www.w3.org/2000/01/rdf-schema#range"))
        rows = ontology.query("""SELECT ?code ?value WHERE { ?value a/rdfs:subClassOf* ?class ; dfk:code ?code }""",
                              initNs={"dfk": "https://w3id.org/deepfake-kg/ontology/",
                                      "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
                              initBindings={"class": range_class})
        expected = {str(code): str(value) for code, value in rows}
        assert {code: ctx.expand_code(field, code) for code in ctx.codes(field)} == expected, field


def iri(text: str) -> URIRef:
    return URIRef(text)


def test_closed_shape_lists_every_property_shape_path():
    shapes = Graph().parse(SHAPES_DIR / "cases.ttl")
    case_record = iri("https://w3id.org/deepfake-kg/ontology/CaseRecord")
    node = next(s for s in shapes.subjects(SH.closed, None) if shapes.value(s, SH.targetClass) == case_record)
    ignored = set(shapes.items(shapes.value(node, SH.ignoredProperties)))
    targeted = {shapes.value(shape, SH.path) for shape in shapes.subjects(SH.targetClass, case_record)
                if shapes.value(shape, SH.path) is not None}
    assert ignored - {iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")} == targeted


def problems(runner, kb_dir, name) -> list[dict]:
    result = runner.invoke(app, ["validate", str(CASES / name), "--format", "json", "--data-dir", str(kb_dir)])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["problems"]


CSV_VIOLATIONS = [
    ("row 2, column B (title)", "title is missing"),
    ("row 3, column E (acts)", "'teleport' is not a known code for acts"),
    ("row 4, column I (views)", "'many' is not a whole number"),
    ("row 5, column L (loss_currency)", "loss_amount is given without loss_currency"),
    ("row 6, column N (decision_date)", "decision_date 2023-04 is before act_date 2023-05-01"),
    ("row 7, column O (provisions_applied)", "test-no-such-provision, which is not a provision in the knowledge base"),
    ("row 8, column O (provisions_applied)", "test-offence-cn, which is not law of the case's jurisdiction DE"),
    ("row 9, column O (provisions_applied)", "test-expired-cn, which was neither in force nor adopted on act_date 2020-01-01"),
    ("row 10, column A (case_id)", "'bad id!' is not a valid case_id"),
    ("row 11, column C (jurisdiction)", "'cn' is not a valid jurisdiction"),
    ("row 12, column D (act_date)", "'2023-13-01' is not a valid act_date"),
    ("row 13, column J (victims)", "0 is too small for victims"),
    ("row 14, column L (loss_currency)", "'usd' is not a valid loss_currency"),
    ("row 14, column B (title)", "title has more than one value"),
    ("row 15, column A (case_id)", "case_id 'bad-currency' appears more than once: row 14, row 15"),
    ("row 16, column M (subject_consent)", "'yes;no' is not a known code for subject_consent"),
    ("row 17, column P (aiid_incident)", "'abc' is not a valid aiid_incident"),
    ("row 18, column G (data_source)", "data_source is missing"),
    ("row 19, column O (provisions_applied)", "test-proposed-cn, which was neither in force nor adopted"),
    ("row 22, column O (provisions_applied)", "test-offence-cn, which was neither in force nor adopted on act_date 2015-06-01"),
]


def test_each_violation_is_reported_at_its_csv_row_and_column(runner, kb_dir):
    found = [(p["place"], p["message"]) for p in problems(runner, kb_dir, "violations.csv") if p["severity"] == "violation"]
    for place, message in CSV_VIOLATIONS:
        assert any(where == place and message in text for where, text in found), (place, message, found)
    assert not any(where.startswith(("row 20,", "row 21,", "row 23,")) for where, _ in found), "valid records were rejected"
    assert not any("too small for views" in text for _, text in found), "a non-number is reported once"


def test_json_violations_are_reported_by_json_pointer(runner, kb_dir):
    found = problems(runner, kb_dir, "violations.json")
    assert [(p["place"], p["value"]) for p in found] == [("/1/media", "hologram"), ("/1/views", "-5")]
    assert "one of: audio, image, live_audio_call, live_video_call, video" in found[0]["expected"]


def test_jsonld_unknown_code_is_reported_not_dropped(runner, kb_dir):
    found = problems(runner, kb_dir, "violations.jsonld")
    assert [(p["place"], p["value"]) for p in found] == [("/@graph/0/techniques", "face swap")]


def test_rdf_violations_are_reported_by_focus_node_and_path(runner, kb_dir):
    found = {(p["place"], p["path"]) for p in problems(runner, kb_dir, "violations.ttl")}
    assert ("<http://example.org/contributor/rdf-case> title", "http://purl.org/dc/terms/title") in found
    assert ("<http://example.org/contributor/rdf-case>", "https://w3id.org/deepfake-kg/ontology/hasMedia") in found
    assert any(place == "<http://example.org/contributor/loose>" for place, _ in found)


def test_turtle_report_is_a_standard_shacl_report(runner, kb_dir):
    result = runner.invoke(app, ["validate", str(CASES / "violations.json"), "--format", "ttl", "--data-dir", str(kb_dir)])
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    node = next(report.subjects(SH.conforms, None))
    assert report.value(node, SH.conforms).toPython() is False
    assert len(list(report.objects(node, SH.result))) == 2
    rdf = runner.invoke(app, ["validate", str(CASES / "violations.ttl"), "--format", "ttl", "--data-dir", str(kb_dir)])
    stray = Graph().parse(data=rdf.stdout, format="turtle")
    assert (None, SH.focusNode, URIRef("http://example.org/contributor/loose")) in stray


def test_warnings_do_not_block(runner, kb_dir):
    result = runner.invoke(app, ["validate", str(CASES / "valid.csv"), "--format", "json", "--data-dir", str(kb_dir)])
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["conforms"] is True
    assert {p["severity"] for p in report["problems"]} == {"warning"}
    assert {p["place"] for p in report["problems"]} == {"row 3, column H (source)", "row 4, column D (act_date)"}


def test_a_backslash_in_a_date_is_reported_not_raised(runner, kb_dir, tmp_path):
    """pyshacl writes the values a SPARQL constraint binds into its message through re.sub, which a backslash breaks."""
    path = tmp_path / "dates.csv"
    path.write_text("case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,decision_date\n"
                    "bad-date-escape,T,CN,2023-05-01,create,facial,public_online,https://example.org/t,1\\A\n")
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--data-dir", str(kb_dir)])
    assert result.exit_code == 1, result.output
    assert [(p["place"], p["value"]) for p in json.loads(result.stdout)["problems"]] == [
        ("row 2, column I (decision_date)", "1\\A")]
