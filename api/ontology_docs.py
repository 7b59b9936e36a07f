"""HTML documentation of the ontology, generated once by pyLODE from the shipped modules and kept on disk."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from rdflib import Graph

from deepfake_kg.paths import ontology_files
from deepfake_kg.store.embedded import fingerprint


def build(folder: Path) -> bytes:
    """The documentation page for the current ontology files, generated only when they changed.

    The page is kept in memory by its caller: another server on the same folder (another version of the
    ontology) may replace the file at any time.
    """
    page = folder / f"ontology-{fingerprint(ontology_files())[:16]}.html"
    try:
        return page.read_bytes()
    except FileNotFoundError:
        pass
    from pylode import OntPub

    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    folder.mkdir(parents=True, exist_ok=True)
    partial = page.with_suffix(f".{os.getpid()}.part")  # servers building the same page at once do not collide
    logging.getLogger("pylode").setLevel(logging.WARNING)
    OntPub(ontology=graph).make_html(destination=partial, include_css=True)
    html = partial.read_bytes()
    partial.replace(page)
    for old in folder.glob("ontology-*.html"):
        if old != page:
            old.unlink(missing_ok=True)
    return html


class OntologyDocs:
    """Builds the page in the background at start-up; requests wait for it (never rebuild it)."""

    def __init__(self, folder: Path) -> None:
        self._ready = threading.Event()
        self.page: bytes | None = None
        self.error: str | None = None
        threading.Thread(target=self._build, args=(folder,), daemon=True, name="ontology-docs").start()

    def _build(self, folder: Path) -> None:
        try:
            self.page = build(folder)
        except Exception as error:  # noqa: BLE001 - any pyLODE failure is reported on the docs route
            self.error = f"the ontology documentation could not be generated: {error}"
        finally:
            self._ready.set()

    def wait(self, seconds: float) -> bytes | None:
        self._ready.wait(seconds)
        return self.page
