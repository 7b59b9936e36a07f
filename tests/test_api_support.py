"""Shared fixtures for the API tests: live `deepfake-kg serve` processes over each store, Virtuoso on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TOKEN = "test-token-for-writes-0123456789"
QUERY_TIMEOUT = 2.0
DEEPFAKE_KG = Path(sys.executable).with_name("deepfake-kg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready within {seconds} s")


@dataclass
class LiveServer:
    """A `deepfake-kg serve` subprocess on a free loopback port."""

    url: str
    process: subprocess.Popen
    log: Path
    store: str

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(workdir: Path, store_args: list[str], store: str, env: dict[str, str] | None = None) -> LiveServer:
    port = free_port()
    log = workdir / f"serve-{port}.log"
    token_file = workdir / "token"
    token_file.write_text(TOKEN + "\n")
    command = [str(DEEPFAKE_KG), "serve", "--port", str(port), "--token-file", str(token_file),
               "--query-timeout", str(QUERY_TIMEOUT), "--max-result-bytes", "2000000", "--max-body-bytes", "1000000",
               *store_args]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"deepfake-kg serve exited: {log.read_text()}")
        try:
            return httpx.get(url + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(healthy, 60, "deepfake-kg serve")
    return LiveServer(url, process, log, store)


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory) -> LiveServer:
    workdir = tmp_path_factory.mktemp("embedded-server")
    server = start_server(workdir, ["--data-dir", str(workdir / "store")], "embedded")
    yield server
    server.stop()
