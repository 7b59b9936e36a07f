"""Gap detection built from a made-up law: each finding appears for one case and goes away when one fact changes."""

from __future__ import annotations

import pytest

from deepfake_kg.gaps import FIELDS, GAP_IDS, ProposalError, find_gaps, what_if
from test_gaps_law import LAW, case_turtle, make_store

SEXUAL = {"content_type": ["sexual"]}

# (case id, fields): near-identical pairs differ in one fact
CASES = {
    "lawful-own-capture": {},
    "lawful-stolen": {"data_source": "stolen"},
    "lawful-consented": {"subject_consent": "yes"},
    "lawful-consent-unknown": {"subject_consent": "unknown"},
    "lawful-source-unknown": {"data_source": "unknown"},
    "gait": {"biometric_data": ["gait"], "data_source": "stolen"},
    "gait-consented": {"biometric_data": ["gait"], "data_source": "stolen", "subject_consent": "yes"},
    "facial-stolen": {"biometric_data": ["facial"], "data_source": "stolen"},
    "below-threshold": {**SEXUAL, "views": 1000, "reposts": 10},
    "above-threshold": {**SEXUAL, "views": 10000, "reposts": 10},
    "views-unknown": {**SEXUAL},
    "below-threshold-political": {"views": 1000, "reposts": 10},
    "harmless-viral": {**SEXUAL, "views": 2_000_000, "reposts": 0, "harms": ["none"]},
    "harmless-unseen": {**SEXUAL, "views": 100, "reposts": 0, "harms": ["none"]},
    "unlabelled": {"labelled_synthetic": "no"},
    "label-unknown": {"labelled_synthetic": "unknown"},
    "victim-notice": {"platform_notice": "victim", "platform_removed": "no"},
    "regulator-notice": {"platform_notice": "regulator", "platform_removed": "no"},
    "victim-notice-removed": {"platform_notice": "victim", "platform_removed": "yes"},
    "defamed-2019": {"act_date": "2019-06", "content_type": ["defamatory"], "harms": ["reputational"]},
    "defamed-2021": {"act_date": "2021-06", "content_type": ["defamatory"], "harms": ["reputational"]},
    "defamed-2020": {"act_date": "2020", "content_type": ["defamatory"], "harms": ["reputational"]},
    "unmodelled-place": {"jurisdiction": "ZQ", **SEXUAL, "views": 1000, "reposts": 10, "labelled_synthetic": "no"},
    "sub-jurisdiction": {"jurisdiction": "ZZ-A", **SEXUAL, "views": 1000, "reposts": 10},
}


@pytest.fixture(scope="module")
def fixture_store():
    store = make_store(LAW, *(case_turtle(case_id, **fields) for case_id, fields in CASES.items()),
                       case_turtle("draft-case", draft=True, **SEXUAL, views=1000, reposts=10))
    yield store
    store.close()


@pytest.fixture(scope="module")
def findings(fixture_store) -> list[dict]:
    return find_gaps(fixture_store)


def ids(findings: list[dict], case_id: str, kind: str | None = None) -> set[str]:
    return {f["gap"] for f in findings if f["case_id"] == case_id and (kind is None or f["kind"] == kind)}


def notices_about(findings: list[dict], case_id: str) -> list[str]:
    return [f["explanation"] for f in findings if f["case_id"] == case_id and f["gap"] == "undetermined"]


