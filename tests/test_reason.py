"""`deepfake-kg reason`: HermiT finds the ontology consistent, and finds deliberately broken copies out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib.namespace import OWL, RDF

from deepfake_kg.cli import app
from deepfake_kg.namespaces import DFK
from deepfake_kg.export import What, export_graph
from deepfake_kg.paths import ontology_files
from deepfake_kg.reasoning import read_files, reason
from deepfake_kg.store import EmbeddedStore

ENTRY_POINT = Path(sys.executable).with_name("deepfake-kg")
PREFIXES = """
@prefix dfk:  <https://w3id.org/deepfake-kg/ontology/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex:   <https://example.org/broken/> .
"""


@pytest.fixture(scope="session")
def shipped_run() -> subprocess.CompletedProcess:
    """The one HermiT run over the shipped ontology (and its shapes), through the installed console script."""
    return subprocess.run([str(ENTRY_POINT), "reason", "--shapes"], capture_output=True, text=True, timeout=300)


def write(tmp_path: Path, name: str, turtle: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


def test_shipped_ontology_is_consistent_with_no_unsatisfiable_class(shipped_run):
    assert shipped_run.returncode == 0, shipped_run.stdout + shipped_run.stderr
    assert "result: consistent" in shipped_run.stdout
    assert "unsatisfiable classes: none" in shipped_run.stdout
    assert "reasoner time:" in shipped_run.stdout


def test_shipped_ontology_conforms_to_its_shapes(shipped_run):
    assert "shapes: 0 violations" in shipped_run.stdout


def test_term_counts_are_those_declared_in_the_modules(shipped_run):
    graph = read_files(ontology_files())
    classes = {s for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(str(DFK))}
    assert f"dfk: terms: {len(classes)} classes, " in shipped_run.stdout


def test_every_module_is_reasoned_over(shipped_run):
    modules_line = next(line for line in shipped_run.stdout.splitlines() if line.startswith("modules:"))
    assert sorted(modules_line.removeprefix("modules: ").split(", ")) == sorted(p.stem for p in ontology_files())


def test_individual_in_two_disjoint_code_lists_is_inconsistent(runner, tmp_path):
    broken = write(tmp_path, "inconsistent.ttl", "dfk:Create a dfk:Technique .\n")
    result = runner.invoke(app, ["reason", str(broken)])
    assert result.exit_code == 1, result.output
    assert "result: inconsistent" in result.stdout


def test_class_under_two_disjoint_classes_is_unsatisfiable(runner, tmp_path):
    broken = write(tmp_path, "unsatisfiable.ttl", """
ex:ProvisionAndInstrument a owl:Class ; rdfs:subClassOf dfk:Provision, dfk:LegalInstrument .
""")
    result = runner.invoke(app, ["reason", str(broken)])
    assert result.exit_code == 1, result.output
    assert "result: consistent" in result.stdout
    assert "unsatisfiable classes: 1" in result.stdout
    assert "https://example.org/broken/ProvisionAndInstrument" in result.stdout


def test_everything_the_store_ships_is_consistent_with_the_ontology():
    """Ontology, knowledge base and curated cases together, as a fresh store holds them."""
    store = EmbeddedStore(None)
    store.ensure_loaded()
    shipped = export_graph(store, What.all)
    assert len(shipped) > len(read_files(ontology_files())) + 1000
    result = reason(shipped)
    assert result.consistent and result.unsatisfiable == []


def test_unreadable_file_is_one_sentence_and_exit_2(runner, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("dfk:Create a ", encoding="utf-8")
    result = runner.invoke(app, ["reason", str(broken)])
    assert result.exit_code == 2
    assert "broken.ttl is not readable Turtle" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_module_is_refused(runner):
    result = runner.invoke(app, ["reason", "--module", "no-such-module"])
    assert result.exit_code == 2
    assert "no ontology module named no-such-module" in result.stderr
