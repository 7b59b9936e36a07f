"""Work stops when its client goes away, and the server stops within seconds of SIGTERM, busy or not."""

from __future__ import annotations

import asyncio
import signal
import threading
import time

import httpx
import pytest

from deepfake_kg.api.disconnect import ClientLeft, while_connected

pytest_plugins = ("test_api_support",)


class DepartingRequest:
    """A request whose client is connected for the first `polls` polls, then gone."""

    method, url = "POST", type("URL", (), {"path": "/validate"})()

    def __init__(self, polls: int) -> None:
        self.polls = polls

    async def is_disconnected(self) -> bool:
        self.polls -= 1
        return self.polls < 0


def run(coroutine):
    """asyncio.run on a thread of its own: a test run may already have an event loop on this thread."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - re-raised below
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def endless(steps: list[int]):
    def work(checkpoint) -> None:
        while True:
            steps.append(1)
            checkpoint(1)
            time.sleep(0.01)
    return work


def test_work_stops_at_the_next_checkpoint_after_the_client_left():
    steps: list[int] = []
    with pytest.raises(ClientLeft, match="client left POST /validate"):
        run(while_connected(DepartingRequest(polls=2), endless(steps)))
    done = len(steps)
    time.sleep(0.3)
    assert len(steps) == done, "the work went on after the client left"


def test_work_of_a_cancelled_request_stops_too():
    steps: list[int] = []

    async def cancelled_soon() -> None:
        task = asyncio.ensure_future(while_connected(DepartingRequest(polls=10**6), endless(steps)))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancelled_soon())
    time.sleep(0.1)
    done = len(steps)
    time.sleep(0.3)
    assert done > 0 and len(steps) == done


def test_an_answer_comes_back_when_the_client_stays():
    assert run(while_connected(DepartingRequest(polls=10**6), lambda checkpoint: checkpoint(1) or 42)) == 42


def many_records(count: int) -> bytes:
    rows = [f"d-{n:05d},t,US-CA,2024-03-02,impersonate,voice,own_capture,https://example.org/{n},voice_clone,"
            f"live_audio_call,{n}" for n in range(count)]
    header = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views"
    return ("\n".join([header, *rows]) + "\n").encode()


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def test_the_server_stops_validating_when_the_client_leaves(embedded_server):
    body = many_records(4000)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(embedded_server.url + "/validate", content=body, headers={"Content-Type": "text/csv"}, timeout=2)

    def stopped() -> bool:
        return "the client left POST /validate; the work was stopped" in embedded_server.log.read_text()

    deadline = time.monotonic() + 60
    while not stopped() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stopped(), "the server never noticed that the client had left"
    before = cpu_seconds(embedded_server.process.pid)
    time.sleep(2)
    assert cpu_seconds(embedded_server.process.pid) - before < 1.0, "the server kept working for a client that left"
    assert httpx.get(embedded_server.url + "/health", timeout=10).status_code == 200


def test_sigterm_stops_a_busy_server_within_seconds(tmp_path):
    from test_api_support import start_server

    server = start_server(tmp_path, ["--data-dir", str(tmp_path / "store")], "embedded")
    body = many_records(8500)  # about ten seconds of validation, within the test server's body limit
    assert len(body) < 1_000_000
    threading.Thread(target=lambda: httpx.post(server.url + "/validate", content=body, timeout=120,
                                               headers={"Content-Type": "text/csv"}), daemon=True).start()
    time.sleep(1.5)
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(20)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert code in (0, -signal.SIGTERM), server.log.read_text()[-2000:]  # uvicorn re-raises the signal it caught
    log = server.log.read_text()
    assert "Application shutdown complete" in log and '"POST /validate HTTP/1.1" 200' not in log, "the work ran to its end"
    print(f"SIGTERM to exit while validating: {time.monotonic() - started:.1f} s")
