"""Content negotiation: pick the media type to answer from an Accept header and what a resource offers."""

from __future__ import annotations

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
HTML = "text/html"
JSON = "application/json"

# Each offer maps every media type a client may ask for to the one we answer with (first = default).
RESULT_OFFERS = {
    SPARQL_JSON: SPARQL_JSON, SPARQL_XML: SPARQL_XML, CSV: CSV, TSV: TSV,
    JSON: SPARQL_JSON, "application/xml": SPARQL_XML, "text/xml": SPARQL_XML,
}
GRAPH_OFFERS = {
    TURTLE: TURTLE, N_TRIPLES: N_TRIPLES, JSON_LD: JSON_LD, RDF_XML: RDF_XML,
    "application/x-turtle": TURTLE, "text/plain": N_TRIPLES, JSON: JSON_LD,
    "application/xml": RDF_XML, "text/xml": RDF_XML,
}
RDF_SERIALISATIONS = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)


def _ranges(accept: str) -> list[tuple[float, int, int, str]]:
    """(quality, specificity, position, media range) for each entry of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        specificity = 0 if media_range == "*/*" else 1 if media_range.endswith("/*") else 2
        ranges.append((quality, specificity, -position, media_range.lower()))
    return sorted(ranges, reverse=True)


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The media type to answer with, or None when nothing acceptable is offered (406)."""
    default = next(iter(offers.values()))
    if not accept or not accept.strip():
        return default
    for quality, specificity, _, media_range in _ranges(accept):
        if quality <= 0:
            continue
        if specificity == 0:
            return default
        if specificity == 1:
            kind = media_range[:-1]
            match = next((answer for asked, answer in offers.items() if asked.startswith(kind)), None)
            if match:
                return match
        elif media_range in offers:
            return offers[media_range]
    return None
