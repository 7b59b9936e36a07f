"""Read a request body of case records: its format from Content-Type, refused early when it is unsafe."""

from __future__ import annotations

import re

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from deepfake_kg.loaders.errors import UnreadableInput
from deepfake_kg.loaders.read import Batch, read_bytes

INPUT_FORMATS = {
    "text/csv": "csv", "application/json": "json", "application/ld+json": "jsonld", "text/turtle": "turtle",
    "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml",
}
EXTENSIONS = {"csv": "csv", "json": "json", "jsonld": "jsonld", "turtle": "ttl", "ntriples": "nt", "rdfxml": "rdf"}
DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
WIDE_ENCODING = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def refuse_xml_declarations(body: bytes) -> None:
    """Refuse RDF/XML with a DTD or entity declarations (or in an encoding this check cannot read) before parsing."""
    if body.startswith(WIDE_ENCODING) or b"\x00" in body[:1024]:
        raise HTTPException(415, "RDF/XML must be sent as UTF-8")
    if DECLARATION.search(body):
        raise HTTPException(400, "RDF/XML with a DTD or entity declarations (<!DOCTYPE or <!ENTITY) is refused")


async def read_batch(request: Request) -> Batch:
    """The records of the request body, read by the loaders library in the format its Content-Type names."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in INPUT_FORMATS:
        raise HTTPException(415, f"send case records as one of {', '.join(INPUT_FORMATS)}, "
                                 f"not {media_type or 'an untyped body'}")
    body = await request.body()
    file_format = INPUT_FORMATS[media_type]
    if file_format == "rdfxml":
        refuse_xml_declarations(body)
    try:
        return await run_in_threadpool(read_bytes, body, f"request.{EXTENSIONS[file_format]}", file_format)
    except UnreadableInput as error:
        raise HTTPException(400, str(error)) from None
