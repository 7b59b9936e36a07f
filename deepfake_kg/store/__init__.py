"""Stores: the embedded pyoxigraph store (default) and a remote SPARQL endpoint."""

from __future__ import annotations

import os
from pathlib import Path

import rdflib.plugins.sparql
from platformdirs import user_data_dir

from deepfake_kg.store.base import Row, Store, StoreError
from deepfake_kg.store.embedded import EmbeddedStore

# rdflib would otherwise fetch the IRIs of FROM / FROM NAMED from the network when it evaluates SPARQL.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = ["Row", "Store", "StoreError", "EmbeddedStore", "default_data_dir", "open_store"]


def default_data_dir() -> Path:
    """`$DEEPFAKE_KG_DATA`, or the per-user data folder."""
    return Path(os.environ.get("DEEPFAKE_KG_DATA") or user_data_dir("deepfake-kg"))


def open_store(data_dir: Path | None = None, store_url: str | None = None) -> Store:
    """Open the store the command line or server was pointed at, loading shipped graphs on first use."""
    if store_url:
        from deepfake_kg.store.remote import RemoteStore

        store = RemoteStore(store_url)
    else:
        store = EmbeddedStore(data_dir or default_data_dir())
    if store.ensure_loaded():
        from deepfake_kg.entailments import refresh_entailments

        refresh_entailments(store)
    return store
