"""HTML documentation of the ontology, generated once by pyLODE from the shipped modules and kept on disk."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from rdflib import Graph

from deepfake_kg.paths import ontology_files
from deepfake_kg.store.embedded import fingerprint


def build(folder: Path) -> Path:
    """The documentation page for the current ontology files, generated only when they changed."""
    page = folder / f"ontology-{fingerprint(ontology_files())[:16]}.html"
    if page.exists():
        return page
    from pylode import OntPub

    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    folder.mkdir(parents=True, exist_ok=True)
    partial = page.with_suffix(".part")
    logging.getLogger("pylode").setLevel(logging.WARNING)
    OntPub(ontology=graph).make_html(destination=partial, include_css=True)
    partial.replace(page)
    for old in folder.glob("ontology-*.html"):
        if old != page:
            old.unlink()
    return page


class OntologyDocs:
    """Builds the page in the background at start-up; requests wait for it (never rebuild it)."""

    def __init__(self, folder: Path) -> None:
        self._ready = threading.Event()
        self.page: Path | None = None
        self.error: str | None = None
        threading.Thread(target=self._build, args=(folder,), daemon=True, name="ontology-docs").start()

    def _build(self, folder: Path) -> None:
        try:
            self.page = build(folder)
        except Exception as error:  # noqa: BLE001 - any pyLODE failure is reported on the docs route
            self.error = f"the ontology documentation could not be generated: {error}"
        finally:
            self._ready.set()

    def wait(self, seconds: float) -> Path | None:
        self._ready.wait(seconds)
        return self.page
