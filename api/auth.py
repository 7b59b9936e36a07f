"""Bearer-token check for writes; the token is never logged or echoed."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="deepfake-kg"'}


def require_token(request: Request) -> None:
    """FastAPI dependency: 403 when the server has no write token, 401 when the request's token is missing or wrong."""
    configured: str | None = request.app.state.settings.token
    if configured is None:
        raise HTTPException(403, "writes are disabled: the server was started without a write token "
                                 "(set DEEPFAKE_KG_TOKEN or --token-file)")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "this request needs the write token: send Authorization: Bearer <token>", CHALLENGE)
    if not hmac.compare_digest(given.strip().encode(), configured.encode()):
        raise HTTPException(401, "the bearer token is not the server's write token", CHALLENGE)
