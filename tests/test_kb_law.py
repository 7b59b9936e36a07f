"""The law knowledge base against its SHACL shapes (shapes/law.ttl), and broken copies that must fail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from deepfake_kg.paths import SHAPES_DIR, kb_files, ontology_files

DFK = Namespace("https://w3id.org/deepfake-kg/ontology/")
ID = "https://w3id.org/deepfake-kg/id/"
SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def provision(slug: str) -> URIRef:
    return URIRef(f"{ID}provision/{slug}")


def instrument(slug: str) -> URIRef:
    return URIRef(f"{ID}instrument/{slug}")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_DIR / "law.ttl", format="turtle")


@pytest.fixture(scope="module")
def knowledge_base() -> Graph:
    graph = Graph()
    for path in ontology_files() + kb_files():
        graph.parse(path, format="turtle")
    return graph


def violations(data: Graph, shapes: Graph) -> set[tuple[str, str | None, str | None]]:
    """(focus node, result path, value) of every violation pyshacl reports."""
    conforms, report, _ = validate(data, shacl_graph=shapes, advanced=True)
    results = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        results.add((str(focus), str(path) if path else None, str(value) if value is not None else None))
    assert conforms == (not results)
    return results


def condition_of(graph: Graph, version: URIRef, field: URIRef) -> URIRef:
    """The (blank-node) condition of a version's element that tests `field`."""
    for element in graph.objects(version, DFK.hasElement):
        for condition in graph.objects(element, DFK.hasCondition):
            if (condition, DFK.onField, field) in graph:
                return condition
    raise LookupError(f"{version} has no condition on {field}")


def test_the_law_knowledge_base_conforms_to_its_shapes(knowledge_base: Graph, shapes: Graph) -> None:
    assert violations(knowledge_base, shapes) == set()


def test_the_shapes_reach_every_kind_of_law_resource(knowledge_base: Graph) -> None:
    for kind in (DFK.Jurisdiction, DFK.Provision, DFK.ProvisionVersion, DFK.Element, DFK.Condition):
        kinds = set(knowledge_base.transitive_subjects(RDFS.subClassOf, kind))
        members = {subject for each in kinds for subject in knowledge_base.subjects(RDF.type, each)}
        assert len(members) > 10, kind


BREAKS: dict[str, Callable[[Graph], tuple[str, str | None, str | None]]] = {}


def breaks(name: str):
    def register(function):
        BREAKS[name] = function
        return function
    return register


@breaks("version without status")
def _no_status(graph: Graph):
    version = provision("cn-criminal-law-art-246/v/2013-09-10")
    graph.remove((version, DFK.hasStatus, None))
    return str(version), str(DFK.hasStatus), None


@breaks("version without sanction kind")
def _no_sanction(graph: Graph):
    version = provision("gb-soa-2003-s66b/v/2024-01-31")
    graph.remove((version, DFK.hasSanctionKind, None))
    return str(version), str(DFK.hasSanctionKind), None


@breaks("version without source")
def _no_source(graph: Graph):
    version = provision("eu-ai-act-art-50-4/v/2026-08-02")
    graph.remove((version, DCTERMS.source, None))
    return str(version), str(DCTERMS.source), None


@breaks("version ends before it starts")
def _ends_before_start(graph: Graph):
    version = provision("kr-sexual-crimes-act-art-14-2/v/2020-06-25")
    graph.set((version, DFK.validUntil, Literal("2019-01-01", datatype=XSD_DATE)))
    return str(version), str(DFK.validFrom), "2020-06-25"


@breaks("instrument in force before adoption")
def _in_force_before_adoption(graph: Graph):
    pipl = instrument("cn-pipl")
    graph.set((pipl, DFK.adoptedOn, Literal("2022-01-01", datatype=XSD_DATE)))
    return str(pipl), str(DFK.adoptedOn), "2022-01-01"


