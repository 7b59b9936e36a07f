"""Where the shipped data folders (ontology, shapes, knowledge base, queries) live."""

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(files(package)))


ONTOLOGY_DIR = _folder("deepfake_kg.ontology")
SHAPES_DIR = _folder("deepfake_kg.shapes")
KB_DIR = _folder("deepfake_kg.kb")
QUERIES_DIR = _folder("deepfake_kg.queries")


def ontology_files() -> list[Path]:
    """Every ontology module, in a stable order."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def kb_files() -> list[Path]:
    """Every knowledge-base Turtle file (law and curated cases), in a stable order."""
    return sorted(KB_DIR.rglob("*.ttl"))
