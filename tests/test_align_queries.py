"""Queries in external vocabularies (DPV, ELI, schema.org, rdfs:seeAlso) answered through the
materialised entailments, on the embedded store (in memory) and on the remote store (Virtuoso, when
installed), each holding the ontology, the knowledge base and a few test cases and test law defined here."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from deepfake_kg.entailments import ENTAILMENTS_GRAPH, refresh_entailments, store_entailments
from deepfake_kg.namespaces import case_graph
from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store import EmbeddedStore, Store

pytest_plugins = ("test_api_support",)

EXTERNAL_QUERIES = QUERIES_DIR / "external"
ID = "https://w3id.org/deepfake-kg/id/"
AI_ACT = "http://data.europa.eu/eli/reg/2024/1689/oj"
ART_50 = "http://data.europa.eu/eli/reg/2024/1689/art_50/oj"
TEST_LAW_GRAPH = "https://w3id.org/deepfake-kg/graph/test/align-law"
PREFIXES = """
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/deepfake-kg/id/> .
"""

# Test law: made-up instruments (slugs start with test-align) in CN and US, and the AI Act's Art. 50
# with a made-up nested part, so the tests do not depend on what the law knowledge base holds today.
TEST_LAW = PREFIXES + f"""
<{AI_ACT}> a dfk:Statute ; dfk:hasJurisdiction <jurisdiction/EU> .
<{ART_50}> a dfk:Provision ; dfk:isPartOf <{AI_ACT}> .
<provision/test-align-ai-act-part> a dfk:Provision ; rdfs:label "test fixture: a part of Art. 50"@en ;
    dfk:isPartOf <{ART_50}> ;
    dfk:hasVersion <provision/test-align-ai-act-part/v/2026-08-02> .
<provision/test-align-ai-act-part/v/2026-08-02> a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:validFrom "2026-08-02"^^xsd:date .

<instrument/test-align-cn-statute> a dfk:Statute ; dfk:hasJurisdiction <jurisdiction/CN> ;
    dct:title "test fixture: a CN statute"@en ; dfk:localIdentifier "Test Statute" .
<provision/test-align-cn-art-1> a dfk:Provision ; dfk:isPartOf <instrument/test-align-cn-statute> ;
    dfk:localIdentifier "Art. 1" .
<provision/test-align-cn-art-1/v/2020-01-01> a dfk:ProvisionVersion ; dfk:isVersionOf <provision/test-align-cn-art-1> ;
    dfk:hasStatus dfk:Expired ; dfk:validFrom "2020-01-01"^^xsd:date ; dfk:validUntil "2024-01-01"^^xsd:date .
<provision/test-align-cn-art-1/v/2024-01-01> a dfk:ProvisionVersion ; dfk:isVersionOf <provision/test-align-cn-art-1> ;
    dfk:hasStatus dfk:InForce ; dfk:validFrom "2024-01-01"^^xsd:date ; dfk:validUntil "2024-06-01"^^xsd:date .
<provision/test-align-cn-art-2> a dfk:Provision ; dfk:isPartOf <instrument/test-align-cn-statute> ;
    dfk:hasVersion <provision/test-align-cn-art-2/v/2023-05-01> .
<provision/test-align-cn-art-2/v/2023-05-01> a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:validFrom "2023-05-01"^^xsd:date .

<instrument/test-align-cn-proposal> a dfk:ReformProposal ; dfk:hasJurisdiction <jurisdiction/CN> .
<provision/test-align-cn-proposal-art-1> a dfk:Provision ; dfk:isPartOf <instrument/test-align-cn-proposal> ;
    dfk:hasVersion <provision/test-align-cn-proposal-art-1/v/2023-01-01> .
<provision/test-align-cn-proposal-art-1/v/2023-01-01> a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:validFrom "2023-01-01"^^xsd:date .

<instrument/test-align-cn-bill> a dfk:Bill ; dfk:hasJurisdiction <jurisdiction/CN> .
<provision/test-align-cn-bill-art-1> a dfk:Provision ; dfk:isPartOf <instrument/test-align-cn-bill> ;
    dfk:hasVersion <provision/test-align-cn-bill-art-1/v/2023-01-01> .
<provision/test-align-cn-bill-art-1/v/2023-01-01> a dfk:ProvisionVersion ; dfk:hasStatus dfk:Proposed ;
    dfk:validFrom "2023-01-01"^^xsd:date .

