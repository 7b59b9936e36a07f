"""A small pool of query worker processes: a query past its time limit is stopped by killing its worker."""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import time
from multiprocessing.process import BaseProcess

from deepfake_kg.api.worker import NotAcceptable, ResultTooLarge, StoreSpec, serve
from deepfake_kg.sparql_guard import QueryRefused

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["deepfake_kg.api.worker", "deepfake_kg.sparql_guard", "deepfake_kg.api.negotiation",
                                 "deepfake_kg.store.embedded", "deepfake_kg.store.remote"])


START_TIMEOUT = 60.0


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


class QueryFailed(Exception):
    """The store refused the query itself; the message says why."""


class StoreUnavailable(Exception):
    """The store failed while answering (unreachable remote endpoint, unreadable folder, worker crash)."""


class QueryOutOfMemory(Exception):
    """The query needed more memory than a query worker may use, and its worker was stopped."""


class QueryCrashed(Exception):
    """The engine crashed on the query (its stack ran out), and a fresh worker took the crashed one's place."""


FAILURES: dict[str, type[Exception]] = {"too_large": ResultTooLarge, "bad_query": QueryFailed, "refused": QueryRefused,
                                        "not_acceptable": NotAcceptable, "out_of_memory": QueryOutOfMemory}


class _Worker:
    def __init__(self, spec: StoreSpec) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(target=serve, args=(child, spec), daemon=True, name="deepfake-kg-query")
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"the query worker did not start within {START_TIMEOUT} s")
        _, self.online_because = self.conn.recv()
        if self.online_because:
            logging.getLogger("deepfake_kg.api").warning("query worker stays on the network: %s", self.online_because)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that each open the store read-only and run one query at a time."""

    def __init__(self, spec: StoreSpec, size: int, timeout: float, max_bytes: int) -> None:
        self.spec = spec
        self.size = size
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.generation = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._fill, daemon=True, name="query-pool-start").start()

    def _fill(self) -> None:
        """Start the workers in the background, so the server answers (e.g. /health) at once."""
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        try:
            self._start_one()
        except (OSError, RuntimeError, EOFError):
            logging.getLogger("deepfake_kg.api").exception("a query worker could not be started")

    def _start_one(self) -> None:
        worker = _Worker(self.spec)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start a fresh one in the background, so the caller can answer at once."""
        with self._lock:
            self._all.discard(worker)

        def work() -> None:
            worker.stop()
            self._add()

        threading.Thread(target=work, daemon=True).start()

    def written(self) -> None:
        """The server has committed a write: workers reopen the store before their next query."""
        self.generation += 1

    def idle(self) -> int:
        return self._idle.qsize()

    def network_isolated(self) -> bool | None:
        """True when every started worker is off the network, False when one is not, None before any has started."""
        with self._lock:
            workers = list(self._all)
        if not workers:
            return None
        return all(worker.online_because is None for worker in workers)

    def run(self, query: str, media_type: str) -> bytes:
        """Run a query as it is (no guard) and write its result as `media_type`; blocking, so call it from a thread."""
        _, body = self._ask(("run", self.generation, query, media_type, self.max_bytes))
        return body

    def answer(self, query: str, accept: str | None) -> tuple[str, bytes]:
        """Check a client's query with the guard, choose its media type from `accept`, run it: (media type, body).

        Raises QueryRefused, NotAcceptable, or one of the pool's failures; blocking, so call it from a thread.
        """
        media_type, body = self._ask(("answer", self.generation, query, accept, self.max_bytes))
        return media_type, body

    def refusal_of_update(self, text: str) -> str:
        """Why an update is refused, naming its operations when it parses (parsed in a worker, within the limits)."""
        return self._ask(("refuse_update", text), refusal=True)

    def _ask(self, request: tuple, refusal: bool = False):
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise PoolBusy(f"every query worker stayed busy for the whole time limit of {self.timeout:g} s") from None
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            raise self._lost(worker) from None
        self._idle.put(worker)
        if status == "ok" or (refusal and status == "refused"):
            return payload
        if status in FAILURES:
            raise FAILURES[status](payload)
        raise StoreUnavailable(payload)

    def _lost(self, worker: _Worker) -> Exception:
        """The failure to report for a worker that died mid-query; a memory limit kills by abort (SIGABRT)."""
        worker.process.join(1)
        died_of = worker.process.exitcode
        self._replace(worker)
        if self.spec.memory_bytes and died_of in (-signal.SIGABRT, -signal.SIGKILL):
            megabytes = self.spec.memory_bytes // 2**20
            return QueryOutOfMemory(f"the query needed more than the {megabytes} MB a query worker may use, "
                                    "and was stopped")
        if died_of == -signal.SIGSEGV:
            return QueryCrashed("the engine ran out of stack on this query (too many patterns or too deep a "
                                "nesting); split or simplify it")
        return StoreUnavailable(f"the query worker stopped unexpectedly (exit status {died_of})")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
