"""JSON errors: every 4xx and 5xx answer is {"error": <one clear sentence>, "status": <code>}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from deepfake_kg.api.disconnect import ClientLeft
from deepfake_kg.store.base import StoreError, StoreFull

CLIENT_CLOSED_REQUEST = 499  # nginx's status for a request whose client went away; logged, never received
MESSAGES = {404: "no such resource", 405: "this method is not allowed here"}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a JSON body with a clear message."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        detail = error.detail if isinstance(error.detail, str) else str(error.detail)
        if detail in ("Not Found", "Method Not Allowed"):
            detail = f"{MESSAGES[error.status_code]}: {request.method} {request.url.path}"
        return error_response(error.status_code, detail, getattr(error, "headers", None))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, error: StoreError) -> JSONResponse:
        logging.getLogger("deepfake_kg.api").warning("store error on %s %s: %s", request.method, request.url.path, error)
        return error_response(502, f"the store failed: {error}")

    @app.exception_handler(ClientLeft)
    async def client_left(request: Request, error: ClientLeft) -> JSONResponse:
        logging.getLogger("deepfake_kg.api").info("%s", error)
        return error_response(CLIENT_CLOSED_REQUEST, str(error))

    @app.exception_handler(StoreFull)
    async def store_full(request: Request, error: StoreFull) -> JSONResponse:
        """507 Insufficient Storage: the write changed nothing and may be sent again once there is room."""
        logging.getLogger("deepfake_kg.api").warning("disk full on %s %s", request.method, request.url.path)
        return error_response(507, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logging.getLogger("deepfake_kg.api").exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, f"internal error while answering {request.method} {request.url.path}; see the server log")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(_describe(item) for item in error.errors())
        return error_response(422, f"invalid request: {problems}")
