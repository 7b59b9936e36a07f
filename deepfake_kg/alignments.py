"""Alignments to external vocabularies: the SSSOM table generated from the alignment module; the entailments
they license (DPV, ELI, schema.org, PROV, Dublin Core, outbound links) are materialised by deepfake_kg.entailments."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from deepfake_kg.paths import ONTOLOGY_DIR, ontology_files

ALIGNMENT_MODULE = ONTOLOGY_DIR / "alignments.ttl"
SSSOM_FILE = ONTOLOGY_DIR / "deepfake-kg.sssom.tsv"
MODULE_IRI = URIRef("https://w3id.org/deepfake-kg/ontology/module/alignments")
MAPPING_SET_ID = "https://w3id.org/deepfake-kg/ontology/deepfake-kg.sssom.tsv"
JUSTIFICATION = "semapv:ManualMappingCuration"

# The predicates that state a mapping, strongest first (the order of the per-strength count).
MAPPING_PREDICATES = (OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf,
                      SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)

# CURIE prefixes of the SSSOM table; longer namespaces first so the most specific one wins.
CURIE_MAP = {
    "dfk": "https://w3id.org/deepfake-kg/ontology/",
    "eu-aiact": "https://w3id.org/dpv/legal/eu/aiact#",
    "legal-eu": "https://w3id.org/dpv/legal/eu#",
    "pd": "https://w3id.org/dpv/pd#",
    "ai": "https://w3id.org/dpv/ai#",
    "risk": "https://w3id.org/dpv/risk#",
    "dpv": "https://w3id.org/dpv#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-act": "http://data.europa.eu/eli/",
    "schema": "https://schema.org/",
    "lkif-norm": "http://www.estrellaproject.org/lkif-core/norm.owl#",
    "lkif-action": "http://www.estrellaproject.org/lkif-core/legal-action.owl#",
    "airo": "https://w3id.org/airo#",
    "vair": "https://w3id.org/vair#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "semapv": "https://w3id.org/semapv/vocab/",
}
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification", "comment")


@dataclass(frozen=True, order=True)
class SSSOMRow:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str


def curie(iri: URIRef) -> str:
    """The CURIE of an IRI under CURIE_MAP; an error names the IRI if no prefix covers it."""
    for prefix, namespace in sorted(CURIE_MAP.items(), key=lambda item: -len(item[1])):
        if str(iri).startswith(namespace):
            return f"{prefix}:{str(iri)[len(namespace):]}"
    raise ValueError(f"no CURIE prefix covers the IRI {iri}")


def english_label(graph: Graph, term: URIRef) -> str:
    labels = sorted(graph.objects(term, RDFS.label), key=lambda label: (getattr(label, "language", None) != "en", str(label)))
    return str(labels[0]) if labels else ""


def axiom_comment(graph: Graph, subject: URIRef, predicate: URIRef, target: URIRef) -> str:
    """The rdfs:comment of the owl:Axiom that annotates one mapping triple, if there is one."""
    for axiom in graph.subjects(OWL.annotatedSource, subject):
        if (axiom, OWL.annotatedProperty, predicate) in graph and (axiom, OWL.annotatedTarget, target) in graph:
            return " ".join(str(comment) for comment in graph.objects(axiom, RDFS.comment))
    return ""


def is_mapping(subject, target) -> bool:
    """A mapping relates a named term to a named term of another vocabulary."""
    dfk = CURIE_MAP["dfk"]
    return isinstance(subject, URIRef) and isinstance(target, URIRef) and not str(target).startswith(dfk)


def sssom_rows(graph: Graph, labels: Graph | None = None) -> list[SSSOMRow]:
    """One SSSOM row per mapping triple in `graph` (the alignment module), labelled from `labels` (default: graph)."""
    labels = labels if labels is not None else graph
    rows = {SSSOMRow(curie(subject), english_label(labels, subject), curie(predicate), curie(target),
                     english_label(labels, target), JUSTIFICATION, axiom_comment(graph, subject, predicate, target))
            for predicate in MAPPING_PREDICATES
            for subject, target in graph.subject_objects(predicate) if is_mapping(subject, target)}
    return sorted(rows)


def module_graph() -> Graph:
    return Graph().parse(ALIGNMENT_MODULE, format="turtle")


def ontology_graph() -> Graph:
    """Every ontology module merged (for labels of both dfk terms and declared external terms)."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def module_version(graph: Graph) -> str:
    return str(graph.value(MODULE_IRI, OWL.versionInfo))


def sssom_text(rows: list[SSSOMRow], version: str) -> str:
    """The SSSOM table (YAML header as # comments, then TSV) for the rows."""
    header = ["curie_map:", *(f"  {prefix}: {namespace}" for prefix, namespace in CURIE_MAP.items()),
              f"mapping_set_id: {MAPPING_SET_ID}",
              f"mapping_set_version: {version}",
              "mapping_set_title: deepfake-kg alignments to DPV, ELI, schema.org, LKIF-Core, AIRO/VAIR, PROV-O and Dublin Core",
              "mapping_set_description: Generated from ontology/alignments.ttl by deepfake_kg.alignments; do not edit by hand.",
              "license: https://creativecommons.org/licenses/by/4.0/"]
    lines = [f"#{line}" for line in header] + ["\t".join(COLUMNS)]
    lines += ["\t".join(astuple(row)) for row in rows]
    return "\n".join(lines) + "\n"


def generated_sssom() -> str:
    """The SSSOM table that the alignment module in the package generates now."""
    module = module_graph()
    return sssom_text(sssom_rows(module, ontology_graph()), module_version(module))


def write_sssom(path: Path = SSSOM_FILE) -> Path:
    path.write_text(generated_sssom(), encoding="utf-8")
    return path


def mapping_counts(graph: Graph) -> dict[str, dict[str, int]]:
    """How many mappings the module states, per target vocabulary prefix and per predicate."""
    counts: dict[str, dict[str, int]] = {"vocabulary": {}, "strength": {}}
    for row in sssom_rows(graph):
        vocabulary = row.object_id.split(":", 1)[0]
        counts["vocabulary"][vocabulary] = counts["vocabulary"].get(vocabulary, 0) + 1
        counts["strength"][row.predicate_id] = counts["strength"].get(row.predicate_id, 0) + 1
    return counts


if __name__ == "__main__":
    print(f"wrote {write_sssom()}")