@breaks("condition with neither accepted values nor minimum")
def _empty_condition(graph: Graph):
    condition = condition_of(graph, provision("cn-criminal-law-art-286-1/v/2015-11-01"), DFK.hasPlatformNotice)
    graph.remove((condition, DFK.acceptsValue, None))
    return str(condition), None, None


@breaks("provision with no jurisdiction anywhere")
def _no_jurisdiction(graph: Graph):
    section = provision("hk-theft-ordinance-s17")
    for subject in (section, instrument("hk-theft-ordinance"), provision("hk-theft-ordinance-s17/v/1970-09-01")):
        graph.remove((subject, DFK.hasJurisdiction, None))
    return str(DFK.Provision), None, str(section)


@breaks("no sanction mixed with a sanction")
def _mixed_sanction(graph: Graph):
    version = provision("cn-audio-video-regulations-art-11/v/2020-01-01")
    graph.add((version, DFK.hasSanctionKind, DFK.CriminalSanction))
    return str(DFK.ProvisionVersion), None, str(version)


@breaks("proposal given a validity date")
def _dated_proposal(graph: Graph):
    version = provision("cn-proposal-biometric-identity-offence/v/proposed")
    graph.add((version, DFK.validFrom, Literal("2027-01-01", datatype=XSD_DATE)))
    return str(DFK.ProvisionVersion), None, str(version)


@breaks("in-force version without start")
def _undated_in_force(graph: Graph):
    version = provision("cn-criminal-law-art-363/v/1997-10-01")
    graph.remove((version, DFK.validFrom, None))
    return str(DFK.ProvisionVersion), None, str(version)


@breaks("overlapping versions")
def _overlap(graph: Graph):
    version = provision("cn-criminal-law-art-246/v/1997-10-01")
    graph.set((version, DFK.validUntil, Literal("2014-01-01", datatype=XSD_DATE)))
    return str(DFK.ProvisionVersion), None, str(version)


@breaks("accepted value outside the field's range")
def _out_of_range(graph: Graph):
    condition = condition_of(graph, provision("cn-criminal-law-art-363/v/1997-10-01"), DFK.hasContentType)
    graph.add((condition, DFK.acceptsValue, DFK.Disseminate))
    return str(DFK.Condition), None, str(condition)


@breaks("version not listed by its provision")
def _unlisted(graph: Graph):
    version = provision("us-il-bipa-sec-15-b/v/2008-10-03")
    graph.remove((provision("us-il-bipa-sec-15-b"), DFK.hasVersion, version))
    return str(DFK.ProvisionVersion), None, str(version)


@breaks("removal duty without trigger")
def _removal_without_trigger(graph: Graph):
    version = provision("us-take-it-down-act-platform-removal/v/2026-05-19")
    for element in list(graph.objects(version, DFK.hasElement)):
        if (element, RDF.type, DFK.TriggerElement) in graph:
            graph.remove((version, DFK.hasElement, element))
    return str(DFK.RemovalElement), None, str(version)


@breaks("version starts before its instrument")
def _before_instrument(graph: Graph):
    version = provision("cn-pipl-art-29/v/2021-11-01")
    graph.set((version, DFK.validFrom, Literal("2020-01-01", datatype=XSD_DATE)))
    return str(DFK.ProvisionVersion), None, str(version)


SCOPE = URIRef(f"{ID}scope/cn-fraud-criminal")


@breaks("scope declaration without a source")
def _scope_without_source(graph: Graph):
    graph.remove((SCOPE, DCTERMS.source, None))
    return str(SCOPE), str(DCTERMS.source), None


@breaks("scope declaration without a completeness")
def _scope_without_completeness(graph: Graph):
    graph.remove((URIRef(f"{ID}scope/cn-extortion-criminal"), DFK.hasCompleteness, None))
    return f"{ID}scope/cn-extortion-criminal", str(DFK.hasCompleteness), None


@breaks("two declarations of one key overlap in time")
def _overlapping_scope(graph: Graph):
    twin = URIRef(f"{ID}scope/cn-fraud-criminal-twin")
    for _, predicate, value in list(graph.triples((SCOPE, None, None))):
        graph.add((twin, predicate, value))
    return str(SCOPE), None, str(twin)


