"""GET /health: whether the store answers, its writes succeed and the record validator works."""

from __future__ import annotations

import logging
import threading
import time

from fastapi import APIRouter, Depends, Request

from deepfake_kg.api.deps import get_store
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.sparql_guard import parseQuery
from deepfake_kg.store import Store, StoreError

VALIDATOR_CHECK_SECONDS = 5.0  # how long a validator check's outcome is reused, so that /health stays cheap
KNOWN_GOOD_RECORD = (
    b"case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
    b"health-check,A known-good record checked by GET /health,US-CA,2024-03-02,impersonate,voice,own_capture,"
    b"https://example.org/health-check,voice_clone,live_audio_call,1\n"
)
PARSED_QUERY = "SELECT ?case WHERE { ?case a ?class FILTER(?class != <urn:x>) } ORDER BY ?case LIMIT 1"

router = APIRouter(tags=["service"])


def validator_problem(store: Store) -> str | None:
    """Why validating records is broken, or None: rdflib's SPARQL grammar parses a query afresh (the query caches
    skip it), and a known-good record passes the path POST /validate takes (reading, store context, SHACL)."""
    try:
        parseQuery(PARSED_QUERY)
        report = validate_batches([read_bytes(KNOWN_GOOD_RECORD, "health-check.csv")], store, workers=1)
    except Exception as error:  # whatever breaks the validator is the finding
        logging.getLogger("deepfake_kg.api").exception("the record validator failed its health check")
        return f"validating a known-good record failed: {type(error).__name__}: {str(error)[:200]}"
    blocking = [problem.message for problem in report.problems if problem.blocking]
    return f"the validator refuses a known-good record: {blocking[0]}" if blocking else None


class ValidatorCheck:
    """The last validator check's outcome, redone when older than VALIDATOR_CHECK_SECONDS, one check at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._problem: str | None = None

    def problem(self, store: Store) -> str | None:
        with self._lock:
            if self._checked_at is None or time.monotonic() - self._checked_at >= VALIDATOR_CHECK_SECONDS:
                self._problem = validator_problem(store)
                self._checked_at = time.monotonic()
            return self._problem


VALIDATOR = ValidatorCheck()


def store_problem(store: Store) -> str | None:
    try:
        store.ask_alive()
    except StoreError as error:
        return str(error)
    return None


@router.get("/health", summary="Liveness, store, writes and validator status")
def health(request: Request, store: Store = Depends(get_store)) -> dict:
    """"ok", or "degraded" with the error of each failing part: the store, the last write, the record validator."""
    settings, pool = request.app.state.settings, request.app.state.pool
    problems = {"store_error": store_problem(store), "write_error": store.write_error,
                "validator_error": VALIDATOR.problem(store)}
    status = {"status": "degraded" if any(problems.values()) else "ok",
              "store": "remote" if settings.store_url else "embedded", "store_ok": problems["store_error"] is None,
              "writes_ok": problems["write_error"] is None, "validator_ok": problems["validator_error"] is None,
              "query_workers_idle": pool.idle(), "query_timeout_s": settings.query_timeout,
              "writes_enabled": settings.token is not None, "query_workers_off_network": pool.network_isolated()}
    return {**status, **{name: problem for name, problem in problems.items() if problem}}
