"""Competency questions over the law knowledge base: each named query in queries/competency/ against its expected answer."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.sparql_guard import check_read_only
from deepfake_kg.store import EmbeddedStore

COMPETENCY_DIR = QUERIES_DIR / "competency"
DFK = "https://w3id.org/deepfake-kg/ontology/"
PROVISION = "https://w3id.org/deepfake-kg/id/provision/"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
ELI_AI_ACT = "http://data.europa.eu/eli/reg/2024/1689/"
ELI_GDPR = "http://data.europa.eu/eli/reg/2016/679/"


@pytest.fixture(scope="module")
def law_store() -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(None)
    store.ensure_loaded()
    yield store
    store.close()


def ask(store: EmbeddedStore, name: str, code: str | None = None, on: str | None = None) -> list[dict[str, str]]:
    """Run a competency query with optional jurisdiction and date parameters; rows as {variable: value}."""
    substitutions = {}
    if code is not None:
        substitutions[ox.Variable("jurisdictionCode")] = ox.Literal(code)
    if on is not None:
        substitutions[ox.Variable("onDate")] = ox.Literal(on, datatype=XSD_DATE)
    text = (COMPETENCY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.oxigraph.query(text, use_default_graph_as_union=True, substitutions=substitutions)
    names = [variable.value for variable in solutions.variables]
    return [{name: solution[name].value for name in names if solution[name] is not None} for solution in solutions]


def provisions(rows: list[dict[str, str]], **where: str) -> set[str]:
    return {row["provision"].removeprefix(PROVISION) for row in rows
            if all(row.get(key) == DFK + value for key, value in where.items())}


def test_every_competency_query_is_read_only_and_documented() -> None:
    files = sorted(COMPETENCY_DIR.glob("*.rq"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        check_read_only(text)
        assert text.startswith("# What it answers:"), path.name
        assert "# Serves:" in text, path.name


def test_cn_provisions_covering_sexual_deepfake_dissemination_on_2024_05_01(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "in-force-sexual-dissemination", "CN", "2024-05-01")
    assert provisions(rows, sanctionKind="CriminalSanction") == {
        "cn-criminal-law-art-246", "cn-criminal-law-art-286-1", "cn-criminal-law-art-363", "cn-criminal-law-art-364"}
    versions = {row["version"].removeprefix(PROVISION) for row in rows}
    assert "cn-criminal-law-art-246/v/2013-09-10" in versions
    assert "cn-criminal-law-art-246/v/1997-10-01" not in versions
    assert "cn-psapl-art-42" in provisions(rows, sanctionKind="AdministrativeSanction")
    assert provisions(rows, sanctionKind="NoSanction") == {"cn-audio-video-regulations-art-11"}
    # false-information offence needs news-like content; proposals are not law
    assert "cn-criminal-law-art-291-1-2" not in provisions(rows)
    assert not any("proposal" in provision for provision in provisions(rows))
    # the 2025 labelling measures apply only from 2025-09-01
    assert "cn-ai-labeling-measures-labelling-duty" not in provisions(rows)
    later = ask(law_store, "in-force-sexual-dissemination", "CN", "2025-10-01")
    assert "cn-ai-labeling-measures-labelling-duty" in provisions(later)


def test_biometric_categories_no_cn_criminal_provision_protects(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "unprotected-biometric-categories", "CN", "2024-05-01")
    assert {row["code"] for row in rows} == {"gait", "keystroke"}
    # before Amendment (IX) nothing modelled protects any category in CN criminal law
    assert len(ask(law_store, "unprotected-biometric-categories", "CN", "2015-01-01")) == 7
    # GB criminal law modelled here protects a person's face and body only in intimate images (s.66B, s.66E, s.66F)
    assert {row["code"] for row in ask(law_store, "unprotected-biometric-categories", "GB", "2026-03-01")} == {
        "voice", "gait", "fingerprint", "iris", "keystroke"}


def test_provisions_needing_a_view_or_repost_threshold(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "dissemination-threshold-provisions")
    found = {(row["provision"].removeprefix(PROVISION), row["field"].removeprefix(DFK), float(row["minimum"])) for row in rows}
    assert found == {("cn-criminal-law-art-246", "viewCount", 5000.0), ("cn-criminal-law-art-246", "repostCount", 500.0)}
    assert {row["definedBy"] for row in rows} == {PROVISION + "cn-2013-online-defamation-interpretation-art-2"}
    assert {row["from"] for row in rows} == {"2013-09-10"}


def test_obligations_that_carry_no_sanction(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "obligations-without-sanction")
    assert {row["version"].removeprefix(PROVISION) for row in rows} == {
        "cn-audio-video-regulations-art-11/v/2020-01-01", "eu-ai-act-art-5-1-e/v/2025-02-02"}
    ai_act = next(row for row in rows if "eu-ai-act" in row["version"])
    assert ai_act["until"] == "2025-08-02"


def test_what_kr_criminalised_before_and_after_the_2024_amendment(law_store: EmbeddedStore) -> None:
    before = ask(law_store, "criminalised-acts-on-date", "KR", "2024-08-01")
    after = ask(law_store, "criminalised-acts-on-date", "KR", "2024-12-01")
    acts_before = {row["actCode"] for row in before}
    acts_after = {row["actCode"] for row in after}
    assert acts_before == {"create", "disseminate", "sell_content"}
    assert acts_after - acts_before == {"possess", "view"}
    assert {float(row["maxYears"]) for row in before} == {5.0}
    assert max(float(row["maxYears"]) for row in after) == 7.0
    assert {float(row["maxYears"]) for row in after if row["actCode"] in {"possess", "view"}} == {3.0}


def test_gb_creation_offence_starts_on_2026_02_06(law_store: EmbeddedStore) -> None:
    day_before = {row["actCode"] for row in ask(law_store, "criminalised-acts-on-date", "GB", "2026-02-05")}
    first_day = {row["actCode"] for row in ask(law_store, "criminalised-acts-on-date", "GB", "2026-02-06")}
    assert day_before == {"disseminate", "threaten_to_disseminate"}
    assert first_day - day_before == {"create", "request_creation"}
    assert ask(law_store, "criminalised-acts-on-date", "GB", "2024-01-30") == []


def test_us_federal_law_applies_in_california_from_the_take_it_down_act(law_store: EmbeddedStore) -> None:
    before = {row["provision"] for row in ask(law_store, "criminalised-acts-on-date", "US-CA", "2025-05-18")}
    after = {row["provision"] for row in ask(law_store, "criminalised-acts-on-date", "US-CA", "2025-05-19")}
    assert after - before == {PROVISION + "us-take-it-down-act-publication-offence"}


def test_eu_provisions_applying_to_a_case_in_germany_on_2026_09_01(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "applicable-provisions-in-jurisdiction", "DE", "2026-09-01")
    assert {row["provision"] for row in rows} == {
        ELI_GDPR + "art_9/oj", PROVISION + "eu-gdpr-art-4-14", PROVISION + "eu-ai-act-art-3-60",
        PROVISION + "eu-ai-act-art-5-1-e", PROVISION + "eu-ai-act-art-50-4"}
    assert {row["lawOf"] for row in rows} == {"https://w3id.org/deepfake-kg/id/jurisdiction/EU"}
    fines = {row["version"].removeprefix(PROVISION) for row in rows if row["sanctionKind"] == DFK + "AdministrativeSanction"}
    assert "eu-ai-act-art-5-1-e/v/2025-08-02" in fines
    # one month earlier Art. 50(4) did not yet apply
    july = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "DE", "2026-07-01")}
    assert PROVISION + "eu-ai-act-art-50-4" not in july
    # every member state gets the same EU law
    france = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "FR", "2026-09-01")}
    assert france == {row["provision"] for row in rows}
    assert all(ELI_AI_ACT not in row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "CN", "2026-09-01"))


def test_cn_and_hk_are_separate_legal_systems(law_store: EmbeddedStore) -> None:
    hong_kong = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "HK", "2024-02-01")}
    assert hong_kong == {PROVISION + "hk-theft-ordinance-s17"}
    mainland = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "CN", "2024-02-01")}
    assert PROVISION + "hk-theft-ordinance-s17" not in mainland and mainland


def test_interpretations_define_the_thresholds_of_the_provisions_they_interpret(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "interpretation-thresholds")
    pairs = {(row["interpretation"].removeprefix(PROVISION), row["provision"].removeprefix(PROVISION)) for row in rows}
    assert pairs == {
        ("cn-2013-online-defamation-interpretation-art-2", "cn-criminal-law-art-246"),
        ("cn-2017-personal-information-interpretation-art-5", "cn-criminal-law-art-253-1"),
        ("cn-2016-telecom-fraud-opinion-amount-tiers", "cn-criminal-law-art-266")}
    fraud = sorted(float(row["minimum"]) for row in rows if row["provision"].endswith("art-266"))
    assert fraud == [3000.0, 30000.0, 500000.0]
    assert {row["currency"] for row in rows if row["provision"].endswith("art-266")} == {"CNY"}
    defamation_results = {row.get("accepted") for row in rows if row["provision"].endswith("art-246")}
    assert DFK + "MentalDisorderOrSelfHarm" in defamation_results


def test_cn_criminal_law_covers_obtaining_and_transferring_but_not_using(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "criminal-data-stages", "CN", "2024-05-01")
    assert {row["stage"].removeprefix(DFK) for row in rows} == {"ObtainingStage", "TransferringStage"}
    assert provisions(rows) == {"cn-criminal-law-art-253-1"}
    us = ask(law_store, "criminal-data-stages", "US", "2024-05-01")
    assert "UsingStage" in {row["stage"].removeprefix(DFK) for row in us}


def test_which_notice_makes_a_platform_liable(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "platform-notice-triggers")
    notices: dict[str, set[str]] = {}
    for row in rows:
        notices.setdefault(row["provision"].removeprefix(PROVISION), set()).add(row["notice"].removeprefix(DFK))
    assert notices["cn-criminal-law-art-286-1"] == {"RegulatorNotice"}
    assert notices["us-take-it-down-act-platform-removal"] == {"VictimNotice"}
    assert notices["cn-proposal-platform-removal-duty"] == {"VictimNotice", "RegulatorNotice"}
    proposal = {row["status"] for row in rows if "proposal" in row["provision"]}
    assert proposal == {DFK + "Proposed"}
    take_it_down = {row["from"] for row in rows if "take-it-down" in row["provision"]}
    assert take_it_down == {"2026-05-19"}


def test_the_deepfakes_accountability_act_is_recorded_as_never_enacted(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "unenacted-law")
    bills = {row["identifier"]: row for row in rows if row["identifier"].startswith("H.R.")}
    assert set(bills) == {"H.R.3230 (116th Congress)", "H.R.2395 (117th Congress)", "H.R.5586 (118th Congress)"}
    for bill in bills.values():
        assert bill["status"] == DFK + "NeverEnacted"
        assert "never enacted" in bill["comment"] and "seed paper" in bill["comment"]
    proposals = [row for row in rows if row["status"] == DFK + "Proposed"]
    assert len(proposals) == 3
    assert {row["verification"] for row in proposals} == {DFK + "SeedPaperOnly"}


def test_versions_of_a_provision_follow_each_other_without_gap(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "provision-version-history")
    by_provision: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_provision.setdefault(row["provision"].removeprefix(PROVISION), []).append(row)
    assert {"cn-criminal-law-art-246", "cn-criminal-law-art-253-1", "cn-psapl-art-42",
            "kr-sexual-crimes-act-art-14-2", "eu-ai-act-art-5-1-e"} <= set(by_provision)
    for history in by_provision.values():
        for earlier, later in zip(history, history[1:]):
            assert earlier["until"] == later["from"]
        assert "until" not in history[-1]


def test_every_unverified_version_says_what_was_not_verified(law_store: EmbeddedStore) -> None:
    rows = ask(law_store, "unverified-law")
    versions = [row for row in rows if row["kind"] == DFK + "ProvisionVersion"]
    assert versions
    assert all(row.get("note") for row in versions)


def test_england_gets_the_sexual_offences_act_and_scotland_does_not(law_store: EmbeddedStore) -> None:
    england = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "GB-ENG", "2026-03-01")}
    assert PROVISION + "gb-soa-2003-s66e" in england
    assert ask(law_store, "applicable-provisions-in-jurisdiction", "GB-SCT", "2026-03-01") == []
    texas = {row["provision"] for row in ask(law_store, "applicable-provisions-in-jurisdiction", "US-TX", "2025-06-01")}
    assert PROVISION + "us-take-it-down-act-publication-offence" in texas
    assert PROVISION + "us-ca-civil-code-1708-86" not in texas
