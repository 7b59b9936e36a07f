"""Schemathesis against the service's own OpenAPI schema, on a live server on loopback: a bounded number of
generated requests per route; no answer is a 5xx, and every error is the JSON {"error", "status"}."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from deepfake_kg.api.app import create_app
from deepfake_kg.api.settings import Settings
from test_api_support import TOKEN, LiveServer, start_server

pytest_plugins = ("test_api_support",)

EXAMPLES_PER_ROUTE = int(__import__("os").environ.get("DEEPFAKE_KG_SCHEMA_EXAMPLES", "6"))
LEAKS = ("Traceback", "/work/", "/tmp/", '.py"')


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("schema-server"),
                        ["--data-dir", str(tmp_path_factory.mktemp("schema-store")), "--query-timeout", "30"], "embedded")
    yield live
    live.stop()


# The schema the app itself generates (building the app opens nothing); requests go to a live server.
schema = schemathesis.openapi.from_dict(create_app(Settings(data_dir=Path("unused"), token=None)).openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_generated_requests_get_no_5xx_and_json_errors(case, schema_server):
    response = case.call(base_url=schema_server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    for marker in LEAKS:
        assert marker not in response.text, (marker, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] == response.status_code and body["error"], body
