"""Work for one request that stops at its next checkpoint once the client has gone away or the server shuts down.

The work runs on a thread and is handed a checkpoint to call between its steps (the validator calls it after each
chunk of records); the request task polls the connection meanwhile. A thread cannot be killed, so the work ends at
the checkpoint after the client left, never later.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
POLL_SECONDS = 0.25
Checkpoint = Callable[[int], None]


class ClientLeft(Exception):
    """The client went away (or the server began to shut down) before the work finished; it was stopped."""


async def while_connected(request: Request, work: Callable[[Checkpoint], T]) -> T:
    """Run `work(checkpoint)` on a thread; the checkpoint raises ClientLeft once the client has disconnected."""
    left = threading.Event()

    def checkpoint(_done: int = 0) -> None:
        if left.is_set():
            raise ClientLeft(f"the client left {request.method} {request.url.path}; the work was stopped")

    task = asyncio.ensure_future(run_in_threadpool(work, checkpoint))
    try:
        while not (await asyncio.wait({task}, timeout=POLL_SECONDS))[0]:
            if await request.is_disconnected():
                left.set()
        return task.result()
    finally:  # also when this request is cancelled, as at the end of a graceful shutdown
        left.set()
        if not task.done():
            logging.getLogger("deepfake_kg.api").info("stopping %s %s: its client left", request.method, request.url.path)
