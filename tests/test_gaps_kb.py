"""Gap detection over the real knowledge base: every query runs, and the paper's proposals close findings."""

from __future__ import annotations

import itertools

import pytest

from deepfake_kg.gaps import FIELDS, GAP_IDS, NOTICE_IDS, find_gaps, what_if
from deepfake_kg.gaps.findings import query_names
from deepfake_kg.namespaces import GRAPH
from deepfake_kg.store import EmbeddedStore
from test_gaps_law import PREFIXES, case_turtle, scope_turtle

# a grid of fact patterns in every modelled jurisdiction; no pattern is chosen to fit any provision
PATTERNS = [
    {"data_source": source, "content_type": [content], "views": views, "reposts": views // 10, "harms": [harm],
     "labelled_synthetic": "no", "platform_notice": "victim", "platform_removed": "no", "act_date": "2024-06-01"}
    for source, content, views, harm in itertools.product(
        ("public_online", "stolen"), ("sexual", "defamatory", "political"), (100, 1_000_000), ("psychological", "none"))
]


def modelled_jurisdictions(store: EmbeddedStore) -> list[str]:
    rows = store.select("""PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT DISTINCT ?code WHERE { ?v dfk:hasStatus dfk:InForce ; dfk:hasJurisdiction ?j . ?j dfk:jurisdictionCode ?code }""")
    return sorted(str(row["code"]) for row in rows)


@pytest.fixture(scope="module")
def kb_store():
    store = EmbeddedStore(None)
    store.ensure_loaded()
    codes = modelled_jurisdictions(store) + ["AQ"]
    cases = "".join(case_turtle(f"grid-{code}-{number}", jurisdiction=code, **pattern)
                    for code in codes for number, pattern in enumerate(PATTERNS))
    import pyoxigraph as ox
    store.oxigraph.load(PREFIXES + cases, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}test/grid"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def kb_findings(kb_store):
    return find_gaps(kb_store)


def test_the_knowledge_base_models_law(kb_store):
    assert modelled_jurisdictions(kb_store)


def test_the_gap_types_the_knowledge_base_scopes_are_the_gap_rules(kb_store):
    rows = kb_store.select("PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/> SELECT ?id WHERE { ?t a dfk:GapType ; dfk:gapId ?id }")
    assert {str(row["id"]) for row in rows} == set(GAP_IDS) and len(GAP_IDS) == 7


def test_every_finding_query_runs_on_the_knowledge_base(kb_store, kb_findings):
    assert set(query_names()) == {*GAP_IDS, "notice-unmodeled-jurisdiction"}
    assert kb_findings and all(tuple(f) == FIELDS for f in kb_findings)
    assert {f["gap"] for f in kb_findings if f["case_id"].startswith("grid-AQ-")} == {"unmodeled-jurisdiction"}
    assert not [f for f in kb_findings if f["kind"] == "gap" and f["gap"] in NOTICE_IDS]


def proposals_of(store: EmbeddedStore) -> list[str]:
    rows = store.select("""PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT DISTINCT ?provision WHERE { ?provision dfk:hasVersion ?v . ?v dfk:hasStatus dfk:Proposed }""")
    return sorted(str(row["provision"]) for row in rows)


def test_no_gap_is_derived_where_the_knowledge_base_declares_its_law_incomplete(kb_findings):
    cn = [f for f in kb_findings if f["case_id"].startswith("grid-CN-")]
    # threshold over-inclusion rests on the modelled provision that reaches the case, which unmodelled law cannot undo
    assert cn and {f["gap"] for f in cn if f["kind"] == "gap"} <= {"threshold-over-inclusion"}
    assert "unmodeled-law" in {f["gap"] for f in cn}


def test_the_papers_proposals_close_findings_where_the_law_is_declared_complete():
    import pyoxigraph as ox

    store = EmbeddedStore(None)
    store.ensure_loaded()
    cases = "".join(case_turtle(f"grid-CN-{number}", jurisdiction="CN", **pattern) for number, pattern in enumerate(PATTERNS))
    store.oxigraph.load(PREFIXES + cases, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}test/grid"))
    store.oxigraph.load(scope_turtle(jurisdictions=("CN",)), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}test/scope"))
    try:
        proposals = proposals_of(store)
        assert proposals
        result = what_if(store, proposals)
    finally:
        store.close()
    assert [f for f in result["closed"] if f["kind"] == "gap"]
