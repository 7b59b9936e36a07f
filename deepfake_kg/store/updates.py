"""SPARQL Update text shared by every store: replace whole named graphs, record shipped graphs' fingerprints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from deepfake_kg.namespaces import DFK, META_GRAPH as META_GRAPH_IRI
from deepfake_kg.store.base import GraphContent

META_GRAPH = str(META_GRAPH_IRI)
SOURCE_HASH = str(DFK["sourceHash"])
# Virtuoso compiles each operation to SQL and refuses more than 10,000 lines of it: keep operations small.
TEMPLATE_TRIPLES = 200
DATA_TRIPLES = 500


def _blank_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples holding blank nodes, grouped so that every blank node's triples stay in one group."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            label = parent[label]
        return label

    for triple in triples:
        labels = [term.value for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)]
        for other in labels[1:]:
            parent[root(other)] = root(labels[0])
    components: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        label = next(term.value for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode))
        components.setdefault(root(label), []).append(triple)
    groups: list[list[ox.Triple]] = [[]]
    for component in components.values():
        if groups[-1] and len(groups[-1]) + len(component) > TEMPLATE_TRIPLES:
            groups.append([])
        groups[-1].extend(component)
    return [group for group in groups if group]


def _ntriples(triples: list[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


def as_triples(content: GraphContent) -> list[ox.Triple]:
    """A graph's triples, parsed when given as N-Triples text (raises SyntaxError for bad text)."""
    if isinstance(content, str):
        return [quad.triple for quad in ox.parse(content, format=ox.RdfFormat.TURTLE)]
    return list(content)


def as_ntriples(content: GraphContent) -> str:
    return content if isinstance(content, str) else _ntriples(list(content))


def trig(graphs: Iterable[tuple[str, str]]) -> str:
    """Named graphs, each given as N-Triples text, as one TriG document."""
    return "".join(f"<{graph}> {{\n{text}\n}}\n" for graph, text in graphs)


def delete_operations(graph: str, triples: list[ox.Triple]) -> list[str]:
    """Delete ground triples from one named graph, a few hundred per operation (SPARQL refuses blank nodes here)."""
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        raise ValueError(f"triples to delete from {graph} hold blank nodes; only ground triples can be deleted")
    return [f"DELETE DATA {{ GRAPH <{graph}> {{ {_ntriples(triples[start:start + DATA_TRIPLES])} }} }}"
            for start in range(0, len(triples), DATA_TRIPLES)]


def insert_operations(graph: str, ntriples: str, portable: bool) -> list[str]:
    """Insert N-Triples into one named graph; `portable` splits it into operations any server accepts.

    Portable: operations of at most a few hundred triples, and triples with blank nodes in INSERT templates
    (Virtuoso refuses blank nodes in INSERT DATA), each holding every triple of the blank nodes it mentions.
    """
    if not portable:
        return [f"INSERT DATA {{ GRAPH <{graph}> {{ {ntriples} }} }}"]
    triples = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.TURTLE)]
    ground = [t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)]
    blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    operations = [f"INSERT DATA {{ GRAPH <{graph}> {{ {_ntriples(ground[start:start + DATA_TRIPLES])} }} }}"
                  for start in range(0, len(ground), DATA_TRIPLES)]
    operations += [f"INSERT {{ GRAPH <{graph}> {{ {_ntriples(group)} }} }} WHERE {{}}" for group in _blank_groups(blank)]
    return operations


def replace_graphs(graphs: Mapping[str, GraphContent], drop: Iterable[str] = (), portable: bool = False, *,
                   add: Mapping[str, GraphContent] | None = None, remove: Mapping[str, GraphContent] | None = None) -> str:
    """One request: drop each graph in `drop` and in `graphs`, delete `remove`'s triples, insert `graphs` and `add`."""
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in (*drop, *graphs)]
    for graph, content in (remove or {}).items():
        operations += delete_operations(graph, as_triples(content))
    for graph, content in (*graphs.items(), *(add or {}).items()):
        ntriples = as_ntriples(content)
        if ntriples.strip():
            operations += insert_operations(graph, ntriples, portable)
    return " ;\n".join(operations)


def shipped_graph_operations(graph: str, ntriples: str, digest: str, portable: bool = False) -> list[str]:
    """Swap a shipped graph, forgetting its fingerprint first and recording it last.

    Run as one request they are one transaction; run one by one, a crash midway leaves no fingerprint,
    so the graph is loaded again at the next start.
    """
    return [
        f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{SOURCE_HASH}> ?hash }} }}",
        f"DROP SILENT GRAPH <{graph}>",
        *(insert_operations(graph, ntriples, portable) if ntriples.strip() else []),
        f'INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{SOURCE_HASH}> "{digest}" }} }}',
    ]


def stored_fingerprint_query(graph: str) -> str:
    return f"SELECT ?hash WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{SOURCE_HASH}> ?hash }} }}"
