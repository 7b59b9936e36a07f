"""The ontology parses, passes its own SHACL shapes, and the shapes catch a lost label, definition or declaration."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from deepfake_kg.cli import app
from deepfake_kg.export import What, export_graph
from deepfake_kg.store import EmbeddedStore
from deepfake_kg.namespaces import DFK, ONTOLOGY_GRAPH, ONTOLOGY_IRI
from deepfake_kg.ontology_check import Problem, check_ontology, read_graph, violations
from deepfake_kg.paths import ontology_files


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return read_graph(ontology_files())


@pytest.fixture(scope="module")
def shipped_problems(ontology: Graph):
    return check_ontology(ontology)


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def declared_terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted({term for term in graph.subjects(RDF.type, kind) if isinstance(term, URIRef) and term.startswith(DFK)})


@pytest.mark.parametrize("path", ontology_files(), ids=lambda path: path.name)
def test_every_module_parses_and_names_itself(path):
    module = Graph().parse(path, format="turtle")
    ontologies = list(module.subjects(RDF.type, OWL.Ontology))
    assert ontologies, f"{path.name} declares no owl:Ontology"
    assert all(o == URIRef(ONTOLOGY_IRI) or (o, URIRef("http://purl.org/dc/terms/isPartOf"), URIRef(ONTOLOGY_IRI)) in module
               for o in ontologies), f"{path.name} has a module that is not part of the ontology"


def test_every_listed_module_exists(ontology):
    parts = set(ontology.objects(URIRef(ONTOLOGY_IRI), URIRef("http://purl.org/dc/terms/hasPart")))
    assert len(parts) >= 7
    assert parts <= set(ontology.subjects(RDF.type, OWL.Ontology))


def test_no_owl_imports_to_fetch(ontology):
    assert list(ontology.triples((None, OWL.imports, None))) == []


def test_shipped_ontology_has_no_shape_violation(shipped_problems):
    assert [str(problem) for problem in violations(shipped_problems)] == []


def test_core_modules_have_no_shape_warning(shipped_problems):
    own = {str(term) for path in ontology_files() if path.stem in {"core", "external-core", "acts", "actors", "biometrics", "law", "cases"}
           for term in Graph().parse(path).subjects()}
    assert [str(problem) for problem in shipped_problems if problem.focus in own] == []


# One broken copy carries every kind of damage; each must be reported on its own term.
BROKEN_LABEL = DFK.hasAct
BROKEN_DEFINITION = DFK.Provision
BROKEN_REFERENCE = DFK.NoSuchTerm
BROKEN_DOMAIN = DFK.hasHarm
BROKEN_CODE = DFK.Video
DUPLICATE_CODE = DFK.Audio
BROKEN_DECLARATION = DFK.Condition
PUNNED_PROPERTY = DFK.caseId


@pytest.fixture(scope="module")
def broken_problems(ontology: Graph) -> list[Problem]:
    broken = copy_of(ontology)
    broken.remove((BROKEN_LABEL, RDFS.label, None))
    broken.remove((BROKEN_DEFINITION, SKOS.definition, None))
    broken.add((DFK.Create, RDFS.seeAlso, BROKEN_REFERENCE))
    broken.remove((BROKEN_DOMAIN, RDFS.domain, None))
    broken.remove((BROKEN_CODE, DFK.code, None))
    broken.set((DUPLICATE_CODE, DFK.code, Literal("image")))
    broken.remove((BROKEN_DECLARATION, RDF.type, OWL.Class))
    broken.add((PUNNED_PROPERTY, RDF.type, OWL.ObjectProperty))
    return violations(check_ontology(broken))


@pytest.mark.parametrize(("term", "words"), [
    (BROKEN_LABEL, "English rdfs:label"),
    (BROKEN_DEFINITION, "no English skos:definition"),
    (BROKEN_REFERENCE, "used but not declared"),
    (BROKEN_DOMAIN, "no rdfs:domain"),
    (BROKEN_CODE, "exactly one dfk:code"),
    (DUPLICATE_CODE, "same dfk:code"),
    (BROKEN_DECLARATION, "used but not declared"),
    (PUNNED_PROPERTY, "two kinds of property"),
], ids=["label", "definition", "undeclared-term", "domain", "code", "duplicate-code", "declaration", "property-punning"])
def test_broken_copy_is_caught(broken_problems, term, words):
    assert any(str(term) in (problem.focus, problem.value) and words in problem.message for problem in broken_problems), \
        [str(problem) for problem in broken_problems]


def test_every_term_the_shipped_data_uses_is_declared():
    """The declaration shapes scan every graph a fresh store holds: ontology, knowledge base, curated cases."""
    store = EmbeddedStore(None)
    store.ensure_loaded()
    shipped = export_graph(store, What.all)
    assert len(shipped) > 1000
    assert [str(problem) for problem in violations(check_ontology(shipped))] == []


def test_every_class_and_property_is_labelled_and_defined_in_english(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = [term for kind in kinds for term in declared_terms(ontology, kind)]
    assert len(terms) > 100
    for term in terms:
        assert any(label.language == "en" for label in ontology.objects(term, RDFS.label)), term
        assert any(d.language == "en" for d in ontology.objects(term, SKOS.definition)), term


def test_voice_is_both_physiological_and_behavioural_and_the_two_are_not_disjoint(ontology):
    assert (DFK.VoiceBiometric, RDF.type, DFK.PhysiologicalBiometricCategory) in ontology
    assert (DFK.VoiceBiometric, RDF.type, DFK.BehaviouralBiometricCategory) in ontology
    disjoint_sets = [set(Graph.items(ontology, members)) for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
                     for members in ontology.objects(axiom, OWL.members)]
    assert not any({DFK.PhysiologicalBiometricCategory, DFK.BehaviouralBiometricCategory} <= s for s in disjoint_sets)
    assert (DFK.PhysiologicalBiometricCategory, OWL.disjointWith, DFK.BehaviouralBiometricCategory) not in ontology


def test_chinese_labels_sit_beside_english_ones(ontology):
    chinese = [(term, label) for term, label in ontology.subject_objects(RDFS.label) if label.language == "zh"]
    assert len(chinese) >= 20
    for term, _ in chinese:
        assert any(label.language == "en" for label in ontology.objects(term, RDFS.label)), term


def test_query_command_counts_the_ontology_classes(runner, tmp_path, ontology):
    sparql = ("PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT (COUNT(DISTINCT ?c) AS ?n) "
              f"WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c a owl:Class }} FILTER (isIRI(?c)) }}")
    result = runner.invoke(app, ["query", sparql, "--format", "json", "--data-dir", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"]
    expected = len({c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)})
    assert int(answer) == expected > 50
