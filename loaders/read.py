"""Read a contributed file in any encoding of case-records.md into records with their places."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.errors import UnreadableInput
from deepfake_kg.loaders.records import (
    CASE_ID, XSD_STRING, Expander, Place, Problem, Record, Triple, node_object, normalise, record_node, split_cell,
)
from deepfake_kg.namespaces import DFK, case_iri
from deepfake_kg.store.terms import to_rdflib

EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonld": "jsonld", ".ttl": "turtle", ".nt": "ntriples",
              ".rdf": "rdfxml", ".xml": "rdfxml"}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
TEMP = "urn:deepfake-kg:record:"
RDF_TYPE, CASE_RECORD, CASE_ID_PROPERTY, LOSS_AMOUNT = RDF.type, DFK.CaseRecord, DFK.caseId, DFK.lossAmount


@dataclass
class Batch:
    """The records of one file, where each sits, and what reading already found wrong."""

    name: str
    sha256: str
    format: str
    records: list[Record]
    problems: list[Problem] = field(default_factory=list)

    def triples(self):
        for record in self.records:
            yield from record.triples


def read_file(path: Path) -> Batch:
    """Parse one file; raise UnreadableInput (one sentence, with line and column) when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableInput(f"{path}: cannot be read ({error.strerror or error})") from None
    return read_bytes(data, path.name)


def read_bytes(data: bytes, name: str, format: str | None = None) -> Batch:
    """Parse file content; `format` (csv, json, jsonld, turtle, ntriples, rdfxml) defaults to the name's extension."""
    if not data.strip():
        raise UnreadableInput(f"{name}: the file is empty")
    format = format or file_format(name)
    if format in RDF_FORMATS:
        records, problems = read_rdf(data, name, format)
    else:
        text = decode(data, name)
        sniff(text, name, format)
        if format == "csv":
            records, problems = read_csv(text, name), []
        else:
            try:
                records, problems = read_json(text, name, linked=format == "jsonld")
            except RecursionError:
                raise UnreadableInput(f"{name}: line 1, column 1: the JSON is nested too deeply to be read") from None
    if not records:
        raise UnreadableInput(f"{name}: the file holds no case records")
    problems += duplicates(records)
    return Batch(name, hashlib.sha256(data).hexdigest(), format, records, problems)


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UnreadableInput(f"{name}: cannot tell the file type from its name; use one of "
                              f"{', '.join(sorted(EXTENSIONS))}")
    return EXTENSIONS[suffix]


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line, column = line_column(data, error.start)
        raise UnreadableInput(f"{name}: line {line}, column {column}: byte 0x{data[error.start]:02x} "
                              f"is not UTF-8 text; save the file as UTF-8") from None


def line_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def sniff(text: str, name: str, format: str) -> None:
    """Refuse a file whose content is plainly of another type than its name says."""
    if "\x00" in text:
        raise UnreadableInput(f"{name}: line 1, column 1: the file is binary, not {format.upper()} text")
    start = text.lstrip()[:1]
    looks_json = start in ("{", "[")
    if format == "csv" and looks_json:
        raise UnreadableInput(f"{name}: line 1, column 1: the file holds JSON, not CSV; name it .json or .jsonld")
    if format in ("json", "jsonld") and not looks_json:
        raise UnreadableInput(f"{name}: line 1, column 1: expected JSON (an array or an object), "
                              f"found {text.lstrip()[:20]!r}")


# ------------------------------------------------------------------ CSV

