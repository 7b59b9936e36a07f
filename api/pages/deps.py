"""How a page reaches the store the app was created with."""

from __future__ import annotations

from fastapi import Request

from deepfake_kg.store import Store


def store_of(request: Request) -> Store:
    return request.app.state.store
