"""Bearer-token check for writes; the token is never logged or echoed."""

from __future__ import annotations

import hmac
import logging

from fastapi import HTTPException, Request

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="deepfake-kg"'}
log = logging.getLogger("deepfake_kg.api.auth")


def refuse(request: Request, status: int, reason: str, headers: dict | None = None) -> HTTPException:
    """Log a refused write (route, client, reason; never a token) and build its error."""
    client = request.client.host if request.client else "unknown"
    log.warning("write refused: %s %s from %s: %s", request.method, request.url.path, client, reason)
    return HTTPException(status, reason, headers)


def require_token(request: Request) -> None:
    """FastAPI dependency: 403 when the server has no write token, 401 when the request's token is missing or wrong."""
    configured: str | None = request.app.state.settings.token
    if configured is None:
        raise refuse(request, 403, "writes are disabled: the server was started without a write token "
                                   "(set DEEPFAKE_KG_TOKEN or --token-file)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise refuse(request, 401, "this request needs the write token: send Authorization: Bearer <token>", CHALLENGE)
    if not hmac.compare_digest(given.strip().encode(), configured.encode()):
        raise refuse(request, 401, "the bearer token is not the server's write token", CHALLENGE)
