"""The project's named queries (queries/**/*.rq), titled by the first line of their header comment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deepfake_kg.paths import QUERIES_DIR


@dataclass(frozen=True)
class NamedQuery:
    name: str
    group: str
    title: str
    text: str


def header_title(text: str) -> str:
    """The first non-empty line of the leading `#` comment block, or '' when there is none."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            return ""
        title = stripped.lstrip("#").strip()
        if title:
            return title
    return ""


def named_queries(folder: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every .rq file under the queries folder, in path order."""
    found = []
    for path in sorted(folder.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(folder)
        group = relative.parent.as_posix() if relative.parent != Path(".") else "queries"
        found.append(NamedQuery(relative.with_suffix("").as_posix(), group, header_title(text) or path.stem, text))
    return found
