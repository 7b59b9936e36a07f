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
    as_of_timeout: float = 30.0  # seconds for judging every case under a date not judged before (GET /gaps?as_of=)
    as_of_at_once: int = 1  # such dated evaluations running at once; more are refused (503)
    query_memory_mb: int | None = 2048  # address space a query worker may use (RLIMIT_AS); None: unlimited
    cache_dir: Path | None = None  # generated documentation; default: the data folder
