"""Shared fixtures: a fresh embedded store in a temporary folder, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from deepfake_kg.store import EmbeddedStore


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