@pytest.mark.parametrize(("gap", "present", "absent"), [
    ("lawful-acquisition-unlawful-use", "lawful-own-capture", "lawful-stolen"),
    ("lawful-acquisition-unlawful-use", "lawful-own-capture", "lawful-consented"),
    ("unprotected-biometric-category", "gait", "facial-stolen"),
    ("unprotected-biometric-category", "gait", "gait-consented"),
    ("harm-without-criminal-liability", "below-threshold", "above-threshold"),
    ("harm-without-criminal-liability", "defamed-2021", "defamed-2019"),
    ("threshold-under-inclusion", "below-threshold", "above-threshold"),
    ("threshold-under-inclusion", "below-threshold", "below-threshold-political"),
    ("threshold-over-inclusion", "harmless-viral", "harmless-unseen"),
    ("obligation-without-sanction", "unlabelled", "lawful-own-capture"),
    ("platform-notice-gap", "victim-notice", "regulator-notice"),
    ("platform-notice-gap", "victim-notice", "victim-notice-removed"),
])
def test_gap_appears_and_one_changed_fact_removes_it(findings, gap, present, absent):
    assert gap in ids(findings, present, "gap")
    assert gap not in ids(findings, absent)


def test_political_content_below_threshold_is_harm_gap_but_not_threshold_gap(findings):
    assert "harm-without-criminal-liability" in ids(findings, "below-threshold-political", "gap")
    assert "threshold-under-inclusion" not in ids(findings, "below-threshold-political")


@pytest.mark.parametrize(("case_id", "would_be", "unknown_field"), [
    ("views-unknown", "harm-without-criminal-liability", "view count"),
    ("lawful-consent-unknown", "lawful-acquisition-unlawful-use", "subject consent"),
    ("lawful-source-unknown", "lawful-acquisition-unlawful-use", "data source"),
    ("label-unknown", "obligation-without-sanction", "labelled synthetic"),
    ("defamed-2020", "harm-without-criminal-liability", "act date"),
])
def test_unknown_facts_give_the_undetermined_notice_never_the_gap(findings, case_id, would_be, unknown_field):
    assert would_be not in ids(findings, case_id)
    assert any(unknown_field in text for text in notices_about(findings, case_id))


def test_unmodelled_jurisdiction_gets_only_the_notice(findings):
    assert [f["gap"] for f in findings if f["case_id"] == "unmodelled-place"] == ["unmodeled-jurisdiction"]


def test_law_of_a_jurisdiction_applies_in_its_part(findings):
    assert ids(findings, "sub-jurisdiction") == ids(findings, "below-threshold") != set()


def test_draft_cases_are_never_judged(findings):
    assert not [f for f in findings if f["case_id"] == "draft-case"]


def test_findings_have_the_public_shape_and_explain_themselves(findings):
    assert findings and all(tuple(f) == FIELDS for f in findings)
    assert {f["gap"] for f in findings if f["kind"] == "gap"} == set(GAP_IDS)
    harm = next(f for f in findings if f["case_id"] == "below-threshold" and f["gap"] == "harm-without-criminal-liability")
    assert "psychological harm" in harm["explanation"] and "portrait right" in harm["explanation"]
    assert "https://w3id.org/deepfake-kg/id/provision/zz-obscene" in harm["provisions"]
    under = next(f for f in findings if f["case_id"] == "below-threshold" and f["gap"] == "threshold-under-inclusion")
    assert "view count 1000" in under["explanation"] and "5000" in under["explanation"]
    assert all(f["explanation"].endswith(".") and "\n" not in f["explanation"] for f in findings)


def test_filters_by_gap_and_jurisdiction(fixture_store, findings):
    only = find_gaps(fixture_store, gap="platform-notice-gap")
    assert only and {f["gap"] for f in only} == {"platform-notice-gap"}
    assert find_gaps(fixture_store, jurisdiction="ZQ") == [f for f in findings if f["jurisdiction"] == "ZQ"]
    with pytest.raises(ValueError):
        find_gaps(fixture_store, gap="no-such-gap")


def test_as_of_judges_every_case_under_the_law_of_that_date(fixture_store):
    then = find_gaps(fixture_store, as_of="2019-01-01")
    assert "harm-without-criminal-liability" not in ids(then, "defamed-2021")
    later = find_gaps(fixture_store, as_of="2021-01-01")
    assert "harm-without-criminal-liability" in ids(later, "defamed-2019", "gap")


