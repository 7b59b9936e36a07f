"""AI Incident Database rows -> draft case records (graph/drafts); guesses kept as unreviewed suggestions."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from deepfake_kg.loaders.errors import UnreadableInput
from deepfake_kg.loaders.read import decode
from deepfake_kg.namespaces import DFK, ID

AIID_CITE = "https://incidentdatabase.ai/cite/"
PROV = "http://www.w3.org/ns/prov#"
COLUMNS = ["_id", "incident_id", "date", "reports", "Alleged deployer of AI system", "Alleged developer of AI system",
           "Alleged harmed or nearly harmed parties", "description", "title", "matched_terms", "category_guess",
           "jurisdiction_hint"]
PARTIES = {"Alleged deployer of AI system": DFK.AllegedDeployer, "Alleged developer of AI system": DFK.AllegedDeveloper,
           "Alleged harmed or nearly harmed parties": DFK.AllegedHarmedParty}
# Keyword rules: words in the title or description -> (field, value) suggestions. Guesses, never facts.
KEYWORDS = [
    (re.compile(r"voice[ -]?clon|cloned voice", re.I), [(DFK.hasTechnique, DFK.VoiceClone), (DFK.hasBiometricCategory, DFK.VoiceBiometric)]),
    (re.compile(r"face[ -]?swap", re.I), [(DFK.hasTechnique, DFK.FaceSwap), (DFK.hasBiometricCategory, DFK.FacialBiometric)]),
    (re.compile(r"nudif|undress", re.I), [(DFK.hasTechnique, DFK.Nudify), (DFK.hasBiometricCategory, DFK.BodyBiometric)]),
    (re.compile(r"lip[ -]?sync", re.I), [(DFK.hasTechnique, DFK.LipSync), (DFK.hasBiometricCategory, DFK.FacialBiometric)]),
]
CATEGORIES = {"sexual": (DFK.hasContentType, DFK.SexualContent), "political": (DFK.hasContentType, DFK.PoliticalContent),
              "defamation_harassment": (DFK.hasContentType, DFK.DefamatoryContent),
              "fraud": (DFK.hasIntent, DFK.DeceptionIntent)}
ISO_CODES = {"UK": "GB"}  # the extract's hints use UK; ISO 3166-1 says GB


@dataclass
class DraftBatch:
    name: str
    sha256: str
    graph: Graph
    drafts: list[URIRef]


def draft_iri(incident: str) -> URIRef:
    return URIRef(f"{ID}draft/aiid-{incident}")


def read_aiid(data: bytes, name: str) -> DraftBatch:
    """Parse an AIID incidents CSV into draft records; raise UnreadableInput for a file that is not one."""
    if not data.strip():
        raise UnreadableInput(f"{name}: the file is empty")
    reader = csv.DictReader(io.StringIO(decode(data, name), newline=""), strict=True)
    graph, drafts = Graph(), []
    try:
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise UnreadableInput(f"{name}: line 1, column 1: not an AI Incident Database export; "
                                  f"missing column {missing[0]!r}")
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            drafts.append(add_draft(graph, row, name, start))
    except csv.Error as error:
        raise UnreadableInput(f"{name}: line {reader.line_num}, column 1: broken CSV quoting ({error})") from None
    if not drafts:
        raise UnreadableInput(f"{name}: the file holds no incidents")
    return DraftBatch(name, hashlib.sha256(data).hexdigest(), graph, drafts)


def add_draft(graph: Graph, row: dict[str, str], name: str, line: int) -> URIRef:
    """One row as a draft: only what the row states, plus suggestions marked as guesses."""
    incident = row["incident_id"].strip()
    if not incident.isdigit():
        raise UnreadableInput(f"{name}: line {line}, column 2: incident_id {incident!r} is not a number")
    draft = draft_iri(incident)
    page = URIRef(f"{AIID_CITE}{incident}")
    graph.add((draft, RDF.type, DFK.DraftCaseRecord))
    graph.add((draft, DFK.caseId, Literal(f"aiid-{incident}")))
    graph.add((draft, DFK.aiidIncident, page))
    graph.add((draft, DCTERMS.source, page))
    for column, predicate in (("title", DCTERMS.title), ("description", DCTERMS.description)):
        if row[column].strip():
            graph.add((draft, predicate, Literal(row[column].strip())))
    if row["date"].strip():
        graph.add((draft, DCTERMS.date, Literal(row["date"].strip(), datatype=XSD.date)))
    for column, role in PARTIES.items():
        for slug in json_list(row[column], name, line, COLUMNS.index(column) + 1):
            actor = URIRef(f"{ID}actor/aiid/{quote(slug, safe='')}")
            part = URIRef(f"{draft}/party/{role.split('/')[-1]}/{quote(slug, safe='')}")
            graph.add((actor, RDF.type, DFK.Actor))
            graph.add((actor, RDFS.label, Literal(slug)))
            graph.add((draft, DFK.hasAllegedParticipation, part))
            graph.add((part, RDF.type, DFK.Participation))
            graph.add((part, DFK.hasActor, actor))
            graph.add((part, DFK.hasRole, role))
    for field, value, evidence in suggestions(row):
        suggest(graph, draft, field, value, evidence)
    return draft


def json_list(cell: str, name: str, line: int, column: int) -> list[str]:
    if not cell.strip():
        return []
    try:
        items = json.loads(cell)
    except json.JSONDecodeError as error:
        raise UnreadableInput(f"{name}: line {line}, column {column}: the cell is not a JSON list ({error.msg})") from None
    if not isinstance(items, list):
        raise UnreadableInput(f"{name}: line {line}, column {column}: the cell is not a JSON list")
    return [str(item) for item in items]


def suggestions(row: dict[str, str]) -> list[tuple[URIRef, URIRef, str]]:
    """(field, value, evidence) guessed from free text and from the extract's keyword-rule columns."""
    text = f"{row['title']} {row['description']} {row['matched_terms']}"
    found = []
    for pattern, pairs in KEYWORDS:
        match = pattern.search(text)
        if match:
            found += [(field, value, f"text: {match.group(0)!r}") for field, value in pairs]
    for category in filter(None, row["category_guess"].split(";")):
        if category in CATEGORIES:
            found.append((*CATEGORIES[category], f"category_guess: {category}"))
    for hint in filter(None, row["jurisdiction_hint"].split(";")):
        code = ISO_CODES.get(hint.strip(), hint.strip())
        found.append((DFK.hasJurisdiction, URIRef(f"{ID}jurisdiction/{code}"), f"jurisdiction_hint: {hint.strip()}"))
    return list({(field, value): (field, value, evidence) for field, value, evidence in found}.values())


