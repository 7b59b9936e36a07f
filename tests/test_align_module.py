"""The alignment module: SSSOM table generated from it, external terms declared offline, honest
strengths, OWL 2 DL property kinds, and HermiT (deepfake_kg.reasoning) still finding the ontology
consistent, with no unsatisfiable class, when it is loaded."""

from __future__ import annotations

import logging

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from deepfake_kg.alignments import (
    ALIGNMENT_MODULE,
    MAPPING_PREDICATES,
    SSSOM_FILE,
    generated_sssom,
    is_mapping,
    module_graph,
    ontology_graph,
    sssom_rows,
)
from deepfake_kg.paths import ONTOLOGY_DIR
from deepfake_kg.reasoning import reason

DFK = "https://w3id.org/deepfake-kg/ontology/"
EXTERNAL_MODULE = ONTOLOGY_DIR / "external.ttl"
DEEPFAKE_GENERATION = URIRef("https://w3id.org/dpv/legal/eu/aiact#DeepFakeGeneration")
STABLE_FOR_OWL_AXIOMS = ("http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def module() -> Graph:
    return module_graph()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


def mapping_triples(graph: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    return [(s, p, o) for p in MAPPING_PREDICATES for s, o in graph.subject_objects(p) if is_mapping(s, o)]


def test_committed_sssom_table_is_what_the_module_generates():
    assert SSSOM_FILE.read_text(encoding="utf-8") == generated_sssom(), \
        "ontology/deepfake-kg.sssom.tsv is stale: run `python -m deepfake_kg.alignments`"


def test_sssom_table_has_one_row_per_mapping_triple(module, ontology):
    rows = sssom_rows(module, ontology)
    assert len(rows) == len(set(mapping_triples(module))) > 50
    assert all(row.mapping_justification == "semapv:ManualMappingCuration" for row in rows)
    assert all(row.subject_label for row in rows if row.subject_id.startswith("dfk:"))
    assert all(row.object_label for row in rows)


def test_sssom_py_parses_and_validates_the_table(caplog, module):
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    with caplog.at_level(logging.WARNING):
        mapping_set = parse_sssom_table(str(SSSOM_FILE))
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert len(mapping_set.df) == len(sssom_rows(module))
    assert mapping_set.metadata["mapping_set_version"] == str(module.value(URIRef(DFK[:-1] + "/module/alignments"), OWL.versionInfo))
    reports = validate(mapping_set, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness],
                       fail_on_error=False)
    assert all(report.results == [] for report in reports.values()), reports


def test_every_mapped_deepfake_kg_term_exists_in_the_core_modules(module):
    core = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path not in (ALIGNMENT_MODULE, EXTERNAL_MODULE):
            core.parse(path, format="turtle")
    subjects = {s for s, _, _ in mapping_triples(module) if str(s).startswith(DFK)}
    missing = sorted(str(s) for s in subjects if (s, RDFS.label, None) not in core)
    assert missing == []


def test_every_external_term_is_declared_offline_with_label_and_defining_vocabulary(module, ontology):
    targets = {o for _, _, o in mapping_triples(module)}
    undeclared = sorted(str(t) for t in targets
                        if (t, RDF.type, None) not in ontology or (t, RDFS.label, None) not in ontology
                        or (t, RDFS.isDefinedBy, None) not in ontology)
    assert undeclared == []
    external = Graph().parse(EXTERNAL_MODULE, format="turtle")
    assert list(module.objects(None, OWL.imports)) == [] and list(external.objects(None, OWL.imports)) == []


def test_no_iri_is_declared_with_two_property_kinds(ontology):
    kinds = (OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty)
    clashes = sorted(str(term) for term in set(ontology.subjects(RDF.type, None))
                     if sum((term, RDF.type, kind) in ontology for kind in kinds) > 1)
    assert clashes == []


def test_owl_axioms_only_to_stable_vocabularies_and_lkif_only_close_matches(module):
    for subject, predicate, target in mapping_triples(module):
        if predicate in (RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty):
            assert str(target).startswith(STABLE_FOR_OWL_AXIOMS), (subject, predicate, target)
        if "lkif-core" in str(target):
            assert predicate == SKOS.closeMatch, (subject, predicate, target)


def test_deep_fake_generation_is_matched_with_a_comment_and_its_dpv_placement_not_copied(module, ontology):
    matched = [s for s, p, o in mapping_triples(module) if o == DEEPFAKE_GENERATION]
    assert len(matched) >= 5
    for subject in matched:
        comments = [c for axiom in module.subjects(OWL.annotatedSource, subject)
                    if (axiom, OWL.annotatedTarget, DEEPFAKE_GENERATION) in module
                    for c in module.objects(axiom, RDFS.comment)]
        assert any("BiometricIdentification" in str(c) for c in comments), subject
    assert list(ontology.objects(DEEPFAKE_GENERATION, SKOS.broader)) == []
    assert list(ontology.objects(DEEPFAKE_GENERATION, RDFS.subClassOf)) == []


def test_biometric_categories_without_a_dpv_term_sit_under_pd_biometric(module):
    biometric = URIRef("https://w3id.org/dpv/pd#Biometric")
    for name in ("VoiceBiometric", "GaitBiometric", "IrisBiometric", "KeystrokeBiometric"):
        assert (URIRef(DFK + name), SKOS.broadMatch, biometric) in module
    assert (URIRef(DFK + "FacialBiometric"), SKOS.closeMatch, URIRef("https://w3id.org/dpv/pd#FacialPrint")) in module


def test_hermit_finds_the_ontology_with_alignments_consistent_and_every_class_satisfiable(ontology):
    assert (None, OWL.annotatedSource, None) in ontology  # the alignment module is part of what is reasoned over
    assert (URIRef(DFK + "CaseRecord"), RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology
    result = reason(ontology)
    assert result.consistent and result.unsatisfiable == [], result