def test_a_proposal_from_the_knowledge_base_closes_findings(fixture_store):
    result = what_if(fixture_store, ["zz-biometric-identity"])
    closed = {(f["gap"], f["case_id"]) for f in result["closed"]}
    assert ("lawful-acquisition-unlawful-use", "lawful-own-capture") in closed
    assert ("harm-without-criminal-liability", "below-threshold") in closed
    assert ("unprotected-biometric-category", "gait") in closed
    # a gap that turns on unknown consent under the proposal becomes a notice, never a new gap
    assert [f["kind"] for f in result["opened"]] == ["notice"] * len(result["opened"])
    assert ("undetermined", "lawful-consent-unknown") in {(f["gap"], f["case_id"]) for f in result["opened"]}
    assert ("platform-notice-gap", "victim-notice") in {(f["gap"], f["case_id"]) for f in result["kept"]}


def test_a_proposal_in_force_only_after_the_act_closes_nothing_for_it(fixture_store):
    result = what_if(fixture_store, ["https://w3id.org/deepfake-kg/id/provision/zz-biometric-identity"], from_date="2025-01-01")
    assert not [f for f in result["closed"] if f["case_id"] == "lawful-own-capture"]


PLATFORM_DUTY = """
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/reform/platform-duty> a dfk:Provision ; dfk:hasVersion <https://example.org/reform/platform-duty/v1> .
<https://example.org/reform/platform-duty/v1> a dfk:ProvisionVersion ; dfk:hasStatus dfk:Proposed ;
    dfk:hasJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/ZZ> ;
    dfk:hasNormKind dfk:AdministrativeViolationNorm ; dfk:hasSanctionKind dfk:AdministrativeSanction ;
    dfk:addressee dfk:PlatformRole ;
    dfk:hasElement [ a dfk:TriggerElement ; dfk:hasCondition [ dfk:onField dfk:hasPlatformNotice ;
                       dfk:acceptsValue dfk:VictimNotice , dfk:RegulatorNotice ] ] ,
                   [ a dfk:RemovalElement ; dfk:hasCondition [ dfk:onField dfk:wasRemovedByPlatform ; dfk:acceptsValue dfk:No ] ] .
"""


def test_a_proposal_file_closes_the_platform_notice_gap(fixture_store, tmp_path):
    proposal = tmp_path / "platform-duty.ttl"
    proposal.write_text(PLATFORM_DUTY, encoding="utf-8")
    result = what_if(fixture_store, [proposal], from_date="2020-01-01")
    assert ("platform-notice-gap", "victim-notice") in {(f["gap"], f["case_id"]) for f in result["closed"]}
    assert not find_gaps(fixture_store, gap="platform-notice-gap", proposals=[proposal]) == find_gaps(fixture_store, gap="platform-notice-gap")


PLATFORM_LABEL_DUTY = """
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
<https://example.org/reform/platform-label> a dfk:Provision ; dfk:hasVersion <https://example.org/reform/platform-label/v1> .
<https://example.org/reform/platform-label/v1> a dfk:ProvisionVersion ; dfk:hasStatus dfk:Proposed ;
    dfk:hasJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/ZZ> ;
    dfk:hasNormKind dfk:ObligationNorm ; dfk:hasSanctionKind dfk:AdministrativeSanction ;
    dfk:addressee dfk:PlatformRole ;
    dfk:hasElement [ a dfk:ConductElement ; dfk:hasCondition [ dfk:onField dfk:hasAct ; dfk:acceptsValue dfk:Disseminate ] ] .
"""


def test_a_platform_duty_not_triggered_by_notice_leaves_the_platform_notice_gap(fixture_store, tmp_path):
    proposal = tmp_path / "platform-label.ttl"
    proposal.write_text(PLATFORM_LABEL_DUTY, encoding="utf-8")
    result = what_if(fixture_store, [proposal], from_date="2020-01-01")
    assert ("platform-notice-gap", "victim-notice") in {(f["gap"], f["case_id"]) for f in result["kept"]}


