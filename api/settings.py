"""Server configuration: where the data is, the write token, and the limits on queries and requests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_ENV = "DEEPFAKE_KG_TOKEN"


def token_from(token_file: Path | None = None) -> str | None:
    """The write token: the first line of `token_file` if given, else $DEEPFAKE_KG_TOKEN; None disables writes."""
    if token_file is not None:
        lines = token_file.read_text(encoding="utf-8").splitlines()
        token = lines[0].strip() if lines else ""
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


@dataclass
class Settings:
    data_dir: Path | None = None
    store_url: str | None = None
    token: str | None = field(default_factory=token_from, repr=False)
    query_timeout: float = 10.0
    max_result_bytes: int = 50_000_000
    max_body_bytes: int = 5_000_000
    query_workers: int = 2
    cache_dir: Path | None = None  # generated documentation; default: the data folder