def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_csv(text: str, name: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    known = set(ctx.fields())
    expander = Expander()
    records: list[Record] = []
    try:
        header = [cell.strip() for cell in next(reader)]
        for index, column in enumerate(header):
            if column not in known:
                raise UnreadableInput(f"{name}: line 1, column {index + 1}: unknown column {column!r}; columns must be "
                                      f"field names of case-records.md ({', '.join(ctx.fields()[:4])} ...)")
            if header.index(column) != index:
                raise UnreadableInput(f"{name}: line 1, column {index + 1}: column {column!r} appears twice")
        columns = {column: f"column {column_letter(index)}" for index, column in enumerate(header)}
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise UnreadableInput(f"{name}: line {start}, column 1: the row has {len(row)} cells "
                                      f"where the header has {len(header)}")
            values = {column: normalise(column, split_cell(column, cell)) if cell else [] for column, cell in zip(header, row)}
            serial = len(records)
            row_number = serial + 2
            label = f"row {row_number}" if row_number == start else f"row {row_number} (line {start})"
            case_id = values.get("case_id", [None])[0] if values.get("case_id") else None
            node = record_node(case_id, serial)
            triples = expander.triples(node_object(values, node), node)
            records.append(Record(node, case_id, Place("row", label, columns), triples))
    except csv.Error as error:
        raise UnreadableInput(f"{name}: line {reader.line_num}, column {quote_column(text, reader.line_num)}: "
                              f"broken CSV quoting ({error})") from None
    except StopIteration:
        raise UnreadableInput(f"{name}: line 1, column 1: the header row is missing") from None
    return records


def quote_column(text: str, line: int) -> int:
    """The column of the first quote on a line: where broken quoting usually starts."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return 1
    return lines[line - 1].find('"') + 1 or 1


# ------------------------------------------------------------------ JSON and JSON-LD

def read_json(text: str, name: str, linked: bool) -> tuple[list[Record], list[Problem]]:
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise UnreadableInput(f"{name}: line {error.lineno}, column {error.colno}: malformed JSON ({error.msg})") from None
    except ValueError as error:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise UnreadableInput(f"{name}: line 1, column 1: unreadable JSON number ({str(error).split(';')[0]})") from None
    if linked:
        try:
            document = ctx.check_contexts(document)
        except UnreadableInput as error:
            raise UnreadableInput(f"{name}: {error}") from None
    base, items = case_objects(document, name, linked)
    for index, item in enumerate(items):
        check_object(item, f"{base}/{index}", name, linked)
    problems = [problem for index, item in enumerate(items) for problem in case_id_type(item, f"{base}/{index}")]
    if linked:
        records, stray = read_linked(document, base, items, name)
        return records, problems + stray
    expander = Expander()
    records = []
    for index, item in enumerate(items):
        node = record_node(item.get("case_id"), index)
        values = {key: normalise(key, value) for key, value in item.items()}
        records.append(Record(node, item.get("case_id"), Place("pointer", f"{base}/{index}"),
                              expander.triples(node_object(values, node), node)))
    return records, problems


def case_id_type(item: dict, pointer: str) -> list[Problem]:
    """A case_id is one JSON string: a number or a list would be written out as text and mint no case IRI."""
    value = item.get("case_id")
    if value is None or isinstance(value, str):
        return []
    found = (str(value) if isinstance(value, Decimal) else json.dumps(value, default=str))[:40]
    return [Problem("violation", f"{pointer}/case_id", "case_id", found, "one JSON string, such as \"cn-2024-001\"",
                    f"case_id must be a JSON string in quotes, found {found}", f"{pointer}", str(DFK.caseId))]


def case_objects(document: Any, name: str, linked: bool) -> tuple[str, list]:
    """The list of case objects and its JSON pointer: an array, {"cases": [...]} or {"@graph": [...]}."""
    if isinstance(document, list):
        return "", document
    if isinstance(document, dict):
        for key in ("cases", "@graph") if linked else ("cases",):
            if isinstance(document.get(key), list):
                return f"/{key}", document[key]
        if linked and "case_id" in document:
            return "", [document]
    shapes = '{"cases": [...]} or {"@graph": [...]}' if linked else '{"cases": [...]}'
    raise UnreadableInput(f"{name}: line 1, column 1: expected an array of case objects or {shapes}")


def check_object(item: Any, pointer: str, name: str, linked: bool) -> None:
    known = set(ctx.fields())
    if not isinstance(item, dict):
        raise UnreadableInput(f"{name}: at {pointer}: expected a case object, found {json.dumps(item, default=str)[:40]}")
    for key, value in item.items():
        if key in known:
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, (dict, list)) and not (linked and isinstance(element, dict) and "@id" in element):
                    raise UnreadableInput(f"{name}: at {pointer}/{key}: expected text, a number or a list of them")
        elif not (linked and (key.startswith("@") or ":" in key)):
            raise UnreadableInput(f"{name}: at {pointer}/{key}: unknown field {key!r}; fields are those of "
                                  f"case-records.md ({', '.join(ctx.fields()[:4])} ...)")


def read_linked(document: Any, base: str, items: list, name: str) -> tuple[list[Record], list[Problem]]:
    """JSON-LD: the whole document goes through the JSON-LD processor (pyld), remote contexts refused."""
    known = set(ctx.fields())
    objects = []
    for index, item in enumerate(items):
        obj = {key: (linked_values(key, value) if key in known else value) for key, value in item.items()}
        types = obj.get("@type", [])
        obj["@type"] = [*(types if isinstance(types, list) else [types]), "CaseRecord"]
        obj["@id"] = f"{TEMP}{index}"
        objects.append(obj)
    outer = document.get("@context") if isinstance(document, dict) else None
    try:
        dataset = ctx.jsonld_dataset({"@context": outer or ctx.context(), "@graph": objects})
        triples = [(term(q["subject"]), term(q["predicate"]), term(q["object"])) for q in dataset.get("@default", [])]
    except UnreadableInput as error:
        raise UnreadableInput(f"{name}: {error}") from None
    nodes = {URIRef(f"{TEMP}{index}"): record_node(item.get("case_id"), index) for index, item in enumerate(items)}
    triples = [(nodes.get(s, s), p, nodes.get(o, o)) for s, p, o in triples]
    grouped, stray = group(triples, list(nodes.values()))
    records = [Record(node, item.get("case_id"), Place("pointer", f"{base}/{index}"), grouped[node])
               for index, (node, item) in enumerate(zip(nodes.values(), items))]
    return records, stray_problems(stray)


def linked_values(name: str, value: Any) -> list[Any]:
    """JSON-LD values of a field; code values percent-encoded so that an unknown one cannot vanish."""
    values = normalise(name, value)
    if ctx.is_reference(name):
        return [ctx.safe_value(name, item) if isinstance(item, str) else item for item in values]
    return values


def term(value: dict) -> Node:
    if value["type"] == "IRI":
        return URIRef(value["value"])
    if value["type"] == "blank node":
        return BNode(value["value"].removeprefix("_:"))
    datatype = value.get("datatype")
    if value.get("language"):
        try:
            return Literal(value["value"], lang=value["language"])
        except ValueError:
            raise UnreadableInput(f"not valid JSON-LD: {value['language']!r} is not a language tag (BCP 47), "
                                  f"as in \"@language\": \"zh\"") from None
    return Literal(value["value"], datatype=None if datatype in (None, XSD_STRING) else URIRef(datatype))


# ------------------------------------------------------------------ RDF

def read_rdf(data: bytes, name: str, format: str) -> tuple[list[Record], list[Problem]]:
    """Each node typed dfk:CaseRecord or with a dfk:caseId is a record; every step is one pass over the triples."""
    if format == "rdfxml" and DOCTYPE.search(data):
        raise UnreadableInput(f"{name}: line {line_column(data, DOCTYPE.search(data).start())[0]}: RDF/XML with a "
                              f"DOCTYPE or ENTITY declaration is refused")
    decode(data, name)
    triples = parse_rdf(data, name, format)
    roots = list(dict.fromkeys(s for s, p, o in triples
                               if (p == RDF_TYPE and o == CASE_RECORD) or p == CASE_ID_PROPERTY))
    ids = case_ids(triples)
    canonical = {root: canonical_node(root, ids.get(root, set())) for root in roots}
    triples = [(canonical.get(s, s), p, canonical.get(o, o)) for s, p, o in triples]
    triples = [(s, p, as_decimal(o) if p == LOSS_AMOUNT else o) for s, p, o in triples]
    grouped, stray = group(triples, list(canonical.values()))
    records = [Record(node, case_id_of(grouped[node]), Place("node", f"<{root}>" if isinstance(root, URIRef) else f"_:{root}"),
                      grouped[node]) for root, node in canonical.items()]
    return records, stray_problems(stray)


def parse_rdf(data: bytes, name: str, format: str) -> list[Triple]:
    """The file's triples as rdflib terms, each distinct term converted once (records repeat most of them)."""
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        node = terms.get(term)
        if node is None:
            node = terms[term] = to_rdflib(term)
        return node

    try:
        return [(convert(q.subject), convert(q.predicate), convert(q.object))
                for q in ox.parse(data, format=RDF_FORMATS[format])]
    except SyntaxError as error:
        raise UnreadableInput(f"{name}: {error.args[0]}") from None


def case_ids(triples: list[Triple]) -> dict[Node, set[str]]:
    """Each subject's case_id values, in one pass over the triples."""
    ids: dict[Node, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == CASE_ID_PROPERTY:
            ids[s].add(str(o))
    return ids


def canonical_node(root: Node, ids: set[str]) -> Node:
    """The case IRI minted from the node's one valid case_id; the node itself otherwise."""
    if len(ids) == 1 and CASE_ID.fullmatch(next(iter(ids))):
        return URIRef(case_iri(next(iter(ids))))
    return root


def case_id_of(triples: list[Triple]) -> str | None:
    return next((str(o) for s, p, o in triples if p == CASE_ID_PROPERTY), None)


def as_decimal(value: Node) -> Node:
    """Turtle writes 100 as xsd:integer; an amount is a decimal of the same value."""
    if isinstance(value, Literal) and value.datatype == XSD_INTEGER:
        return Literal(str(value), datatype=XSD_DECIMAL)
    return value


# ------------------------------------------------------------------ shared

def group(triples: list[Triple], roots: list[Node]) -> tuple[dict[Node, list[Triple]], list[Triple]]:
    """Each root's triples with the blank nodes it reaches; the rest are stray."""
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[triple[0]].append(triple)
    grouped: dict[Node, list[Triple]] = {}
    taken: set[Node] = set()
    for root in roots:
        out, todo = [], [root]
        while todo:
            subject = todo.pop()
            if subject in taken:
                continue
            taken.add(subject)
            for triple in by_subject.get(subject, []):
                out.append(triple)
                if isinstance(triple[2], BNode):
                    todo.append(triple[2])
        grouped[root] = out
    stray = [triple for subject, items in by_subject.items() if subject not in taken for triple in items]
    return grouped, stray


def stray_problems(stray: list[Triple]) -> list[Problem]:
    subjects = dict.fromkeys(s for s, p, o in stray)
    return [Problem("violation", f"<{subject}>" if isinstance(subject, URIRef) else f"_:{subject}", None, None,
                    "statements only about case records (a dfk:CaseRecord with a dfk:caseId)",
                    "these statements are not part of any case record", str(subject)) for subject in subjects]


def duplicates(records: list[Record]) -> list[Problem]:
    seen: dict[Node, list[Record]] = defaultdict(list)
    for record in records:
        if isinstance(record.node, URIRef):
            seen[record.node].append(record)
    return [Problem("violation", same[1].place.of("case_id"), "case_id", same[0].case_id,
                    "each case_id once per batch",
                    f"case_id {same[0].case_id!r} appears more than once: {', '.join(r.place.label for r in same)}",
                    str(node), str(DFK.caseId))
            for node, same in seen.items() if len(same) > 1]
