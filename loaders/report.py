"""Turn pyshacl results into problems a contributor understands, and print reports (text, JSON, Turtle)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from deepfake_kg.loaders import context as ctx
from deepfake_kg.loaders.records import Problem, Record
from deepfake_kg.namespaces import ID, PREFIXES

if TYPE_CHECKING:
    from deepfake_kg.loaders.validate import Report

VOCABULARIES = (ctx.INVALID_BASE, f"{ID}jurisdiction/", f"{ID}provision/", "https://incidentdatabase.ai/cite/")
SH_DESCRIPTION = SH.description
DATATYPE_WORDS = {"integer": "whole number", "decimal": "decimal number", "string": "plain text"}


def show(value: Node | None) -> str | None:
    """A value as the contributor wrote it: codes and ids without the IRI they were expanded to."""
    if value is None:
        return None
    text = str(value)
    for base in VOCABULARIES:
        if isinstance(value, URIRef) and text.startswith(base):
            return unquote(text[len(base):])
    return text


def problems_from_results(triples: Iterable[tuple[Node, Node, Node]], records: dict[Node, Record],
                          shapes: Graph) -> list[Problem]:
    results = Graph()
    for triple in triples:
        results.add(triple)
    by_property = ctx.field_by_property()
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        shape = results.value(result, SH.sourceShape)
        value = results.value(result, SH.value)
        severity = "warning" if results.value(result, SH.resultSeverity) in (SH.Warning, SH.Info) else "violation"
        name = shapes.value(shape, SH.name)
        field = str(name) if name is not None else by_property.get(str(path))
        expected = str(shapes.value(shape, SH_DESCRIPTION) or "")
        component = results.value(result, SH.sourceConstraintComponent)
        if component == SH.MinInclusiveConstraintComponent and isinstance(value, Literal) and value.ill_typed:
            continue  # the datatype result already says it is not a number
        message = explain(component, field, value, path, shapes.value(shape, SH.message) is not None,
                          str(results.value(result, SH.resultMessage) or ""))
        if component == SH.ClassConstraintComponent and field and ctx.codes(field):
            expected = f"one of: {', '.join(ctx.codes(field))}"
        record = records.get(focus)
        place = record.place.of(field) if record else f"<{focus}>"
        problems.append(Problem(severity, place, field, show(value), expected, message, str(focus),
                                str(path) if path is not None else None))
    order = {str(node): index for index, node in enumerate(records)}
    return sorted(problems, key=lambda p: (order.get(p.focus, len(order)), p.field or "", p.message))


def explain(component: Node, field: str | None, value: Node | None, path: Node | None,
            shape_has_message: bool, result_message: str) -> str:
    """One sentence on what is wrong, in the contributor's terms."""
    shown = show(value)
    name = field or str(path)
    if shape_has_message or component in (SH.SPARQLConstraintComponent,):
        for base in VOCABULARIES:
            result_message = result_message.replace(base, "")
        return result_message
    if component == SH.MinCountConstraintComponent:
        return f"{name} is missing"
    if component == SH.MaxCountConstraintComponent:
        return f"{name} has more than one value"
    if component == SH.ClassConstraintComponent:
        if field == "provisions_applied":
            return f"provisions_applied names {shown}, which is not a provision in the knowledge base"
        return f"{shown!r} is not a known code for {name}"
    if component == SH.DatatypeConstraintComponent and isinstance(value, Literal) and value.datatype:
        word = DATATYPE_WORDS.get(str(value.datatype).rsplit("#", 1)[-1], str(value.datatype))
        return f"{shown!r} is not a {word}"
    if component in (SH.MinInclusiveConstraintComponent, SH.MinExclusiveConstraintComponent):
        return f"{shown} is too small for {name}"
    if component == SH.ClosedConstraintComponent:
        return f"the property <{path}> is not a field of case records"
    return f"{shown!r} is not a valid {name}"


# ------------------------------------------------------------------ printing

def as_text(report: Report) -> str:
    lines = []
    for problem in report.problems:
        label = "error" if problem.blocking else "warning"
        value = f" (found {problem.value!r})" if problem.value is not None and problem.value not in problem.message else ""
        expected = f"; expected {problem.expected}" if problem.expected else ""
        lines.append(f"{label}: {problem.place}: {problem.message}{value}{expected}")
    errors = sum(problem.blocking for problem in report.problems)
    warnings = len(report.problems) - errors
    files = ", ".join(batch.name for batch in report.batches)
    verdict = "valid" if report.conforms else "INVALID"
    lines.append(f"{files}: {report.record_count} records, {errors} errors, {warnings} warnings: {verdict}")
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "files": [{"name": batch.name, "sha256": batch.sha256, "format": batch.format, "records": len(batch.records)}
                  for batch in report.batches],
        "problems": [{"severity": p.severity, "place": p.place, "field": p.field, "value": p.value,
                      "expected": p.expected, "message": p.message, "focus_node": p.focus, "path": p.path}
                     for p in report.problems],
    }, indent=2, ensure_ascii=False) + "\n"


def as_turtle(report: Report) -> str:
    """The standard SHACL validation report (problems found while reading included as results)."""
    graph = Graph()
    graph += report.shacl
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("sh", str(SH))
    return graph.serialize(format="turtle")