@breaks("complete declaration that does not say what it counts")
def _complete_without_note(graph: Graph):
    declaration = URIRef(f"{ID}scope/eu-fraud-criminal")
    graph.remove((declaration, URIRef("http://www.w3.org/2004/02/skos/core#note"), None))
    return str(declaration), None, None


@breaks("engagement of a domain outside the code list")
def _engagement_outside_code_list(graph: Graph):
    engagement = URIRef(f"{ID}engagement/fraud-by-loss")
    graph.set((engagement, DFK.engagesDomain, DFK.NoSuchDomain))
    return str(engagement), str(DFK.engagesDomain), None


def test_broken_copies_fail_with_each_break_located(knowledge_base: Graph, shapes: Graph) -> None:
    broken = Graph()
    for triple in knowledge_base:
        broken.add(triple)
    expected = {name: function(broken) for name, function in BREAKS.items()}
    found = violations(broken, shapes)
    missing = {name: problem for name, problem in expected.items()
               if not any(focus == problem[0] and (problem[1] is None or path == problem[1])
                          and (problem[2] is None or value == problem[2]) for focus, path, value in found)}
    assert missing == {}


def test_eu_member_states_and_us_states_receive_the_higher_law(knowledge_base: Graph) -> None:
    eu = URIRef(f"{ID}jurisdiction/EU")
    members = set(knowledge_base.subjects(DFK.isPartOfJurisdiction, eu))
    assert len(members) == 27
    assert set(knowledge_base.objects(eu, DFK.lawAppliesIn)) == members
    us = URIRef(f"{ID}jurisdiction/US")
    assert set(knowledge_base.objects(us, DFK.lawAppliesIn)) == set(knowledge_base.subjects(DFK.isPartOfJurisdiction, us))
    china, hong_kong = URIRef(f"{ID}jurisdiction/CN"), URIRef(f"{ID}jurisdiction/HK")
    assert (china, DFK.lawAppliesIn, hong_kong) not in knowledge_base
    assert (hong_kong, DFK.lawAppliesIn, china) not in knowledge_base


def test_eu_acts_and_articles_carry_eli_iris(knowledge_base: Graph) -> None:
    eu = URIRef(f"{ID}jurisdiction/EU")
    for subject in knowledge_base.subjects(DFK.hasJurisdiction, eu):
        if (subject, RDF.type, DFK.Statute) in knowledge_base:
            assert str(subject).startswith("http://data.europa.eu/eli/reg/")
        if (subject, RDF.type, DFK.Provision) in knowledge_base and (subject, DFK.isPartOf, None) in knowledge_base:
            parent = knowledge_base.value(subject, DFK.isPartOf)
            if (parent, RDF.type, DFK.Statute) in knowledge_base:
                assert "/art_" in str(subject), subject


def test_proposals_are_never_in_force_and_known_only_from_the_paper(knowledge_base: Graph) -> None:
    proposals = set(knowledge_base.subjects(RDF.type, DFK.ReformProposal))
    assert len(proposals) == 3
    versions = [version for instrument_ in proposals
                for part in knowledge_base.subjects(DFK.isPartOf, instrument_)
                for version in knowledge_base.objects(part, DFK.hasVersion)]
    assert len(versions) == 4
    for version in versions:
        assert knowledge_base.value(version, DFK.hasStatus) == DFK.Proposed
        assert knowledge_base.value(version, DFK.validFrom) is None
        assert knowledge_base.value(version, DCTERMS.source) == DFK.SeedPaper
        assert knowledge_base.value(version, DFK.hasVerificationStatus) == DFK.SeedPaperOnly
        assert knowledge_base.value(version, DFK.hasJurisdiction) == URIRef(f"{ID}jurisdiction/CN")
        assert set(knowledge_base.objects(version, DFK.hasElement))
