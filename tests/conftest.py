"""Shared fixtures: a fresh embedded store, a store with the test provisions of tests/data/cases, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from deepfake_kg.namespaces import GRAPH
from deepfake_kg.store import EmbeddedStore

CASES = Path(__file__).parent / "data" / "cases"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(data_dir: Path) -> EmbeddedStore:
    embedded = EmbeddedStore(data_dir)
    embedded.ensure_loaded()
    yield embedded
    embedded.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    """A store with the ontology, the shipped KB and the synthetic test provisions of test-kb.ttl."""
    path = tmp_path_factory.mktemp("cases") / "store"
    store = EmbeddedStore(path)
    store.ensure_loaded()
    triples = ox.parse(path=str(CASES / "test-kb.ttl"), format=ox.RdfFormat.TURTLE)
    store.replace_graphs({str(GRAPH["test-kb"]): "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in triples)})
    store.close()
    return path
