"""Issue 15, item 5: three modelling artefacts fixed from the text of the law, checked on synthetic cases.

1. Intimate-image offences (GB SOA 2003 s.66B, s.66E, s.66F; US TAKE IT DOWN Act, 47 U.S.C. 223(h)) protect a
   person's visual likeness: a data-category element on face and body (not voice), covering use of the likeness
   whatever its source. A sexual deepfake of a face that s.66B reaches is then neither an unprotected category
   nor a lawful-acquisition, unlawful-use case; a voice-only case still is.
2. KR Art. 14-2 states its stages (editing = using, distributing = transferring; purchasing / possessing from the
   2024 amendment = obtaining), and the pre-2024 editing offence needs a purpose of distribution that the
   2024 version drops.
3. CN Art. 287-1 / 287-2 need the network conduct to serve a criminal purpose or another's crime; a recorded
   harm alone never meets them, so they do not reach a civil-only voice-cloning case.

The cases are made up from the elements of the provisions (no case of the knowledge base is named); they are
loaded beside the real knowledge base in a test graph and judged by the ordinary gap engine. So that the facts
alone decide, the overlay also declares the criminal law of GB, KR and CN complete in the legal domains the tested
gap types need (modelling-scope.md); where the engine still answers unmodeled-law for a finding, the tests
accept that notice in place of the gap, because whether a gap is derivable is the scope's business, not the law's.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from deepfake_kg.gaps import find_gaps
from deepfake_kg.gaps.working import Scenario, build, graph_triples, is_context_graph
from deepfake_kg.namespaces import GRAPH
from deepfake_kg.store import EmbeddedStore

DFK = "https://w3id.org/deepfake-kg/ontology/"
PROVISION = "https://w3id.org/deepfake-kg/id/provision/"
PREFIXES = """
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix id: <https://w3id.org/deepfake-kg/id/> .
@prefix dct: <http://purl.org/dc/terms/> .
"""

# case-record codes (case-records.md) -> (ontology property, {code: individual})
CODES = {
    "acts": ("hasAct", {"create": "Create", "request_creation": "RequestCreation", "possess": "Possess", "view": "View",
                        "disseminate": "Disseminate", "threaten_to_disseminate": "ThreatenToDisseminate", "sell_content": "SellContent", "sell_tool": "SellTool",
                        "provide_service": "ProvideService", "impersonate": "Impersonate"}),
    "biometric_data": ("hasBiometricCategory", {"facial": "FacialBiometric", "voice": "VoiceBiometric",
                                                "body": "BodyBiometric", "gait": "GaitBiometric"}),
    "data_source": ("hasDataSource", {"public_online": "PublicOnline", "consented_other_purpose": "ConsentedOtherPurpose",
                                      "own_capture": "OwnCapture", "stolen": "Stolen", "unknown": "DataSourceUnknown"}),
    "content_type": ("hasContentType", {"sexual": "SexualContent", "defamatory": "DefamatoryContent",
                                        "commercial_endorsement": "CommercialEndorsementContent", "other": "OtherContent"}),
    "media": ("hasMedium", {"image": "Image", "video": "Video", "audio": "Audio"}),
    "techniques": ("hasTechnique", {"face_swap": "FaceSwap", "voice_clone": "VoiceClone"}),
    "subject_consent": ("hasSubjectConsent", {"yes": "Yes", "no": "No", "unknown": "Unknown"}),
    "subject_minor": ("isSubjectMinor", {"yes": "Yes", "no": "No", "unknown": "Unknown"}),
    "intent": ("hasIntent", {"profit": "ProfitIntent", "deception": "DeceptionIntent", "harassment": "HarassmentIntent",
                             "sexual_gratification": "SexualGratificationIntent"}),
    "harms": ("hasHarm", {"psychological": "PsychologicalHarm", "privacy": "PrivacyHarm", "property_loss": "PropertyLoss",
                          "reputational": "ReputationalHarm"}),
    "proceeding": ("hasProceedingKind", {"civil_judgment": "CivilJudgment"}),
    "outcome": ("hasOutcome", {"civil_liability": "CivilLiabilityImposed"}),
}

# a sexual deepfake of an adult's face, shared without consent: the facts every intimate-image offence names
SEXUAL_IMAGE = {"acts": ["create", "disseminate"], "biometric_data": ["facial"], "data_source": "public_online",
                "content_type": ["sexual"], "media": ["image"], "subject_consent": "no", "subject_minor": "no",
                "intent": ["harassment"], "harms": ["psychological"]}
# a voice cloned without consent for a commercial product, ending in civil liability only
CIVIL_VOICE_CLONE = {"acts": ["create", "provide_service", "sell_tool"], "biometric_data": ["voice"],
                     "data_source": "consented_other_purpose", "content_type": ["commercial_endorsement"],
                     "media": ["audio"], "techniques": ["voice_clone"], "subject_consent": "no", "intent": ["profit"],
                     "harms": ["privacy"], "proceeding": "civil_judgment", "outcome": "civil_liability"}

CASES: dict[str, dict] = {
    # 1. GB and US intimate-image offences
    "art-gb-sexual-face": {"jurisdiction": "GB", "act_date": "2024-06-01", **SEXUAL_IMAGE},
    "art-gb-sexual-voice": {"jurisdiction": "GB", "act_date": "2024-06-01", **SEXUAL_IMAGE,
                            "biometric_data": ["voice"], "media": ["audio"]},
    "art-gb-sexual-face-and-voice": {"jurisdiction": "GB", "act_date": "2024-06-01", **SEXUAL_IMAGE,
                                     "biometric_data": ["facial", "voice"], "media": ["video"]},
    "art-gb-sexual-face-before-s66b": {"jurisdiction": "GB", "act_date": "2023-06-01", **SEXUAL_IMAGE},
    "art-gb-created-face-2026": {"jurisdiction": "GB", "act_date": "2026-03-01", **SEXUAL_IMAGE, "acts": ["create"]},
    "art-us-sexual-face": {"jurisdiction": "US", "act_date": "2025-07-01", **SEXUAL_IMAGE},
    "art-us-sexual-voice": {"jurisdiction": "US", "act_date": "2025-07-01", **SEXUAL_IMAGE,
                            "biometric_data": ["voice"], "media": ["audio"]},
    # 2. KR Art. 14-2 before and after the 2024 amendment
    "art-kr-created-only-2024-08": {"jurisdiction": "KR", "act_date": "2024-08-01", **SEXUAL_IMAGE,
                                    "acts": ["create"], "intent": ["sexual_gratification"]},
    "art-kr-created-only-purpose-unknown-2024-08": {"jurisdiction": "KR", "act_date": "2024-08-01", **SEXUAL_IMAGE,
                                                    "acts": ["create"], "intent": None},
    "art-kr-created-and-shared-2024-08": {"jurisdiction": "KR", "act_date": "2024-08-01", **SEXUAL_IMAGE},
    "art-kr-created-and-threatened-2024-08": {"jurisdiction": "KR", "act_date": "2024-08-01", **SEXUAL_IMAGE,
                                              "acts": ["create", "threaten_to_disseminate"]},
    "art-kr-created-only-2025-03": {"jurisdiction": "KR", "act_date": "2025-03-01", **SEXUAL_IMAGE,
                                    "acts": ["create"], "intent": ["sexual_gratification"]},
    "art-kr-viewed-2025-03": {"jurisdiction": "KR", "act_date": "2025-03-01", **SEXUAL_IMAGE, "acts": ["view"]},
    "art-kr-face-and-gait-2025-03": {"jurisdiction": "KR", "act_date": "2025-03-01", **SEXUAL_IMAGE,
                                     "biometric_data": ["facial", "gait"], "media": ["video"]},
    # 3. CN Art. 287-1 / 287-2
    "art-cn-civil-voice-clone": {"jurisdiction": "CN", "act_date": "2024-06-01", **CIVIL_VOICE_CLONE},
    "art-cn-voice-clone-for-fraud": {"jurisdiction": "CN", "act_date": "2024-06-01", **CIVIL_VOICE_CLONE,
                                     "intent": ["deception", "profit"], "harms": ["property_loss"],
                                     "proceeding": None, "outcome": None},
    "art-cn-voice-clone-purpose-unknown": {"jurisdiction": "CN", "act_date": "2024-06-01", **CIVIL_VOICE_CLONE,
                                           "intent": None, "content_type": None},
}


def case_turtle(case_id: str, record: dict) -> str:
    lines = [f'id:case\\/{case_id} a dfk:CaseRecord ; dfk:caseId "{case_id}" ;',
             f'    dct:title "synthetic case {case_id}" ; dct:source <https://example.org/test/{case_id}> ;',
             f'    dfk:hasJurisdiction id:jurisdiction\\/{record["jurisdiction"]} ; dfk:actDate "{record["act_date"]}" ;']
    for name, (prop, codes) in CODES.items():
        values = record.get(name)
        for value in [] if values is None else [values] if isinstance(values, str) else values:
            lines.append(f"    dfk:{prop} dfk:{codes[value]} ;")
    lines[-1] = lines[-1].rstrip(" ;") + " ."
    return "\n".join(lines) + "\n"


# the legal domains the tested gap types need complete (modelling-scope.md): the likeness-protecting domains for
# the two data gaps, and personal data, the one criminal domain the civil voice clone engages
SCOPE_DOMAINS = ("PersonalDataDomain", "IntimateImageDomain", "ChildSexualAbuseMaterialDomain", "ImpersonationDomain")


def scope_turtle(store: EmbeddedStore) -> str:
    """Declarations that the criminal law of the test jurisdictions is modelled completely in those domains."""
    known = {str(row["domain"]) for row in store.select(
        f"PREFIX dfk: <{DFK}> SELECT DISTINCT ?domain WHERE {{ ?domain a dfk:LegalDomain }}")}
    domains = [DFK + name for name in SCOPE_DOMAINS if DFK + name in known]
    return "".join(
        f'id:scope\\/test-{code.lower()}-{number} a dfk:ModellingScope ; dfk:scopeJurisdiction id:jurisdiction\\/{code} ;\n'
        f'    dfk:scopeDomain <{domain}> ; dfk:scopeSanctionKind dfk:CriminalSanction ; dfk:hasCompleteness dfk:CompleteModel ;\n'
        f'    dfk:scopeFrom "1990-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        for code in ("GB", "KR", "CN") for number, domain in enumerate(domains))


@pytest.fixture(scope="module")
def store() -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(None)
    store.ensure_loaded()
    text = PREFIXES + "".join(case_turtle(case_id, record) for case_id, record in CASES.items())
    store.oxigraph.load(text, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{GRAPH}test/law-artefacts"))
    store.oxigraph.load(PREFIXES + scope_turtle(store), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(f"{GRAPH}test/law-artefacts-scope"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def findings(store: EmbeddedStore) -> list[dict]:
    return [f for f in find_gaps(store) if f["case_id"].startswith("art-")]


@pytest.fixture(scope="module")
def working(store: EmbeddedStore) -> ox.Store:
    """The store's graphs with every derivation rule applied, as the gap engine sees them."""
    graphs = [str(row["g"]) for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
    return build(graph_triples(store, [g for g in graphs if is_context_graph(g)]),
                 graph_triples(store, [g for g in graphs if not is_context_graph(g)]), Scenario())


@pytest.fixture(scope="module")
def reach(working: ox.Store) -> dict[tuple[str, str], tuple[str, str]]:
    """(case id, provision slug) -> (reach status, reason), from the derivation rules over the store."""
    query = f"""PREFIX dfk: <{DFK}>
        SELECT ?id ?provision ?status ?reason WHERE {{
          ?a dfk:assessedCase ?case ; dfk:assessedVersion ?version ; dfk:hasReachStatus ?status ; dfk:reasonText ?reason .
          ?case dfk:caseId ?id . ?provision dfk:hasVersion ?version . FILTER(STRSTARTS(?id, "art-")) }}"""
    return {(row["id"].value, row["provision"].value.removeprefix(PROVISION)):
            (row["status"].value.removeprefix(DFK), row["reason"].value) for row in working.query(query)}


def about(findings: list[dict], case_id: str, gap: str) -> list[dict]:
    """Every finding of a case on that gap type: the gap itself, or a notice (undetermined, unmodeled-law) about it."""
    marker = {"unprotected-biometric-category": "unprotected-biometric-category gap",
              "lawful-acquisition-unlawful-use": "lawful-acquisition, unlawful-use gap",
              "harm-without-criminal-liability": "left without criminal liability"}[gap]
    return [f for f in findings if f["case_id"] == case_id
            and (f["gap"] == gap or f.get("about") == gap
                 or (f["gap"] == "undetermined" and marker in f["explanation"]))]


def stands(found: list[dict]) -> bool:
    """One finding that the facts make a gap: the gap, or unmodeled-law where the scope is not declared (never undetermined)."""
    return len(found) == 1 and (found[0]["kind"] == "gap" or found[0]["gap"] == "unmodeled-law")


def gap_text(found: list[dict]) -> str:
    """The explanation of a gap finding ('' for an unmodeled-law notice, whose text speaks of the scope instead)."""
    return found[0]["explanation"] if found and found[0]["kind"] == "gap" else ""


@pytest.fixture(scope="module")
def protected(working: ox.Store) -> dict[str, tuple[set[str], set[str]]]:
    """case id -> (categories a surely applicable criminal version protects, categories whose use one covers).

    The criterion of the rules unprotected-biometric-category and lawful-acquisition-unlawful-use, read from
    the derived assessments (so it holds whatever the scope declarations say)."""
    query = f"""PREFIX dfk: <{DFK}>
        SELECT ?id ?category ?use WHERE {{
          ?a dfk:assessedCase ?case ; dfk:assessedVersion ?version . ?case dfk:caseId ?id ; dfk:hasBiometricCategory ?category .
          FILTER(STRSTARTS(?id, "art-")) FILTER NOT EXISTS {{ ?a dfk:isApplicabilityUncertain true }}
          ?version dfk:hasSanctionKind dfk:CriminalSanction ; dfk:hasElement ?e .
          ?e a dfk:DataCategoryElement ; dfk:hasCondition/dfk:acceptsValue ?category .
          BIND(EXISTS {{ ?version dfk:coversDataStage dfk:UsingStage }} AS ?use) }}"""
    result: dict[str, tuple[set[str], set[str]]] = {}
    for row in working.query(query):
        categories, used = result.setdefault(row["id"].value, (set(), set()))
        category = row["category"].value.removeprefix(DFK)
        categories.add(category)
        if row["use"].value == "true":
            used.add(category)
    return result


def law(store: EmbeddedStore, query: str) -> list[dict]:
    return store.select(f"PREFIX dfk: <{DFK}>\n" + query)


# ------------------------------------------------------------------ 1. intimate-image offences protect a likeness

INTIMATE_IMAGE_VERSIONS = ["gb-soa-2003-s66b/v/2024-01-31", "gb-soa-2003-s66e/v/2026-02-06",
                           "gb-soa-2003-s66f/v/2026-02-06", "us-take-it-down-act-publication-offence/v/2025-05-19"]


@pytest.mark.parametrize("version", INTIMATE_IMAGE_VERSIONS)
def test_intimate_image_offences_protect_face_and_body_not_voice_and_cover_use(store, version):
    rows = law(store, f"""SELECT ?category WHERE {{ <{PROVISION}{version}> dfk:hasElement ?e .
        ?e a dfk:DataCategoryElement ; dfk:hasCondition [ dfk:onField dfk:hasBiometricCategory ; dfk:acceptsValue ?category ] }}""")
    assert {str(row["category"]).removeprefix(DFK) for row in rows} == {"FacialBiometric", "BodyBiometric"}
    stages = {str(row["stage"]).removeprefix(DFK) for row in law(store, f"""SELECT ?stage WHERE {{
        <{PROVISION}{version}> dfk:coversDataStage ?stage }}""")}
    assert "UsingStage" in stages
    # the text says nothing of how the image was obtained: no element on the data source
    assert not law(store, f"""SELECT ?e WHERE {{ <{PROVISION}{version}> dfk:hasElement ?e .
        ?e dfk:hasCondition/dfk:onField dfk:hasDataSource }}""")


def test_a_sexual_deepfake_of_a_face_reached_by_s66b_is_no_data_gap(findings, reach, protected):
    assert reach[("art-gb-sexual-face", "gb-soa-2003-s66b")][0] == "Reaches"
    assert protected["art-gb-sexual-face"] == ({"FacialBiometric"}, {"FacialBiometric"})
    assert about(findings, "art-gb-sexual-face", "unprotected-biometric-category") == []
    assert about(findings, "art-gb-sexual-face", "lawful-acquisition-unlawful-use") == []
    assert about(findings, "art-gb-sexual-face", "harm-without-criminal-liability") == []


def test_a_voice_only_sexual_deepfake_is_still_a_data_gap_in_gb(findings, reach, protected):
    status, reason = reach[("art-gb-sexual-voice", "gb-soa-2003-s66b")]
    assert status == "DoesNotReach" and "photograph or film" in reason
    assert "art-gb-sexual-voice" not in protected
    unprotected = about(findings, "art-gb-sexual-voice", "unprotected-biometric-category")
    lawful = about(findings, "art-gb-sexual-voice", "lawful-acquisition-unlawful-use")
    assert stands(unprotected) and stands(lawful)
    if text := gap_text(unprotected):
        assert "voice biometric" in text and "s.66B" in text and "protects only" in text


def test_with_face_and_voice_only_the_voice_is_left_unprotected(findings, protected):
    assert protected["art-gb-sexual-face-and-voice"] == ({"FacialBiometric"}, {"FacialBiometric"})
    unprotected = about(findings, "art-gb-sexual-face-and-voice", "unprotected-biometric-category")
    assert stands(unprotected)
    if text := gap_text(unprotected):
        assert "reproduces voice biometric, which" in text and "facial biometric, voice biometric" not in text


def test_before_s66b_came_into_force_the_face_was_unprotected_in_gb(findings, reach, protected):
    assert ("art-gb-sexual-face-before-s66b", "gb-soa-2003-s66b") not in reach
    assert "art-gb-sexual-face-before-s66b" not in protected
    assert stands(about(findings, "art-gb-sexual-face-before-s66b", "unprotected-biometric-category"))


def test_creating_a_purported_intimate_image_is_reached_from_2026(findings, reach):
    assert reach[("art-gb-created-face-2026", "gb-soa-2003-s66e")][0] == "Reaches"
    assert reach[("art-gb-created-face-2026", "gb-soa-2003-s66b")][0] == "DoesNotReach"
    assert about(findings, "art-gb-created-face-2026", "lawful-acquisition-unlawful-use") == []


def test_the_take_it_down_act_reaches_a_forged_face_but_not_a_cloned_voice(findings, reach):
    offence = "us-take-it-down-act-publication-offence"
    assert reach[("art-us-sexual-face", offence)][0] == "Reaches"
    status, reason = reach[("art-us-sexual-voice", offence)]
    assert status == "DoesNotReach" and "face, likeness" in reason
    for gap in ("unprotected-biometric-category", "lawful-acquisition-unlawful-use", "harm-without-criminal-liability"):
        assert about(findings, "art-us-sexual-face", gap) == []


# ------------------------------------------------------------------ 2. KR Art. 14-2: stages and the dropped purpose

def test_every_criminal_version_protecting_a_category_states_its_stages(store):
    rows = law(store, """SELECT DISTINCT ?version WHERE {
        ?version dfk:hasSanctionKind dfk:CriminalSanction ; dfk:hasElement ?e . ?e a dfk:DataCategoryElement .
        FILTER NOT EXISTS { ?version dfk:coversDataStage ?stage } }""")
    assert rows == []


def test_kr_article_14_2_covers_editing_distributing_and_from_2024_obtaining(store):
    stages = {}
    for row in law(store, f"""SELECT ?version ?stage WHERE {{ ?version dfk:coversDataStage ?stage .
            FILTER(STRSTARTS(STR(?version), "{PROVISION}kr-sexual-crimes-act-art-14-2")) }}"""):
        stages.setdefault(str(row["version"]).removeprefix(PROVISION), set()).add(str(row["stage"]).removeprefix(DFK))
    assert stages == {"kr-sexual-crimes-act-art-14-2/v/2020-06-25": {"UsingStage", "TransferringStage"},
                      "kr-sexual-crimes-act-art-14-2/v/2024-10-16": {"UsingStage", "TransferringStage"},
                      "kr-sexual-crimes-act-art-14-2-possession/v/2024-10-16": {"ObtainingStage"}}


def test_no_kr_finding_says_an_offence_covers_no_stated_stage(findings, protected):
    kr = [f for f in findings if f["jurisdiction"] == "KR"]
    assert kr and not [f for f in kr if "no stated stage" in f["explanation"]]
    # face and gait: the use of the face is covered, the gait is not, and the finding names Art. 14-2's stages
    assert protected["art-kr-face-and-gait-2025-03"][1] == {"FacialBiometric"}
    lawful = about(findings, "art-kr-face-and-gait-2025-03", "lawful-acquisition-unlawful-use")
    assert stands(lawful)
    if text := gap_text(lawful):
        assert "used gait biometric material" in text
        assert "Art. 14-2 (Producing and distributing false video material (sexual deepfakes)) covers using, transferring" in text
    assert about(findings, "art-kr-created-only-2025-03", "lawful-acquisition-unlawful-use") == []


def test_before_2024_editing_needed_a_purpose_of_distribution_and_after_it_does_not(reach):
    article = "kr-sexual-crimes-act-art-14-2"
    status, reason = reach[("art-kr-created-only-2024-08", article)]
    assert status == "DoesNotReach" and "purpose of distribution" in reason
    status, reason = reach[("art-kr-created-only-purpose-unknown-2024-08", article)]
    assert status == "MayReach" and "intent" in reason
    assert reach[("art-kr-created-and-shared-2024-08", article)][0] == "Reaches"
    # a threat to distribute is read as at least a conditional purpose of distribution
    assert reach[("art-kr-created-and-threatened-2024-08", article)][0] == "Reaches"
    assert reach[("art-kr-created-only-2025-03", article)][0] == "Reaches"


def test_viewing_is_reached_only_by_the_2024_possession_offence(reach):
    assert reach[("art-kr-viewed-2025-03", "kr-sexual-crimes-act-art-14-2-possession")][0] == "Reaches"
    assert reach[("art-kr-viewed-2025-03", "kr-sexual-crimes-act-art-14-2")][0] == "DoesNotReach"


# ------------------------------------------------------------------ 3. CN Art. 287-1 / 287-2 need another's crime

@pytest.mark.parametrize("provision", ["cn-criminal-law-art-287-1", "cn-criminal-law-art-287-2"])
def test_a_recorded_harm_alone_never_meets_the_network_offences(store, provision):
    rows = law(store, f"""SELECT ?e ?field WHERE {{ <{PROVISION}{provision}> dfk:hasVersion ?v . ?v dfk:hasElement ?e .
        ?e a dfk:IntentElement ; dfk:hasCondition/dfk:onField ?field }}""")
    fields = {str(row["field"]).removeprefix(DFK) for row in rows}
    assert fields and "hasHarm" not in fields


@pytest.mark.parametrize("provision", ["cn-criminal-law-art-287-1", "cn-criminal-law-art-287-2"])
def test_the_network_offences_do_not_reach_a_civil_only_voice_clone(reach, provision):
    status, reason = reach[("art-cn-civil-voice-clone", provision)]
    assert status == "DoesNotReach"
    assert "has intent is" in reason and "has content type is" in reason and "has harm" not in reason


def test_the_civil_voice_clone_is_a_gap_no_network_offence_hides(findings, reach):
    criminal = {provision: status for (case_id, provision), (status, _) in reach.items()
                if case_id == "art-cn-civil-voice-clone" and provision.startswith("cn-criminal-law-")}
    assert criminal and set(criminal.values()) == {"DoesNotReach"}
    harm = about(findings, "art-cn-civil-voice-clone", "harm-without-criminal-liability")
    assert stands(harm)
    if text := gap_text(harm):
        assert "Art. 287-1" in text and "Art. 287-2" in text and "civil sanction" in text


def test_a_fraud_purpose_meets_the_element_and_unknown_facts_leave_it_open(reach):
    assert reach[("art-cn-voice-clone-for-fraud", "cn-criminal-law-art-287-2")][0] == "Reaches"
    for provision in ("cn-criminal-law-art-287-1", "cn-criminal-law-art-287-2"):
        status, reason = reach[("art-cn-voice-clone-purpose-unknown", provision)]
        assert status == "MayReach" and "has intent" in reason and "has content type" in reason
