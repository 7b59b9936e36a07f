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
QUERY_TIMEOUT = 4.0
DEEPFAKE_KG = Path(sys.executable).with_name("deepfake-kg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Canary:
    """A loopback socket standing for "the network": a test fails if anything it runs connects to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def contacted(self, wait: float = 0.3) -> bool:
        """True if a connection was made (one made during the request is already queued)."""
        self.socket.settimeout(wait)
        try:
            connection, _ = self.socket.accept()
        except socket.timeout:
            return False
        connection.close()
        return True

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def canary():
    probe = Canary()
    yield probe
    probe.close()


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


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 8
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Virtuoso:
    """A Virtuoso Open Source server in a temporary folder, listening on loopback only."""

    endpoint: str
    user: str
    password: str
    process: subprocess.Popen

    def store(self):
        """A remote store on this server, logged in with its credentials."""
        from deepfake_kg.store.remote import PASSWORD_ENV, USER_ENV, RemoteStore

        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(USER_ENV, self.user)
            patch.setenv(PASSWORD_ENV, self.password)
            return RemoteStore(self.endpoint)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Virtuoso:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("SKIPPED LOUDLY: Virtuoso Open Source (virtuoso-t) is not installed; run tests/setup-system "
                    "(apt-get install virtuoso-opensource) to test the remote store")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    password = "TestDbaPassword42"
    log = (folder / "stdout.log").open("wb")
    # Niced, as if it ran on a machine of its own: its heavy queries must not starve the API server under test.
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT, preexec_fn=lambda: os.nice(10))
    endpoint = f"http://127.0.0.1:{http_port}/sparql-auth"

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited: {(folder / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{http_port}/sparql", params={"query": "ASK {}"}, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(ready, 60, "Virtuoso")
        subprocess.run([shutil.which("isql-vt") or "isql", f"127.0.0.1:{sql_port}", "dba", "dba",
                        f"exec=SET PASSWORD dba {password};"], check=True, capture_output=True, timeout=30)
        yield Virtuoso(endpoint, "dba", password, process)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory, virtuoso) -> LiveServer:
    workdir = tmp_path_factory.mktemp("virtuoso-server")
    env = {"DEEPFAKE_KG_STORE_USER": virtuoso.user, "DEEPFAKE_KG_STORE_PASSWORD": virtuoso.password}
    server = start_server(workdir, ["--store", virtuoso.endpoint], "remote", env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory) -> LiveServer:
    workdir = tmp_path_factory.mktemp("embedded-server")
    server = start_server(workdir, ["--data-dir", str(workdir / "store")], "embedded")
    yield server
    server.stop()