def suggest(graph: Graph, draft: URIRef, field: URIRef, value: URIRef, evidence: str) -> None:
    node = URIRef(f"{draft}/suggestion/{field.split('/')[-1]}/{value.split('/')[-1]}")
    graph.add((draft, DFK.hasSuggestion, node))
    graph.add((node, RDF.type, DFK.MachineSuggestion))
    graph.add((node, DFK.suggestsField, field))
    graph.add((node, DFK.suggestedValue, value))
    graph.add((node, DFK.suggestionEvidence, Literal(evidence)))
    graph.add((node, DFK.hasReviewStatus, DFK.Unreviewed))


def validate_drafts(batch: DraftBatch, store) -> tuple[bool, list, Graph]:
    """pyshacl with the draft shapes over the drafts plus the ontology's code individuals."""
    from pyshacl import validate as shacl_validate

    from deepfake_kg.loaders.report import problems_from_results
    from deepfake_kg.loaders.validate import shapes, store_context

    graph = Graph()
    graph += batch.graph
    graph += store_context(store, [])
    _, results, _ = shacl_validate(graph, shacl_graph=shapes(), advanced=True, inplace=True, allow_warnings=True)
    problems = problems_from_results(results, {}, shapes())
    return not any(problem.blocking for problem in problems), problems, results


def store_drafts(batch: DraftBatch, store, submitter: str | None = None) -> int:
    """In one transaction: replace these incidents' drafts in graph/drafts (others stay) with their entailments, and
    append the import's provenance to graph/provenance."""
    from datetime import datetime, timezone

    from deepfake_kg.entailments import ENTAILMENTS_GRAPH, background, entail
    from deepfake_kg.loaders.drafts import stored_drafts
    from deepfake_kg.loaders.load import agent_iri, default_submitter, provenance
    from deepfake_kg.loaders.ntriples import NTriples
    from deepfake_kg.namespaces import DRAFTS_GRAPH, PROVENANCE_GRAPH

    started = datetime.now(timezone.utc)
    submitter = submitter or default_submitter()
    agent = agent_iri(submitter)
    activity = URIRef(f"{ID}batch/aiid-{batch.sha256[:16]}-{int(started.timestamp())}")
    convert = NTriples()
    generated = [(draft, URIRef(PROV + "wasGeneratedBy"), activity) for draft in batch.drafts]
    drafts = convert([*batch.graph, *generated])
    prov = convert([*provenance(batch, activity, agent, started, datetime.now(timezone.utc)),
                    (agent, RDFS.label, Literal(submitter))])
    written = {str(DRAFTS_GRAPH): drafts, str(PROVENANCE_GRAPH): prov}
    entailed = entail(written, background(store))
    store.replace_graphs({}, remove=stored_drafts(store, batch.drafts),
                         add={**written, ENTAILMENTS_GRAPH: "".join(entailed.values())})
    return len(batch.drafts)
