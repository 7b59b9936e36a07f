"""The running service keeps its findings current: a case stored, replaced or deleted over HTTP shows in the next report."""

from __future__ import annotations

import httpx
import pytest

pytest_plugins = ("test_api_support",)

HEADER = ("case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,subject_consent,"
          "views,provisions_applied\n")
ROW = "{case_id},Face swap video made from photos,CN,2024-05-01,create;disseminate,facial,{source},https://example.org/a/1,face_swap,video,no,1200,\n"
CASE_ID = "gaps-live-1"


@pytest.fixture(scope="module")
def client(embedded_server):
    from test_api_support import TOKEN

    with httpx.Client(base_url=embedded_server.url, timeout=60) as http:
        http.token = {"Authorization": f"Bearer {TOKEN}"}
        yield http


def gaps_of(client: httpx.Client, case_id: str) -> set[str]:
    """The gap types the findings on the case are about (the gap itself, or a notice about it)."""
    response = client.get("/gaps", params={"format": "json"})
    assert response.status_code == 200, response.text
    return {finding["about"] for finding in response.json() if finding["case_id"] == case_id}


def store(client: httpx.Client, data_source: str) -> None:
    body = (HEADER + ROW.format(case_id=CASE_ID, source=data_source)).encode()
    response = client.post("/cases", content=body, headers={"Content-Type": "text/csv", **client.token})
    assert response.status_code == 201, response.text


def test_reports_follow_stores_replacements_and_deletions(client):
    assert gaps_of(client, CASE_ID) == set()  # the report is computed (and kept) before the case exists
    store(client, "public_online")
    # Art. 253-1 reaches obtaining personal information unlawfully; public photos were obtained lawfully
    assert "lawful-acquisition-unlawful-use" in gaps_of(client, CASE_ID)
    store(client, "stolen")
    assert "lawful-acquisition-unlawful-use" not in gaps_of(client, CASE_ID)
    assert client.delete(f"/cases/{CASE_ID}", headers=client.token).status_code == 204
    assert gaps_of(client, CASE_ID) == set()
