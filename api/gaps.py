"""Gap detection over HTTP: GET /gaps, GET /gaps/{id}, GET /coverage, GET /sentencing, POST /what-if.

Answers are JSON, CSV or HTML, chosen by `?format=` or else by the Accept header; the objects are those of
the command line and of `deepfake_kg.gaps`. `GET /gaps?case=ID&explain=true` is one case's whole assessment.
"""

from __future__ import annotations

import json
import math
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from deepfake_kg.api.negotiation import CSV, HTML, JSON, negotiate
from deepfake_kg.api.settings import Settings
from deepfake_kg.gaps import GAP_IDS, NOTICE_IDS, ProposalError, coverage, find_gaps, render, sentencing, what_if
from deepfake_kg.gaps.api import explain_case
from deepfake_kg.gaps.evaluation import EvaluationBusy, EvaluationRefused, Limit
from deepfake_kg.gaps.explain import CaseNotFound
from deepfake_kg.gaps.proposals import RDF_SUFFIXES
from deepfake_kg.store import Store, StoreError

router = APIRouter(tags=["gaps"])
FORMATS = {"json": JSON, "csv": CSV, "html": HTML}
OFFERS = {JSON: JSON, CSV: CSV, HTML: HTML, "application/*": JSON, "text/*": HTML}
UPLOAD_SUFFIXES = {"text/turtle": ".ttl", "application/n-triples": ".nt", "application/ld+json": ".jsonld",
                   "application/json": ".json"}
FormatQuery = Query(None, description="json, csv or html (overrides the Accept header)")
REFUSED_ADVICE = "try again later, or ask without as_of for the current report"
_limit_lock = threading.Lock()


def store_of(request: Request) -> Store:
    return request.app.state.store


def limit_of(request: Request) -> Limit:
    """The app's bounds on dated evaluations (one for all its requests), made from its settings on first use."""
    state = request.app.state
    with _limit_lock:
        if getattr(state, "gaps_limit", None) is None:
            settings = getattr(state, "settings", None) or Settings(token=None)
            state.gaps_limit = Limit(settings.as_of_timeout, settings.as_of_at_once)
        return state.gaps_limit


