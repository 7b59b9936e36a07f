"""SHACL checks over the ontology itself (shapes/ontology.ttl): labels, definitions, declarations, domains, codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from deepfake_kg.paths import SHAPES_DIR, ontology_files

ONTOLOGY_SHAPES = SHAPES_DIR / "ontology.ttl"


@dataclass(frozen=True, order=True)
class Problem:
    focus: str
    message: str
    value: str | None
    warning: bool

    def __str__(self) -> str:
        shown = f" ({self.value})" if self.value and self.value != self.focus else ""
        return f"{'warning' if self.warning else 'violation'}: {self.focus}: {self.message}{shown}"


def read_graph(paths: Iterable[Path]) -> Graph:
    """One rdflib graph of the given Turtle files."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def check_ontology(data: Graph | None = None) -> list[Problem]:
    """Every result of the ontology shapes on `data` (default: every shipped module), violations first."""
    data = read_graph(ontology_files()) if data is None else data
    shapes = Graph().parse(ONTOLOGY_SHAPES, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    problems = set()
    for result in report.subjects(SH.resultSeverity, None):
        value = report.value(result, SH.value)
        problems.add(Problem(
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.resultMessage)),
            None if value is None else str(value),
            report.value(result, SH.resultSeverity) != SH.Violation,
        ))
    return sorted(problems, key=lambda p: (p.warning, p.focus, p.message, p.value or ""))


def violations(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if not problem.warning]
