"""Every response, including errors raised before a route runs, carries nosniff; the token file gives its first line."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings, token_from


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("headers-store"), token="t" * 32, max_body_bytes=1000)
    with TestClient(create_app(settings)) as local:
        yield local


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/health", None),
    ("GET", "/sparql?query=ASK%7B%7D", None),
    ("GET", "/sparql?query=%3Cscript%3E", None),
    ("GET", "/cases/no-such-case-here", None),
    ("POST", "/validate", b"x" * 2000),
    ("POST", "/validate", b"<script>alert(1)</script>"),
])
def test_every_response_carries_nosniff(client, method, path, body):
    response = client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    assert response.headers["X-Content-Type-Options"] == "nosniff", (response.status_code, response.text[:200])


def test_the_token_file_gives_its_first_line_only(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("  first-line-token  \nsecond line that is not part of it\n", encoding="utf-8")
    assert token_from(token_file) == "first-line-token"


def test_an_empty_token_file_disables_writes(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("", encoding="utf-8")
    assert token_from(token_file) is None
