"""Take a query worker off the network: a new network namespace has no interface up, not even loopback.

This is the second layer behind the SPARQL guard: should a query that reaches the network ever pass the guard
(SERVICE through a tokenisation the guard and the engine read differently), the engine finds nothing to connect to.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


class IsolationUnavailable(OSError):
    """The kernel refused a new network namespace (no privilege and no unprivileged user namespaces)."""


def _unshare(flags: int) -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()


def leave_the_network() -> None:
    """Move this (single-threaded) process into a network namespace of its own; raise IsolationUnavailable if refused."""
    errno = _unshare(CLONE_NEWNET)
    if errno:
        errno = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if errno:
        raise IsolationUnavailable(errno, f"no network namespace for the query worker: {os.strerror(errno)}")
