"""The browser tests' tools: a live server on 127.0.0.1 and a watched Chromium page."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import uvicorn

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from deepfake_kg.store import EmbeddedStore

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TOKEN = "e2e-write-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """uvicorn serving create_app() in a thread, on a free loopback port, over a fresh data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        app = create_app(Settings(data_dir=data_dir, token=TOKEN))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer on {self.url} within 60 s")

    def reader(self) -> EmbeddedStore:
        """A read-only view of the server's store, to compute expected answers independently of the pages."""
        return EmbeddedStore(self.data_dir, read_only=True)

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


class Watched:
    """A browser page with its console errors, failed requests and any request that left the loopback."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", self._request)
        page.on("requestfailed", lambda request: self.failed_requests.append(request.url))

    def _request(self, request: object) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            self.outside_requests.append(request.url)

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path