def test_repealing_a_provision_opens_a_finding():
    repeal = ("<https://w3id.org/deepfake-kg/id/provision/zz-obscene/v/2010-01-01> "
              "dfk:validUntil \"2022-01-01\"^^xsd:date .")
    before = find_gaps(make_store(LAW, case_turtle("above-threshold", **CASES["above-threshold"])))
    after = find_gaps(make_store(LAW, repeal, case_turtle("above-threshold", **CASES["above-threshold"])))
    assert "harm-without-criminal-liability" not in ids(before, "above-threshold")
    assert "harm-without-criminal-liability" in ids(after, "above-threshold", "gap")


@pytest.mark.parametrize("proposal", ["no-such-provision", "zz-obscene", "https://example.org/<bad>"])
def test_a_bad_proposal_is_refused(fixture_store, proposal):
    with pytest.raises(ProposalError):
        what_if(fixture_store, [proposal])


def test_a_broken_proposal_file_is_refused_with_its_name(fixture_store, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ProposalError, match="broken.ttl"):
        what_if(fixture_store, [broken])
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "https://example.org/context.jsonld", "@id": "x"}', encoding="utf-8")
    with pytest.raises(ProposalError, match="remote"):
        what_if(fixture_store, [remote])


def test_what_if_never_writes_the_store(fixture_store):
    before = fixture_store.dump()
    what_if(fixture_store, ["zz-biometric-identity"], from_date="2000-01-01")
    assert fixture_store.dump() == before


def test_a_newly_contributed_case_is_judged_on_the_next_call():
    from rdflib import Graph

    from test_gaps_law import PREFIXES

    store = make_store(LAW, case_turtle("first", **CASES["below-threshold"]))
    assert {f["case_id"] for f in find_gaps(store)} == {"first"}
    added = Graph().parse(data=PREFIXES + case_turtle("second", **CASES["unlabelled"]), format="turtle")
    store.replace_graphs({"https://w3id.org/deepfake-kg/graph/case/second": added.serialize(format="nt")})
    assert "obligation-without-sanction" in ids(find_gaps(store), "second", "gap")
    store.replace_graphs({}, drop=["https://w3id.org/deepfake-kg/graph/case/second"])
    assert {f["case_id"] for f in find_gaps(store)} == {"first"}


def test_a_json_ld_proposal_with_its_context_inline_is_read(fixture_store, tmp_path):
    proposal = tmp_path / "gait.jsonld"
    proposal.write_text("""{"@context": {"dfk": "https://w3id.org/deepfake-kg/ontology/"},
      "@graph": [
        {"@id": "https://example.org/gait", "@type": "dfk:Provision", "dfk:hasVersion": {"@id": "https://example.org/gait/v"}},
        {"@id": "https://example.org/gait/v", "@type": "dfk:ProvisionVersion", "dfk:hasStatus": {"@id": "dfk:Proposed"},
         "dfk:hasJurisdiction": {"@id": "https://w3id.org/deepfake-kg/id/jurisdiction/ZZ"},
         "dfk:hasSanctionKind": {"@id": "dfk:CriminalSanction"}, "dfk:addressee": {"@id": "dfk:Perpetrator"},
         "dfk:hasElement": {"@type": "dfk:DataCategoryElement", "dfk:hasCondition": {
             "dfk:onField": {"@id": "dfk:hasBiometricCategory"}, "dfk:acceptsValue": {"@id": "dfk:GaitBiometric"}}}}]}""",
                        encoding="utf-8")
    closed = {(f["gap"], f["case_id"]) for f in what_if(fixture_store, [proposal])["closed"]}
    assert ("unprotected-biometric-category", "gait") in closed
    # it protects only gait and covers no stage of use, so the facial lawful-acquisition finding stays
    assert ("lawful-acquisition-unlawful-use", "lawful-own-capture") not in closed
