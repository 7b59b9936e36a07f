"""OWL 2 DL reasoning with HermiT (through owlready2): is the graph consistent, which classes are unsatisfiable."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

# Datatypes of the OWL 2 datatype map (OWL 2 Syntax, section 4); HermiT handles only these.
OWL2_DATATYPES = {str(OWL.real), str(OWL.rational), str(RDF.PlainLiteral), str(RDF.XMLLiteral), str(RDFS.Literal)} | {
    str(XSD[name]) for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
        "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
        "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}


class ReasonerError(Exception):
    """The reasoner could not run (no Java, unreadable input); the message is meant for people."""


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    unsatisfiable: list[str]
    triples: int
    seconds: float
    ignored_datatypes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def read_files(paths: Iterable[Path]) -> Graph:
    """Parse Turtle files into one graph; a file that does not parse is named in the error."""
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises many kinds of parser errors
            raise ReasonerError(f"{path} is not readable Turtle: {error}") from error
    return graph


def unsupported_datatypes(graph: Graph) -> list[str]:
    """Datatypes the graph uses in ranges or literals that are outside the OWL 2 datatype map."""
    used = {str(o) for o in graph.objects(None, RDFS.range) if str(o).startswith(str(XSD))}
    used |= {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    return sorted(used - OWL2_DATATYPES)


def term_counts(graph: Graph, namespace: str) -> dict[str, int]:
    """How many classes, properties of each kind and named individuals the graph declares in `namespace`."""
    kinds = {"classes": OWL.Class, "object properties": OWL.ObjectProperty, "datatype properties": OWL.DatatypeProperty,
             "annotation properties": OWL.AnnotationProperty, "named individuals": OWL.NamedIndividual}
    return {name: len({s for s in graph.subjects(RDF.type, kind) if str(s).startswith(namespace)})
            for name, kind in kinds.items()}


def java_executable() -> str:

    java = shutil.which("java") or ("/usr/bin/java" if Path("/usr/bin/java").exists() else None)
    if java is None:
        raise ReasonerError("Java is needed for the HermiT reasoner and was not found on PATH")
    return java


def reason(graph: Graph) -> ReasonerResult:
    """Run HermiT over `graph` (owl:imports removed, so nothing is fetched); timed from hand-over to answer."""
    owlready2.JAVA_EXE = java_executable()
    offline = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            offline.add(triple)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="deepfake-kg-reason-") as folder:
        path = Path(folder) / "ontology.nt"
        offline.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
            consistent = True
            unsatisfiable = sorted(cls.iri for cls in world.inconsistent_classes() if cls.iri != str(OWL.Nothing))

        except owlready2.OwlReadyInconsistentOntologyError:
            consistent, unsatisfiable = False, []
        except owlready2.OwlReadyJavaError as error:
            first_line = next((line for line in str(error).splitlines()[1:] if line.strip()), str(error))
            raise ReasonerError(f"HermiT failed: {first_line.strip()}") from error
        finally:
            world.close()
    return ReasonerResult(consistent, unsatisfiable, len(offline), time.perf_counter() - started,
                          unsupported_datatypes(offline))