<http://data.europa.eu/eli/test-align/1/oj> a dfk:LegalInstrument ; rdfs:label "test fixture: an act known only by an ELI-style IRI"@en .
<http://data.europa.eu/eli/test-align/1/art_1/oj> a dfk:Provision ; dfk:isPartOf <http://data.europa.eu/eli/test-align/1/oj> .
<provision/test-align-eli-only-part> a dfk:Provision ; dfk:isPartOf <http://data.europa.eu/eli/test-align/1/art_1/oj> .

<instrument/test-align-us-statute> a dfk:Statute ; dfk:hasJurisdiction <jurisdiction/US> .
<provision/test-align-us-sec-1> a dfk:Provision ; dfk:isPartOf <instrument/test-align-us-statute> ;
    dfk:hasVersion <provision/test-align-us-sec-1/v/2020-01-01> .
<provision/test-align-us-sec-1/v/2020-01-01> a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ;
    dfk:validFrom "2020-01-01"^^xsd:date .
"""

TEST_CASES = {
    "test-align-face": f"""<case/test-align-face> a dfk:CaseRecord ; dfk:caseId "test-align-face" ;
        dfk:hasBiometricCategory dfk:FacialBiometric ; dfk:hasAct dfk:Create, dfk:CollectData ;
        dfk:hasHarm dfk:PsychologicalHarm, dfk:SexualExploitation ;
        dfk:hasDataSource dfk:PublicOnline ; dfk:appliedProvision <provision/test-align-ai-act-part> ;
        dfk:aiidIncident <https://incidentdatabase.ai/cite/9001> ; dct:source <https://example.org/report/1> .""",
    "test-align-voice": f"""<case/test-align-voice> a dfk:CaseRecord ; dfk:caseId "test-align-voice" ;
        dfk:hasBiometricCategory dfk:VoiceBiometric ; dfk:appliedProvision <{ART_50}> .""",
    "test-align-cn": """<case/test-align-cn> a dfk:CaseRecord ; dfk:caseId "test-align-cn" ;
        dfk:hasBiometricCategory dfk:GaitBiometric ; dfk:appliedProvision <provision/test-align-cn-art-1> ;
        dct:source "a newspaper, in print" .""",
}


def ntriples(turtle: str) -> str:
    return ox.serialize(ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES).decode()


def fill(store: Store) -> None:
    """Load the shipped graphs, the test cases and law, and the entailments."""
    store.ensure_loaded()
    graphs = {case_graph(case_id): ntriples(turtle) for case_id, turtle in TEST_CASES.items()}
    graphs[TEST_LAW_GRAPH] = ntriples(TEST_LAW)
    store.replace_graphs(graphs)
    refresh_entailments(store)


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def aligned_store(request) -> Store:
    if request.param == "embedded":
        store = EmbeddedStore(None)
        fill(store)
        yield store
        store.close()
        return
    virtuoso = request.getfixturevalue("virtuoso")
    store = virtuoso.store()
    fill(store)
    yield store
    store.replace_graphs({}, drop=[*(case_graph(case_id) for case_id in TEST_CASES), TEST_LAW_GRAPH, ENTAILMENTS_GRAPH])
    store.close()


def run(store: Store, name: str, replace: tuple[str, str] | None = None) -> list[dict]:
    text = (EXTERNAL_QUERIES / name).read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    return store.select(text)


def column(rows: list[dict], name: str) -> set[str]:
    return {str(row[name]) for row in rows if name in row}


def test_every_external_query_has_a_header_and_uses_no_deepfake_kg_term():
    queries = sorted(EXTERNAL_QUERIES.glob("*.rq"))
    assert len(queries) >= 4
    for path in queries:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# What it answers:") and "# Serves:" in text, path.name
        body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
        assert "deepfake-kg/ontology/" not in body, path.name


def test_facial_print_cases_in_dpv_terms(aligned_store):
    cases = column(run(aligned_store, "facial-print-cases.rq"), "case")
    assert ID + "case/test-align-face" in cases
    assert ID + "case/test-align-voice" not in cases and ID + "case/test-align-cn" not in cases
    without_face = aligned_store.select("""PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
        PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT ?case WHERE { ?case dpv:hasPersonalData pd:FacialPrint FILTER NOT EXISTS { ?case dfk:hasBiometricCategory dfk:FacialBiometric } }""")
    assert without_face == []


