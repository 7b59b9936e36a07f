"""No contradictions (docs/gaps.md, "How the gap types relate"), over generated cases of the made-up law.

Hypothesis draws batches of cases from the fields' code values (unknown and absent facts included); each
batch is judged once, and every finding is checked against the assessments of the same working dataset.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepfake_kg.gaps.findings import run_all
from deepfake_kg.gaps.working import Scenario, build, graph_triples
from test_gaps_law import CODES, LAW, NUMBERS, case_turtle, make_store
from test_gaps_scope import TRIOS

# the made-up law plus, for each gap type, a provision that closes it for some cases and not others
WIDER_LAW = [LAW, *(reaching for _, _, reaching in TRIOS.values())]

DFK = "https://w3id.org/deepfake-kg/ontology/"
MANY = {"acts", "biometric_data", "content_type", "harms", "intent"}
OUTCOMES = ("Convicted", "Acquitted", "Dismissed", "Pending")


def field_values(name: str) -> st.SearchStrategy:
    codes = sorted(CODES[name][1])
    if name in MANY:
        return st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True)
    return st.sampled_from(codes)


case_fields = st.fixed_dictionaries(
    {},
    optional={**{name: field_values(name) for name in CODES},
              **{name: st.integers(min_value=0, max_value=20_000) for name in NUMBERS},
              "act_date": st.sampled_from(["2019-06", "2020", "2021-06-01", "2024-05-10"])})
batches = st.lists(st.tuples(case_fields, st.none() | st.sampled_from(OUTCOMES)), min_size=1, max_size=12)

REACHING = f"""PREFIX dfk: <{DFK}>
SELECT ?case ?version ?sanction ?category ?using ?label ?platform WHERE {{
  ?assessment dfk:assessedCase ?case ; dfk:assessedVersion ?version ; dfk:hasReachStatus dfk:Reaches .
  ?version dfk:hasSanctionKind ?sanction .
  OPTIONAL {{ ?version dfk:hasElement ?data . ?data a dfk:DataCategoryElement ; dfk:hasCondition/dfk:acceptsValue ?category .
             ?case dfk:hasBiometricCategory ?category }}
  BIND(EXISTS {{ ?version dfk:coversDataStage dfk:UsingStage }} AS ?using)
  BIND(EXISTS {{ ?version dfk:hasElement/a dfk:LabelElement }} AS ?label)
  BIND(EXISTS {{ ?version dfk:addressee dfk:PlatformRole }} AS ?platform)
}}"""


def judged(batch: list[tuple[dict, str | None]]):
    """The findings and the reaching assessments of one working dataset holding the batch."""
    turtle = []
    for number, (fields, outcome) in enumerate(batch):
        text = case_turtle(f"g{number}", **fields)
        if outcome:
            text = text.rstrip(" .\n") + f" ;\n    dfk:hasOutcome dfk:{outcome} .\n"
        turtle.append(text)
    store = make_store(*WIDER_LAW, *turtle)
    working = build(graph_triples(store, store.graph_names()), b"", Scenario())
    store.close()
    reaching = [{name: (solution[name].value if solution[name] is not None else None) for name in
                 ("case", "version", "sanction", "category", "using", "label", "platform")}
                for solution in working.query(REACHING)]
    convicted = {solution["case"].value for solution in working.query(
        f"PREFIX dfk: <{DFK}> SELECT ?case WHERE {{ ?case dfk:hasOutcome dfk:Convicted }}")}
    categories: dict[str, set[str]] = {}
    for solution in working.query(f"PREFIX dfk: <{DFK}> SELECT ?case ?c WHERE {{ ?case dfk:hasBiometricCategory ?c }}"):
        categories.setdefault(solution["case"].value, set()).add(solution["c"].value)
    return run_all(working), reaching, convicted, categories


def criminal(row: dict) -> bool:
    return row["sanction"] == f"{DFK}CriminalSanction"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_no_gap_stands_beside_an_assessment_that_reaches_the_same_conduct(batch):
    findings, reaching, convicted, categories = judged(batch)
    for finding in (f for f in findings if f.kind == "gap"):
        rows = [row for row in reaching if row["case"] == finding.case]
        if finding.gap in ("harm-without-criminal-liability", "threshold-under-inclusion"):
            assert not [row for row in rows if criminal(row) and not row["platform"]], finding
        if finding.gap == "harm-without-criminal-liability":
            assert finding.case not in convicted, finding
        if finding.gap == "unprotected-biometric-category":
            protected = {row["category"] for row in rows if criminal(row) and row["category"]}
            assert categories[finding.case] - protected, finding
        if finding.gap == "lawful-acquisition-unlawful-use":
            covered = {row["category"] for row in rows if criminal(row) and row["category"] and row["using"] == "true"}
            assert categories[finding.case] - covered, finding
        if finding.gap == "obligation-without-sanction":
            assert not [row for row in rows if row["label"] == "true" and row["sanction"] != f"{DFK}NoSanction"], finding
        if finding.gap == "platform-notice-gap":
            assert not [row for row in rows if row["platform"] == "true"], finding


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_no_case_gets_two_findings_that_contradict_each_other(batch):
    findings, _, _, _ = judged(batch)
    by_case: dict[str, dict[str, set[str]]] = {}
    for finding in findings:
        by_case.setdefault(finding.case, {}).setdefault(finding.about, set()).add(finding.gap)
    for case, about in by_case.items():
        for gap_type, gaps in about.items():
            assert len(gaps) == 1, (case, gap_type, gaps)  # a gap, or one notice about it, never both
        harmful = "harm-without-criminal-liability" in about.get("harm-without-criminal-liability", set())
        over = "threshold-over-inclusion" in about.get("threshold-over-inclusion", set())
        assert not (harmful and over), case  # one says harm occurred, the other that none did
        unmodelled_place = "unmodeled-jurisdiction" in about
        assert not unmodelled_place or set(about) == {"unmodeled-jurisdiction"}, case
