"""The curated cases in kb/cases/*.csv keep the contributor format of case-records.md.

The format's rules are written out here and checked with the standard csv module alone, so these
tests hold the data to the contract even where the loaders would be lenient.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from deepfake_kg.loaders.read import read_file
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.paths import KB_DIR
from deepfake_kg.store import EmbeddedStore

CASES_DIR = KB_DIR / "cases"

FIELDS = (
    "case_id", "title", "jurisdiction", "act_date", "acts", "biometric_data", "data_source", "source",
    "content_type", "techniques", "media", "subject_consent", "subject_minor", "intent", "harms",
    "loss_amount", "loss_currency", "views", "reposts", "victims", "labelled_synthetic", "platforms",
    "platform_notice", "platform_removed", "proceeding", "authority", "decision_date", "reference",
    "provisions_applied", "outcome", "realism", "aiid_incident", "summary", "notes",
)
REQUIRED = ("case_id", "title", "jurisdiction", "act_date", "acts", "biometric_data", "data_source", "source")
MULTI_VALUED = ("acts", "biometric_data", "content_type", "techniques", "media", "intent", "harms",
                "platforms", "provisions_applied")
TRI_STATE = {"yes", "no", "unknown"}
CODES = {
    "acts": {"create", "request_creation", "possess", "view", "disseminate", "threaten_to_disseminate",
             "sell_content", "sell_tool", "provide_service", "provide_tutorial", "collect_data",
             "impersonate", "bypass_authentication"},
    "biometric_data": {"facial", "voice", "gait", "body", "fingerprint", "iris", "keystroke"},
    "data_source": {"public_online", "consented_other_purpose", "own_capture", "purchased", "stolen", "unknown"},
    "content_type": {"sexual", "political", "defamatory", "commercial_endorsement", "news_like", "parody", "other"},
    "techniques": {"face_swap", "face_reenactment", "lip_sync", "voice_clone", "full_synthesis", "nudify",
                   "body_swap"},
    "media": {"image", "video", "audio", "live_video_call", "live_audio_call"},
    "subject_consent": TRI_STATE,
    "subject_minor": TRI_STATE,
    "intent": {"profit", "deception", "harassment", "sexual_gratification", "political", "entertainment",
               "unknown"},
    "harms": {"property_loss", "reputational", "psychological", "mental_disorder_or_self_harm",
              "sexual_exploitation", "privacy", "political", "public_order", "none"},
    "labelled_synthetic": TRI_STATE,
    "platform_notice": {"none", "victim", "regulator", "unknown"},
    "platform_removed": TRI_STATE,
    "proceeding": {"criminal_judgment", "administrative_penalty", "civil_judgment", "public_interest_litigation",
                   "prosecution", "investigation", "regulatory_action", "none"},
    "outcome": {"convicted", "fined", "civil_liability", "acquitted", "dismissed", "pending", "no_action"},
    "realism": {"low", "medium", "high"},
}
# A value that means "nothing" or "not known" cannot stand beside a real value in the same cell.
EXCLUSIVE = {"intent": "unknown", "harms": "none"}
EU_MEMBER_STATES = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
JURISDICTION = re.compile(r"EU|[A-Z]{2}(-[A-Z0-9]{1,3})?")
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
CURRENCY = re.compile(r"[A-Z]{3}")
AIID_CASE_ID = re.compile(r"aiid-([1-9][0-9]*)")
PROVISION_IRI = re.compile(r"(https://w3id\.org/deepfake-kg/id/provision/|http://data\.europa\.eu/eli/)\S+")
SEED_PAPER_CITATION = "Seed paper: legal analysis of criminal-law regulation of deepfakes in China"


def read_cases() -> list[tuple[str, int, dict[str, str]]]:
    """Every record as (file name, CSV line of the record, row); the header is line 1."""
    records = []
    for path in sorted(CASES_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                records.append((path.name, line, row))
    return records


CASES = read_cases()


def where(name: str, line: int, field: str) -> str:
    return f"{name} row {line} column {field}"


def values(cell: str) -> list[str]:
    return cell.split(";") if cell else []


def parse_partial_date(text: str) -> tuple[int, ...] | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as a tuple of its parts, or None if malformed or not in the calendar."""
    match = PARTIAL_DATE.fullmatch(text)
    if not match:
        return None
    parts = tuple(int(part) for part in match.groups() if part is not None)
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


