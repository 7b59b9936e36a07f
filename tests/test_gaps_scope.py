"""Gap findings honour the modelling scope: built from a made-up law whose scope each test declares.

For every gap type the same case goes three ways: with the domain it engages declared not modelled it gets
the notice unmodeled-law and no gap; declared complete, the gap; with a modelled provision that reaches it,
neither. A conviction or a criminal provision the authority applied is never a harm-without-criminal-liability
gap, and what-if proposals may declare scope too.
"""

from __future__ import annotations

import pytest

from deepfake_kg.gaps import find_gaps, what_if
from test_gaps_law import PROVISIONS, case_turtle, make_store, scope_turtle

SEXUAL = {"content_type": ["sexual"]}
ZZ_CODE = "ZZ Test Code Art. 99"


def offence(name: str, norm: str, sanction: str, elements: str, addressee: str = "Perpetrator", extra: str = "") -> str:
    """A modelled provision of ZZ, in force from 2010, with the given elements (Turtle)."""
    return f"""
id:provision\\/zz-{name} a dfk:Provision ; dfk:isPartOf id:instrument\\/zz-code ; dfk:localIdentifier "Art. {name}" ;
    dct:title "{name}" ; dfk:hasVersion id:provision\\/zz-{name}\\/v .
id:provision\\/zz-{name}\\/v a dfk:ProvisionVersion ; dfk:hasStatus dfk:InForce ; dfk:hasJurisdiction id:jurisdiction\\/ZZ ;
    dfk:validFrom "2010-01-01"^^xsd:date ; dfk:hasNormKind dfk:{norm} ; dfk:hasSanctionKind dfk:{sanction} ;
    dfk:addressee dfk:{addressee} ; {extra} dfk:hasElement {elements} .
"""


def element(kind: str, field: str, *values: str) -> str:
    accepted = " , ".join(f"dfk:{value}" for value in values)
    return f"[ a dfk:{kind} ; dfk:hasCondition [ dfk:onField dfk:{field} ; dfk:acceptsValue {accepted} ] ]"


# gap type -> (the case's fields, the (domain, sanction kind) the finding turns on, a modelled provision reaching it)
TRIOS = {
    "harm-without-criminal-liability": (
        {}, ("Harassment", "Criminal"),
        offence("harassment", "OffenceNorm", "CriminalSanction", element("ResultElement", "hasHarm", "PsychologicalHarm"))),
    "unprotected-biometric-category": (
        {"biometric_data": ["gait"], "data_source": "stolen"}, ("PersonalData", "Criminal"),
        offence("gait", "OffenceNorm", "CriminalSanction", element("DataCategoryElement", "hasBiometricCategory", "GaitBiometric"),
                extra="dfk:coversDataStage dfk:UsingStage ;")),
    "lawful-acquisition-unlawful-use": (
        {}, ("PersonalData", "Criminal"),
        offence("face-use", "OffenceNorm", "CriminalSanction",
                element("DataCategoryElement", "hasBiometricCategory", "FacialBiometric"),
                extra="dfk:coversDataStage dfk:UsingStage ;")),
    "threshold-under-inclusion": (
        {**SEXUAL, "views": 1000, "reposts": 10}, ("Obscenity", "Criminal"),
        offence("sexual-deepfake", "OffenceNorm", "CriminalSanction",
                element("ContentElement", "hasContentType", "SexualContent") + " , "
                + element("ConductElement", "hasAct", "Disseminate"))),
    "obligation-without-sanction": (
        {"labelled_synthetic": "no"}, ("LabellingDuties", "Administrative"),
        offence("label-fine", "ObligationNorm", "AdministrativeSanction",
                element("ConductElement", "hasAct", "Disseminate") + " , "
                + element("LabelElement", "isLabelledSynthetic", "No"))),
    "platform-notice-gap": (
        {"platform_notice": "victim", "platform_removed": "no"}, ("PlatformDuties", "Administrative"),
        offence("victim-notice", "AdministrativeViolationNorm", "AdministrativeSanction",
                element("TriggerElement", "hasPlatformNotice", "VictimNotice") + " , "
                + element("RemovalElement", "wasRemovedByPlatform", "No"), addressee="PlatformRole")),
}
LABELS = {"Harassment": "harassment, stalking and malicious communications", "PersonalData": "personal-data and biometric-data offences",
          "Obscenity": "obscenity", "LabellingDuties": "labelling and transparency duties", "PlatformDuties": "platform duties"}