def test_voice_and_gait_cases_have_biometric_data_in_dpv_terms(aligned_store):
    rows = aligned_store.select("""PREFIX dpv: <https://w3id.org/dpv#> PREFIX pd: <https://w3id.org/dpv/pd#>
        SELECT ?case WHERE { ?case dpv:hasPersonalData pd:Biometric }""")
    assert {ID + "case/test-align-face", ID + "case/test-align-voice", ID + "case/test-align-cn"} <= column(rows, "case")


def test_cases_citing_a_part_of_the_ai_act_in_eli_terms(aligned_store):
    rows = run(aligned_store, "ai-act-citing-cases.rq")
    pairs = {(str(row["case"]), str(row["provision"])) for row in rows}
    assert (ID + "case/test-align-voice", ART_50) in pairs
    assert (ID + "case/test-align-face", ID + "provision/test-align-ai-act-part") in pairs  # two levels down
    assert ID + "case/test-align-cn" not in column(rows, "case")
    assert all(case.startswith(ID + "case/") for case in column(rows, "case"))


def test_legislation_in_force_in_cn_on_a_date(aligned_store):
    on_june_first = column(run(aligned_store, "legislation-in-force-cn.rq"), "legislation")
    assert ID + "provision/test-align-cn-art-2/v/2023-05-01" in on_june_first
    assert ID + "provision/test-align-cn-art-1/v/2024-01-01" not in on_june_first  # valid until is exclusive
    assert ID + "provision/test-align-cn-art-1/v/2020-01-01" not in on_june_first  # expired before
    assert ID + "provision/test-align-cn-proposal-art-1/v/2023-01-01" not in on_june_first  # scholarship, not law
    assert ID + "provision/test-align-cn-bill-art-1/v/2023-01-01" not in on_june_first  # never law
    assert ID + "provision/test-align-us-sec-1/v/2020-01-01" not in on_june_first  # other jurisdiction

    on_new_year_2024 = column(run(aligned_store, "legislation-in-force-cn.rq", ('"2024-06-01"', '"2024-01-01"')), "legislation")
    assert ID + "provision/test-align-cn-art-1/v/2024-01-01" in on_new_year_2024
    assert ID + "provision/test-align-cn-art-1/v/2020-01-01" not in on_new_year_2024
    on_new_years_eve = column(run(aligned_store, "legislation-in-force-cn.rq", ('"2024-06-01"', '"2023-12-31"')), "legislation")
    assert ID + "provision/test-align-cn-art-1/v/2020-01-01" in on_new_years_eve


def test_legal_force_is_stated_only_where_it_holds_now(aligned_store):
    rows = aligned_store.select("""PREFIX schema: <https://schema.org/>
        SELECT ?legislation ?force WHERE { ?legislation schema:legislationLegalForce ?force }""")
    force = {str(row["legislation"]): str(row["force"]) for row in rows}
    assert force[ID + "provision/test-align-cn-art-2/v/2023-05-01"] == "https://schema.org/InForce"
    assert force[ID + "provision/test-align-cn-art-1/v/2020-01-01"] == "https://schema.org/NotInForce"
    assert force[ID + "provision/test-align-cn-bill-art-1/v/2023-01-01"] == "https://schema.org/NotInForce"
    assert ID + "provision/test-align-cn-art-1/v/2024-01-01" not in force  # in force only within a closed period


def test_cases_linked_to_the_ai_incident_database(aligned_store):
    rows = run(aligned_store, "aiid-linked-cases.rq")
    assert {(str(r["case"]), str(r["incident"])) for r in rows} >= {(ID + "case/test-align-face", "https://incidentdatabase.ai/cite/9001")}
    assert ID + "case/test-align-voice" not in column(rows, "case")


def test_outbound_links_to_eli_and_wikidata(aligned_store):
    def see_also(resource: str) -> set[str]:
        return column(aligned_store.select(f"SELECT ?link WHERE {{ <{resource}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?link }}"), "link")

    face = see_also(ID + "case/test-align-face")
    assert {ART_50, AI_ACT, "http://www.wikidata.org/entity/Q49473179", "https://incidentdatabase.ai/cite/9001"} <= face
    assert see_also(ID + "provision/test-align-ai-act-part") >= {ART_50, AI_ACT}
    assert see_also(ID + "provision/test-align-ai-act-part/v/2026-08-02") >= {ART_50, AI_ACT}
    assert not any(link.startswith("http://data.europa.eu/eli/") for link in see_also(ID + "case/test-align-cn"))
    assert not aligned_store.ask("ASK { ?a <http://www.w3.org/2002/07/owl#sameAs> ?b }")