def test_the_folder_holds_case_files() -> None:
    assert sorted(path.name for path in CASES_DIR.glob("*.csv")) == ["aiid-cases.csv", "seed-paper-cases.csv"]


@pytest.mark.parametrize("path", sorted(CASES_DIR.glob("*.csv")), ids=lambda path: path.name)
def test_header_names_only_format_fields(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert len(header) == len(set(header)), f"{path.name}: a column appears twice"
    assert set(header) <= set(FIELDS), f"{path.name}: unknown columns {sorted(set(header) - set(FIELDS))}"
    assert set(REQUIRED) <= set(header), f"{path.name}: missing columns {sorted(set(REQUIRED) - set(header))}"


def test_rows_have_exactly_the_header_cells() -> None:
    ragged = [f"{name} row {line}" for name, line, row in CASES if None in row or None in row.values()]
    assert not ragged, ragged


def test_every_required_field_is_filled() -> None:
    missing = [where(name, line, field) for name, line, row in CASES for field in REQUIRED
               if not row[field].strip()]
    assert not missing, missing


def test_cells_carry_no_stray_whitespace_or_empty_list_items() -> None:
    bad = [where(name, line, field) for name, line, row in CASES for field, cell in row.items()
           if cell != cell.strip() or (field in MULTI_VALUED and cell and
                                       any(item != item.strip() or not item for item in cell.split(";")))]
    assert not bad, bad


def test_code_values_belong_to_the_format_lists() -> None:
    bad = [f"{where(name, line, field)}: {value!r}" for name, line, row in CASES
           for field, allowed in CODES.items() for value in values(row[field]) if value not in allowed]
    assert not bad, bad


def test_single_valued_code_fields_hold_one_value() -> None:
    bad = [where(name, line, field) for name, line, row in CASES for field in CODES
           if field not in MULTI_VALUED and ";" in row[field]]
    assert not bad, bad


def test_multi_valued_cells_repeat_nothing_and_keep_exclusive_values_alone() -> None:
    bad = [where(name, line, field) for name, line, row in CASES for field in MULTI_VALUED
           if len(values(row[field])) != len(set(values(row[field])))]
    bad += [where(name, line, field) for name, line, row in CASES for field, alone in EXCLUSIVE.items()
            if alone in values(row[field]) and len(values(row[field])) > 1]
    assert not bad, bad


def test_case_ids_are_well_formed_and_unique() -> None:
    ids = [row["case_id"] for _, _, row in CASES]
    assert all(CASE_ID.fullmatch(case_id) for case_id in ids), [i for i in ids if not CASE_ID.fullmatch(i)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_jurisdictions_are_iso_codes_or_eu() -> None:
    bad = [where(name, line, "jurisdiction") for name, line, row in CASES
           if not JURISDICTION.fullmatch(row["jurisdiction"])]
    assert not bad, bad


def test_dates_are_well_formed_and_decisions_do_not_precede_acts() -> None:
    bad = []
    for name, line, row in CASES:
        acted = parse_partial_date(row["act_date"])
        if acted is None:
            bad.append(where(name, line, "act_date"))
            continue
        if row["decision_date"]:
            decided = parse_partial_date(row["decision_date"])
            common = min(len(acted), len(decided or ()))
            if decided is None or decided[:common] < acted[:common]:
                bad.append(where(name, line, "decision_date"))
    assert not bad, bad


def test_numbers_are_in_range_and_amounts_carry_a_currency() -> None:
    bad = []
    for name, line, row in CASES:
        if bool(row["loss_amount"]) != bool(row["loss_currency"]):
            bad.append(where(name, line, "loss_amount/loss_currency (only one given)"))
        if row["loss_amount"]:
            try:
                if Decimal(row["loss_amount"]) < 0 or not Decimal(row["loss_amount"]).is_finite():
                    bad.append(where(name, line, "loss_amount"))
            except InvalidOperation:
                bad.append(where(name, line, "loss_amount"))
        if row["loss_currency"] and not CURRENCY.fullmatch(row["loss_currency"]):
            bad.append(where(name, line, "loss_currency"))
        for field, least in (("views", 0), ("reposts", 0), ("victims", 1), ("aiid_incident", 1)):
            if row[field] and not (row[field].isdigit() and int(row[field]) >= least):
                bad.append(where(name, line, field))
    assert not bad, bad


def test_aiid_cases_cite_their_incident_page() -> None:
    bad = []
    for name, line, row in CASES:
        match = AIID_CASE_ID.fullmatch(row["case_id"])
        if match:
            incident = match.group(1)
            if row["source"] != f"https://incidentdatabase.ai/cite/{incident}" or row["aiid_incident"] != incident:
                bad.append(f"{name} row {line}: {row['case_id']}")
    assert not bad, bad
    assert sum(1 for _, _, row in CASES if AIID_CASE_ID.fullmatch(row["case_id"])) >= 15


def test_sources_are_urls_or_the_seed_paper_and_paper_only_cases_say_so() -> None:
    bad = []
    for name, line, row in CASES:
        source = row["source"]
        if source.startswith(("https://", "http://")):
            continue
        if not source.startswith(SEED_PAPER_CITATION) or "known only from the seed paper" not in row["notes"]:
            bad.append(where(name, line, "source"))
    assert not bad, bad


def test_the_seed_paper_cases_are_all_present() -> None:
    paper = [row for _, _, row in CASES if row["case_id"].startswith("paper-")]
    proceedings = {row["proceeding"] for row in paper}
    assert len(paper) >= 5
    assert {"prosecution", "investigation", "administrative_penalty", "criminal_judgment"} <= proceedings


def test_applied_provisions_are_knowledge_base_iris_and_never_proposals() -> None:
    bad = [f"{where(name, line, 'provisions_applied')}: {value}" for name, line, row in CASES
           for value in values(row["provisions_applied"])
           if not PROVISION_IRI.fullmatch(value) or "proposal" in value]
    assert not bad, bad


def test_the_cases_cover_the_six_jurisdictions() -> None:
    codes = {row["jurisdiction"] for _, _, row in CASES}
    assert len(CASES) >= 20
    assert {"CN", "HK", "KR", "GB"} <= codes, sorted(codes)
    assert any(code == "US" or code.startswith("US-") for code in codes), sorted(codes)
    assert codes & EU_MEMBER_STATES, sorted(codes)


@pytest.fixture(scope="module")
def loaded_store():
    """An in-memory store filled by the shipped-data hook: ontology, law, and the case files of kb/cases."""
    store = EmbeddedStore(None)
    store.ensure_loaded()
    yield store
    store.close()


def test_the_case_files_pass_the_shacl_shapes(loaded_store) -> None:
    report = validate_batches([read_file(path) for path in sorted(CASES_DIR.glob("*.csv"))], loaded_store, workers=1)
    violations = [f"{problem.place}: {problem.message}" for problem in report.problems if problem.blocking]
    assert not violations, violations
    assert report.record_count == len(CASES)
    warned = {problem.field for problem in report.problems}
    assert warned <= {"act_date", "source"}, warned


def test_the_store_loads_every_case_into_its_own_graph(loaded_store) -> None:
    rows = loaded_store.select("""
        PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT ?id (COUNT(DISTINCT ?g) AS ?graphs) WHERE {
            GRAPH ?g { ?case a dfk:CaseRecord ; dfk:caseId ?id }
        } GROUP BY ?id""")
    assert sorted(str(row["id"]) for row in rows) == sorted(row["case_id"] for _, _, row in CASES)
    assert all(int(row["graphs"]) == 1 for row in rows)


def test_applied_provisions_resolve_to_provisions_of_the_knowledge_base(loaded_store) -> None:
    cited = {value for _, _, row in CASES for value in values(row["provisions_applied"])}
    rows = loaded_store.select("""
        PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
        SELECT DISTINCT ?provision WHERE { ?case dfk:appliedProvision ?provision . ?provision a dfk:Provision }""")
    assert cited and {str(row["provision"]) for row in rows} == cited