def media_type(request: Request, format: str | None) -> str:
    """The answer's media type from ?format= or the Accept header; 406 when neither can be met."""
    if format is not None:
        if format not in FORMATS:
            raise HTTPException(400, f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        return FORMATS[format]
    chosen = negotiate(request.headers.get("accept"), OFFERS)
    if chosen is None:
        raise HTTPException(406, "this resource is offered as application/json, text/csv or text/html")
    return chosen


def case_page(finding: dict) -> str:
    return f"/cases/{quote(finding['case_id'], safe='')}"


def answer(kind: str, value: object, media: str, **html_args: object) -> Response:
    """Serialise one result kind (findings, explain, what_if, coverage, sentencing) in the chosen media type."""
    if media == CSV:
        return Response(getattr(render, f"{kind}_csv")(value), media_type="text/csv; charset=utf-8")
    if media == HTML:
        return HTMLResponse(getattr(render, f"{kind}_html")(value, **html_args))
    return JSONResponse(value)


def run(call, *args, **kwargs):
    """Call into gap detection, turning bad input into 400, and refused evaluations and store failures into 503."""
    try:
        return call(*args, **kwargs)
    except EvaluationBusy as error:
        raise HTTPException(503, f"{error}; {REFUSED_ADVICE}",
                            headers={"Retry-After": str(max(1, math.ceil(error.seconds)))}) from None
    except EvaluationRefused as error:
        raise HTTPException(503, f"{error}; {REFUSED_ADVICE}") from None
    except ProposalError as error:
        raise HTTPException(400, f"bad proposal: {error}") from None
    except CaseNotFound as error:
        raise HTTPException(404, str(error)) from None
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    except StoreError as error:
        raise HTTPException(503, str(error)) from None


@router.get("/gaps", summary="Regulatory gap findings (gaps.md), or one case's whole assessment")
def gaps(request: Request, gap: str | None = Query(None, description="a gap or notice id"),
         jurisdiction: str | None = Query(None, description="a jurisdiction code such as CN or US-CA"),
         case: str | None = Query(None, description="only the findings on the case with this case_id"),
         explain: bool = Query(False, description="with case: the case's whole assessment (every provision version with "
                                                  "its status, the elements failed or unknown, the legal domains engaged, "
                                                  "every scope check) and its findings"),
         as_of: str | None = Query(None, description="judge every case under the law in force on this date (YYYY-MM-DD)"),
         format: str | None = FormatQuery) -> Response:
    media = media_type(request, format)
    if explain:
        if case is None:
            raise HTTPException(400, "explain needs case=<case_id>: it explains one case")
        if gap or jurisdiction:
            raise HTTPException(400, "explain shows every finding on the case; leave out gap and jurisdiction")
        return answer("explain", run(explain_case, store_of(request), case, as_of=as_of), media, case_link=case_page)
    findings = run(find_gaps, store_of(request), gap=gap, jurisdiction=jurisdiction, as_of=as_of, limit=limit_of(request),
                   case_id=case)
    return answer("findings", findings, media, title="Regulatory gaps", case_link=case_page)


@router.get("/gaps/{gap_id}", summary="The findings of one gap type or notice")
def gap(request: Request, gap_id: str, jurisdiction: str | None = None, as_of: str | None = None,
        case: str | None = Query(None, description="only the findings on the case with this case_id"),
        format: str | None = FormatQuery) -> Response:
    if gap_id not in GAP_IDS + NOTICE_IDS:
        raise HTTPException(404, f"no gap type {gap_id!r}; known: {', '.join(GAP_IDS + NOTICE_IDS)}")
    media = media_type(request, format)
    findings = run(find_gaps, store_of(request), gap=gap_id, jurisdiction=jurisdiction, as_of=as_of,
                   limit=limit_of(request), case_id=case)
    return answer("findings", findings, media, title=f"Regulatory gaps: {gap_id}", case_link=case_page)


@router.get("/coverage", summary="Act type x jurisdiction coverage matrix on a date")
def coverage_matrix(request: Request, as_of: str | None = Query(None, description="date (YYYY-MM-DD), default today"),
                    format: str | None = FormatQuery) -> Response:
    media = media_type(request, format)
    return answer("coverage", run(coverage, store_of(request), as_of), media)


@router.get("/sentencing", summary="Dissemination ranking beside realism, exploitation and harm (paper 5.2)")
def sentencing_view(request: Request, format: str | None = FormatQuery) -> Response:
    media = media_type(request, format)
    return answer("sentencing", run(sentencing, store_of(request)), media)


async def proposals_of(request: Request, folder: Path) -> tuple[list[str | Path], str | None]:
    """Proposal ids and uploaded files from a JSON, form or RDF body; files are written to `folder`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    from_date = request.query_params.get("from")
    if content_type == "application/json":
        try:
            body = json.loads(await request.body())
        except ValueError as error:
            raise HTTPException(400, f"the JSON body cannot be read: {error}") from None
        if not isinstance(body, dict) or not isinstance(body.get("proposals"), list) \
                or not all(isinstance(p, str) for p in body["proposals"]):
            raise HTTPException(400, 'the JSON body must be {"proposals": ["<provision id or IRI>", ...], "from": "YYYY-MM-DD"}')
        return list(body["proposals"]), body.get("from", from_date)
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        proposals: list[str | Path] = [value for value in form.getlist("proposal") if isinstance(value, str)]
        for number, upload in enumerate(value for value in form.getlist("file") if not isinstance(value, str)):
            suffix = Path(upload.filename or "").suffix.lower()
            if suffix not in RDF_SUFFIXES:
                raise HTTPException(400, f"uploaded file {upload.filename!r} must be .ttl, .nt, .json or .jsonld")
            path = folder / f"upload-{number}{suffix}"
            path.write_bytes(await upload.read())
            proposals.append(path)
        return proposals, form.get("from") or from_date
    if content_type in UPLOAD_SUFFIXES:
        path = folder / f"upload{UPLOAD_SUFFIXES[content_type]}"
        path.write_bytes(await request.body())
        return [path], from_date
    raise HTTPException(415, "send application/json, a form (proposal, file, from) or a text/turtle or application/ld+json file")


@router.post("/what-if", summary="Findings that close, stay and open if proposals were law (nothing is stored)")
async def what_if_endpoint(request: Request, format: str | None = FormatQuery) -> Response:
    media = media_type(request, format)
    with tempfile.TemporaryDirectory(prefix="deepfake-kg-what-if-") as folder:
        proposals, from_date = await proposals_of(request, Path(folder))
        if not proposals:
            raise HTTPException(400, "name at least one proposal: a provision id or IRI, or upload a file")
        try:
            result = await run_in_threadpool(run, what_if, store_of(request), proposals, from_date=from_date,
                                             strings_may_be_files=False)
        except HTTPException as error:  # name the upload, never the server's temporary folder
            raise HTTPException(error.status_code, str(error.detail).replace(f"{folder}/", "")) from None
    return answer("what_if", result, media, proposals=[p.name if isinstance(p, Path) else p for p in proposals],
                  case_link=case_page)
