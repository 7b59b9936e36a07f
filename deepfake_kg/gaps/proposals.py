"""Resolve what-if proposals: provision ids or IRIs in the knowledge base, or files in the same model."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from deepfake_kg.loaders.context import jsonld_to_nquads
from deepfake_kg.loaders.errors import UnreadableInput
from deepfake_kg.namespaces import DFK, ID
from deepfake_kg.store import Store

PROPOSAL_STATUSES = (DFK.Proposed, DFK.NeverEnacted)
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".json": "json-ld", ".jsonld": "json-ld"}


class ProposalError(ValueError):
    """A proposal could not be used; the message names it and says why, in one sentence."""


def resolve(store: Store, proposals: list[str | Path], strings_may_be_files: bool = True) -> tuple[tuple[str, ...], bytes]:
    """The version IRIs to treat as in force, and the N-Triples of any proposal files.

    A `Path` is always a file; a string is a file only when `strings_may_be_files` (never for HTTP clients).
    """
    versions: list[str] = []
    extra = Graph()
    for proposal in proposals:
        path = Path(proposal)
        if isinstance(proposal, Path) and path.suffix.lower() not in RDF_SUFFIXES:
            raise ProposalError(f"{path.name} is not a Turtle (.ttl), N-Triples (.nt) or JSON-LD (.json, .jsonld) file")
        if isinstance(proposal, Path) or (strings_may_be_files and path.suffix.lower() in RDF_SUFFIXES and path.is_file()):
            graph = read_file(path)
            versions += file_versions(graph, path)
            extra += graph
        else:
            versions += stored_versions(store, str(proposal))
    return tuple(dict.fromkeys(versions)), extra.serialize(format="nt", encoding="utf-8") if len(extra) else b""


def read_file(path: Path) -> Graph:
    """Parse a Turtle, N-Triples or JSON-LD proposal file; JSON-LD may not name a remote @context."""
    graph = Graph()
    try:
        text = path.read_text(encoding="utf-8")
        if RDF_SUFFIXES[path.suffix.lower()] == "json-ld":
            graph.parse(data=jsonld_to_nquads(json.loads(text), path.resolve().as_uri()), format="nquads")
        else:
            graph.parse(data=text, format=RDF_SUFFIXES[path.suffix.lower()], publicID=path.resolve().as_uri())
    except UnreadableInput as error:
        raise ProposalError(f"{path.name}: {error}") from None
    except (OSError, UnicodeDecodeError, ValueError, SyntaxError) as error:
        raise ProposalError(f"{path} cannot be read as a proposal: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    except Exception as error:  # rdflib parsers raise their own exception types, each with a located message
        raise ProposalError(f"{path} cannot be read as a proposal: {str(error).splitlines()[0]}") from None
    return graph


def file_versions(graph: Graph, path: Path) -> list[str]:
    """Every provision version a proposal file defines, each of which must belong to a provision; a file may
    instead (or also) declare modelling scope (dfk:ModellingScope), which the evaluation honours as it stands."""
    versions = set(graph.subjects(RDF.type, DFK.ProvisionVersion)) | set(graph.objects(None, DFK.hasVersion))
    if not versions and (None, RDF.type, DFK.ModellingScope) not in graph:
        raise ProposalError(f"{path} defines no dfk:ProvisionVersion to propose and no dfk:ModellingScope to declare")
    for version in versions:
        if (None, DFK.hasVersion, version) not in graph:
            raise ProposalError(f"{path}: version <{version}> belongs to no provision (add <provision> dfk:hasVersion <{version}>)")
    return sorted(str(version) for version in versions)


def candidate_iris(proposal: str) -> list[str]:
    """A full IRI as given; otherwise the provision (or provision version) minted from the id."""
    if proposal.startswith(("http://", "https://", "urn:")):
        return [proposal]
    slug = proposal.removeprefix("provision/")
    return [f"{ID}provision/{slug}"]


def stored_versions(store: Store, proposal: str) -> list[str]:
    """The proposed versions of a stored provision, or the stored version itself."""
    for iri in candidate_iris(proposal):
        if any(c in iri for c in "<>\"{}|\\^` "):
            break
        rows = store.select(f"""
            PREFIX dfk: <{DFK}>
            SELECT ?version ?status ?kind WHERE {{
              {{ <{iri}> dfk:hasVersion ?version . BIND("provision" AS ?kind) }}
              UNION {{ BIND(<{iri}> AS ?version) ?version a dfk:ProvisionVersion . BIND("version" AS ?kind) }}
              OPTIONAL {{ ?version dfk:hasStatus ?status }}
            }}""")
        if not rows:
            continue
        if rows[0]["kind"].toPython() == "version":
            return [str(rows[0]["version"])]
        proposed = sorted({str(row["version"]) for row in rows if row.get("status") in PROPOSAL_STATUSES})
        if not proposed:
            raise ProposalError(f"provision <{iri}> has no proposed or never-enacted version to try as law")
        return proposed
    raise ProposalError(f"{proposal!r} is neither a file nor a provision or provision version in the knowledge base")


__all__ = ["ProposalError", "resolve"]
