"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from fastapi import Request

from deepfake_kg.store import Store


def get_store(request: Request) -> Store:
    """The server's store, in-process: fine for short reads; user queries go through app.state.pool."""
    return request.app.state.store