def findings_about(gap: str, *turtle: str, fields: dict | None = None) -> list[dict]:
    """The findings about one gap type for the case "c" with `fields`, over the made-up law plus `turtle`."""
    store = make_store(*turtle, case_turtle("c", **(fields or {})))
    try:
        return [finding for finding in find_gaps(store) if finding["about"] == gap and finding["case_id"] == "c"]
    finally:
        store.close()


def kinds(found: list[dict]) -> set[tuple[str, str]]:
    return {(finding["gap"], finding["kind"]) for finding in found}


@pytest.mark.parametrize("gap", sorted(TRIOS))
def test_a_domain_declared_not_modelled_gives_unmodeled_law_and_no_gap(gap):
    fields, (domain, kind), _ = TRIOS[gap]
    key = ("ZZ", domain, kind)
    found = findings_about(gap, PROVISIONS, scope_turtle({key: "NotModelled"}, known={key: ZZ_CODE}), fields=fields)
    assert kinds(found) == {("unmodeled-law", "notice")}
    explanation = found[0]["explanation"]
    assert f"ZZ {LABELS[domain]} law ({kind.lower()})" in explanation and "declared not modelled" in explanation
    assert ZZ_CODE in explanation and gap in explanation


@pytest.mark.parametrize("gap", sorted(TRIOS))
def test_a_domain_with_no_declaration_is_not_modelled(gap):
    fields, (domain, kind), _ = TRIOS[gap]
    found = findings_about(gap, PROVISIONS, scope_turtle({("ZZ", domain, kind): None}), fields=fields)
    assert kinds(found) == {("unmodeled-law", "notice")}
    assert "not declared modelled in the knowledge base" in found[0]["explanation"]


@pytest.mark.parametrize("gap", sorted(TRIOS))
def test_declared_complete_the_same_case_is_the_gap_citing_the_declaration(gap):
    fields, (domain, kind), _ = TRIOS[gap]
    found = findings_about(gap, PROVISIONS, scope_turtle(), fields=fields)
    assert kinds(found) == {(gap, "gap")}
    explanation = found[0]["explanation"]
    assert "; derivable because " in explanation
    assert f"the knowledge base declares its model of ZZ {LABELS[domain]} law ({kind.lower()}) complete" in explanation


@pytest.mark.parametrize("gap", sorted(TRIOS))
def test_a_modelled_provision_that_reaches_the_case_closes_the_gap_again(gap):
    fields, _, reaching = TRIOS[gap]
    assert findings_about(gap, PROVISIONS, scope_turtle(), reaching, fields=fields) == []


def test_a_complete_declaration_that_ends_before_the_act_date_does_not_count():
    ended = scope_turtle({("ZZ", "Harassment", "Criminal"): None}) + """
id:scope\\/zz-harassment-until-2020 a dfk:ModellingScope ; dfk:scopeJurisdiction id:jurisdiction\\/ZZ ;
    dfk:scopeDomain dfk:HarassmentDomain ; dfk:scopeSanctionKind dfk:CriminalSanction ;
    dfk:scopeFrom "1990-01-01"^^xsd:date ; dfk:scopeUntil "2020-01-01"^^xsd:date ; dfk:hasCompleteness dfk:CompleteModel .
"""
    assert kinds(findings_about("harm-without-criminal-liability", PROVISIONS, ended)) == {("unmodeled-law", "notice")}
    assert kinds(findings_about("harm-without-criminal-liability", PROVISIONS, ended, fields={"act_date": "2019-05-10"})) \
        == {("harm-without-criminal-liability", "gap")}


def test_the_law_above_the_case_jurisdiction_must_be_declared_too():
    fields = {"jurisdiction": "ZZ-A"}
    assert kinds(findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(), fields=fields)) \
        == {("harm-without-criminal-liability", "gap")}
    missing_above = scope_turtle({("ZZ", "Harassment", "Criminal"): None})
    found = findings_about("harm-without-criminal-liability", PROVISIONS, missing_above, fields=fields)
    assert kinds(found) == {("unmodeled-law", "notice")} and "ZZ harassment" in found[0]["explanation"]