def test_eli_typing_skips_reform_proposals_and_follows_parts(aligned_store):
    def types(resource: str) -> set[str]:
        return column(aligned_store.select(f"SELECT ?t WHERE {{ <{resource}> a ?t }}"), "t")

    eli = "http://data.europa.eu/eli/ontology#"
    assert eli + "LegalResource" in types(ID + "instrument/test-align-cn-statute")
    assert eli + "LegalResourceSubdivision" in types(ID + "provision/test-align-cn-art-1")
    assert eli + "LegalResourceSubdivision" in types(ID + "provision/test-align-ai-act-part")
    assert not any(t.startswith(eli) for t in types(ID + "provision/test-align-cn-proposal-art-1"))
    assert "https://schema.org/Legislation" not in types(ID + "instrument/test-align-cn-proposal")
    assert {eli + "LegalResource", "https://schema.org/Legislation"} <= types("http://data.europa.eu/eli/test-align/1/oj")
    assert eli + "LegalResourceSubdivision" in types("http://data.europa.eu/eli/test-align/1/art_1/oj")
    assert eli + "LegalResourceSubdivision" in types(ID + "provision/test-align-eli-only-part")


def test_provenance_and_lawfulness_in_external_terms(aligned_store):
    assert aligned_store.ask(f"""ASK {{ <{ID}case/test-align-face> a <http://www.w3.org/ns/prov#Entity> ;
        <http://www.w3.org/ns/prov#wasDerivedFrom> <https://example.org/report/1> ;
        <http://purl.org/dc/terms/identifier> "test-align-face" ;
        <https://w3id.org/dpv#hasProcessing> <https://w3id.org/dpv#Collect>, <https://w3id.org/dpv#Generate> }}""")
    assert not aligned_store.ask(f"ASK {{ <{ID}case/test-align-cn> <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }}")
    assert aligned_store.ask("""ASK { <https://w3id.org/deepfake-kg/ontology/PublicOnline> <https://w3id.org/dpv#hasLawfulness> <https://w3id.org/dpv#Lawful> .
        <https://w3id.org/deepfake-kg/ontology/Stolen> <https://w3id.org/dpv#hasLawfulness> <https://w3id.org/dpv#Unlawful> }""")


def test_harms_as_dpv_risk_impacts_follow_only_kind_of_matches(aligned_store):
    impacts = column(aligned_store.select(f"""SELECT ?impact WHERE {{
        <{ID}case/test-align-face> <https://w3id.org/dpv#hasImpact> ?impact }}"""), "impact")
    assert "https://w3id.org/dpv/risk#PsychologicalHarm" in impacts
    assert "https://w3id.org/dpv/risk#SexualHarassment" not in impacts  # only a related match


def test_entailments_live_in_their_own_graph_and_recomputing_changes_nothing(aligned_store):
    first, _ = store_entailments(aligned_store)  # what graph/entailments holds
    assert first.strip(), "no entailments"
    assert "<https://w3id.org/deepfake-kg/ontology/" not in {line.split(" ")[1] for line in first.splitlines()}
    stored = aligned_store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ENTAILMENTS_GRAPH}> {{ ?s ?p ?o }} }}")
    assert len(stored.decode().splitlines()) == len(first.splitlines())
    assert store_entailments(aligned_store)[0] == first  # the rules read no entailed triple


def test_entailed_predicates_are_declared_with_the_kind_their_values_have(aligned_store):
    rows = aligned_store.select(f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT DISTINCT ?p ?kind (isLiteral(?o) AS ?literal) WHERE {{
          GRAPH <{ENTAILMENTS_GRAPH}> {{ ?s ?p ?o }}
          OPTIONAL {{ ?p a ?kind FILTER(?kind IN (owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty)) }}
          FILTER(?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && ?p != <http://www.w3.org/2000/01/rdf-schema#seeAlso>) }}""")
    undeclared = sorted(str(row["p"]) for row in rows if "kind" not in row)
    assert undeclared == []
    mismatched = sorted(str(row["p"]) for row in rows
                        if (str(row["kind"]).endswith("ObjectProperty") and row["literal"].toPython())
                        or (str(row["kind"]).endswith("DatatypeProperty") and not row["literal"].toPython()))
    assert mismatched == []
