"""The IRIs this project mints and the prefixes it writes."""

from rdflib import Namespace

BASE = "https://w3id.org/deepfake-kg/"
ONTOLOGY_IRI = BASE + "ontology"
DFK = Namespace(BASE + "ontology/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
KB_GRAPH = GRAPH["kb"]
PROVENANCE_GRAPH = GRAPH["provenance"]
DRAFTS_GRAPH = GRAPH["drafts"]
META_GRAPH = GRAPH["meta"]
CASE_IRIS = f"{ID}case/"
CASE_GRAPHS = f"{GRAPH}case/"


def case_iri(case_id: str) -> str:
    return CASE_IRIS + case_id


def case_graph(case_id: str) -> str:
    """Each case lives in a named graph of its own, so replacing or deleting it leaves no orphans."""
    return CASE_GRAPHS + case_id


PREFIXES = {
    "dfk": str(DFK),
    "dfkid": str(ID),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}