def test_an_unknown_fact_engages_every_domain_it_might():
    sexual = {**SEXUAL, "views": 1000, "reposts": 10}
    csam_missing = scope_turtle({("ZZ", "ChildSexualAbuseMaterial", "Criminal"): None})
    # a subject who may be a minor engages child sexual abuse material: that law must be declared
    unknown = findings_about("harm-without-criminal-liability", PROVISIONS, csam_missing, fields=sexual)
    assert kinds(unknown) == {("unmodeled-law", "notice")} and "child sexual abuse material" in unknown[0]["explanation"]
    # an adult subject does not
    adult = case_turtle("c", **sexual).replace(" .\n", " ;\n    dfk:isSubjectMinor dfk:No .\n")
    store = make_store(PROVISIONS, csam_missing, adult)
    found = {(f["gap"], f["about"]) for f in find_gaps(store) if f["case_id"] == "c"}
    store.close()
    assert ("harm-without-criminal-liability", "harm-without-criminal-liability") in found


def record_facts(turtle: str) -> str:
    return "id:case\\/c " + turtle + " .\n"


def test_a_conviction_under_an_unmodelled_provision_is_unmodeled_law_naming_it_never_the_gap():
    applied = record_facts(f'dfk:hasOutcome dfk:Convicted ; dfk:hasProceedingKind dfk:CriminalJudgment ; '
                           f'dfk:appliedProvisionCitation "{ZZ_CODE}"')
    found = findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(), applied)
    assert kinds(found) == {("unmodeled-law", "notice")}
    assert f"was convicted under {ZZ_CODE}, which the knowledge base does not model" in found[0]["explanation"]


def test_a_conviction_that_names_no_provision_still_shows_the_law_reached_it():
    found = findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(),
                           record_facts("dfk:hasOutcome dfk:Convicted"))
    assert kinds(found) == {("unmodeled-law", "notice")} and "criminal law the record does not name" in found[0]["explanation"]


def test_a_prosecution_under_an_external_provision_is_never_the_gap():
    applied = record_facts("dfk:hasProceedingKind dfk:Prosecution ; "
                           "dfk:appliedProvision <https://www.legislation.gov.uk/ukpga/1997/40/section/2>")
    found = findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(), applied)
    assert kinds(found) == {("unmodeled-law", "notice")}
    assert "https://www.legislation.gov.uk/ukpga/1997/40/section/2" in found[0]["explanation"]


def test_a_conviction_under_a_modelled_provision_that_does_not_reach_asks_for_a_check():
    applied = record_facts("dfk:hasOutcome dfk:Convicted ; dfk:appliedProvision id:provision\\/zz-obscene")
    found = findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(), applied)
    assert kinds(found) == {("undetermined", "notice")}
    assert "the record or the model needs checking" in found[0]["explanation"]


def test_an_acquittal_leaves_the_gap():
    found = findings_about("harm-without-criminal-liability", PROVISIONS, scope_turtle(),
                           record_facts("dfk:hasOutcome dfk:Acquitted"))
    assert kinds(found) == {("harm-without-criminal-liability", "gap")}


def test_a_what_if_proposal_may_declare_scope_and_is_honoured(tmp_path):
    key = ("ZZ", "Harassment", "Criminal")
    store = make_store(PROVISIONS, scope_turtle({key: None}), case_turtle("c"))
    declaration = tmp_path / "scope.ttl"
    declaration.write_text("""
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/scope/zz-harassment> a dfk:ModellingScope ;
    dfk:scopeJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/ZZ> ; dfk:scopeDomain dfk:HarassmentDomain ;
    dfk:scopeSanctionKind dfk:CriminalSanction ; dfk:scopeFrom "1990-01-01"^^xsd:date ; dfk:hasCompleteness dfk:CompleteModel .
""", encoding="utf-8")
    try:
        result = what_if(store, [declaration])
    finally:
        store.close()
    closed = {(f["gap"], f["about"]) for f in result["closed"] if f["case_id"] == "c"}
    opened = {(f["gap"], f["about"]) for f in result["opened"] if f["case_id"] == "c"}
    assert ("unmodeled-law", "harm-without-criminal-liability") in closed
    assert ("harm-without-criminal-liability", "harm-without-criminal-liability") in opened


def test_a_record_that_names_only_a_jurisdiction_with_parts_needs_their_law_declared_too():
    missing_in_part = scope_turtle({("ZZ-A", "Harassment", "Criminal"): None})
    found = findings_about("harm-without-criminal-liability", PROVISIONS, missing_in_part)
    assert kinds(found) == {("unmodeled-law", "notice")}
    assert "the record names only ZZ, not which of the jurisdictions within it with law of their own (1)" in found[0]["explanation"]
