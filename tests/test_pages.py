"""The pages for people, through FastAPI's test client over a real embedded store."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from deepfake_kg.api.app import create_app
from deepfake_kg.api.pages.home import graph_summary
from deepfake_kg.api.pages.named_queries import header_title, named_queries
from deepfake_kg.api.pages.page_queries import BadIri, iri_term, page_query
from deepfake_kg.api.pages.svg import heatmap, stacked_bars
from deepfake_kg.api.settings import Settings
from deepfake_kg.namespaces import PROVENANCE_GRAPH
from deepfake_kg.paths import QUERIES_DIR
from deepfake_kg.store import EmbeddedStore

DFK = "https://w3id.org/deepfake-kg/ontology/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("pages") / "store", token=None))
    with TestClient(app) as test_client:
        yield test_client


def sparql_count(client: TestClient, where: str) -> int:
    response = client.post("/sparql", data={"query": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"},
                           headers={"Accept": "application/sparql-results+json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_home_counts_what_the_store_holds(client: TestClient) -> None:
    page = client.get("/").text
    shown = {name: int(re.search(rf'id="count-{name}">(\d+)<', page).group(1))
             for name in ("cases", "provisions", "jurisdictions")}
    assert shown == {
        "cases": sparql_count(client, f"?x a <{DFK}CaseRecord>"),
        "provisions": sparql_count(client, f"?x a <{DFK}Provision>"),
        "jurisdictions": sparql_count(client, f"?x a <{DFK}Jurisdiction>"),
    }
    for target in ("/gaps?format=html", "/coverage?format=html", "/sentencing?format=html", "/ontology", "/docs"):
        assert f'href="{target}"' in page


def test_pages_link_only_to_files_served_here(client: TestClient) -> None:
    for url in ("/", "/editor", "/browse/cases", "/contribute", "/charts"):
        page = client.get(url)
        assert page.status_code == 200, url
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
            assert client.get(asset).status_code == 200, asset
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text), url


def test_editor_offers_every_named_query_with_its_header_title(client: TestClient) -> None:
    page = client.get("/editor").text
    files = sorted(QUERIES_DIR.rglob("*.rq"))
    assert files, "the project ships named queries"
    for path in files:
        name = path.relative_to(QUERIES_DIR).with_suffix("").as_posix()
        assert f'<option value="{name}">' in page
    assert len(named_queries()) == len(files)


def test_header_title_is_the_first_comment_line() -> None:
    assert header_title("# Who is reached\n# serves: 3.2\nSELECT * {}") == "Who is reached"
    assert header_title("#\n#   Padded title  \nASK {}") == "Padded title"
    assert header_title("SELECT * {}\n# not a header") == ""


def test_resource_page_describes_a_term_with_labels(client: TestClient) -> None:
    page = client.get("/browse/resource", params={"iri": f"{DFK}Create"})
    assert page.status_code == 200
    assert "DeepfakeActType" in page.text or "deepfake act type" in page.text
    assert client.get("/browse/resource", params={"iri": f"{DFK}NoSuchTermAtAll"}).status_code == 404


@pytest.mark.parametrize("iri", ["not an iri", "http://x/> } ; DROP ALL ; <y", "relative/path", 'http://x/"'])
def test_unsafe_iris_never_reach_a_query(client: TestClient, iri: str) -> None:
    with pytest.raises(BadIri):
        iri_term(iri)
    assert client.get("/browse/resource", params={"iri": iri}).status_code == 400


def test_page_query_binds_every_placeholder() -> None:
    query = page_query("provisions", values=["https://example.org/a", "https://example.org/b"])
    assert "<https://example.org/a> <https://example.org/b>" in query and "$VALUES" not in query


def test_heatmap_shades_by_count_and_leaves_empty_cells_white() -> None:
    chart = heatmap(["create", "disseminate"], ["CN", "EU"], {("create", "CN"): 2, ("disseminate", "EU"): 1}, {})
    fills = {(c.x, c.y): c.fill for c in chart["cells"]}
    assert len(fills) == 4 and list(fills.values()).count("#ffffff") == 2
    darkest = [c for c in chart["cells"] if c.text == "2"][0]
    lighter = [c for c in chart["cells"] if c.text == "1"][0]
    assert sum(int(darkest.fill[i:i + 2], 16) for i in (1, 3, 5)) < sum(int(lighter.fill[i:i + 2], 16) for i in (1, 3, 5))


def test_stacked_bars_are_proportional_to_counts() -> None:
    chart = stacked_bars(["a", "b"], ["CN", "US"], {("a", "CN"): 3, ("a", "US"): 1, ("b", "US"): 2})
    widths = {s.title: s.width for s in chart["segments"]}
    assert widths["a · CN: 3"] == pytest.approx(3 * widths["a · US: 1"])
    assert widths["b · US: 2"] == pytest.approx(2 * widths["a · US: 1"])
    assert [label for _, label, _, _ in chart["labels"]] == ["a", "b"]


def test_last_update_is_the_latest_time_recorded_in_provenance() -> None:
    store = EmbeddedStore(None)
    store.ensure_loaded()
    shipped = graph_summary(store)["last_update"]
    batch = ('<urn:uuid:7d3c0a4e-batch> <http://www.w3.org/ns/prov#endedAtTime> '
             '"2999-01-02T03:04:05Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .')
    store.replace_graphs({str(PROVENANCE_GRAPH): batch})
    assert graph_summary(store)["last_update"] == "2999-01-02T03:04:05Z" != shipped
    store.close()


def test_a_case_iri_opens_its_case_page_and_unknown_cases_are_404(client: TestClient) -> None:
    listed = re.findall(r'data-case-id="([^"]+)"', client.get("/browse/cases").text)
    assert listed, "the curated cases are in the store"
    answer = client.get("/browse/resource", params={"iri": f"https://w3id.org/deepfake-kg/id/case/{listed[0]}"},
                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/browse/cases/{listed[0]}"
    assert client.get(f"/browse/cases/{listed[0]}").status_code == 200
    assert client.get("/browse/cases/no-such-case-anywhere").status_code == 404


def case_rows_shown(page: str) -> int:
    return len(re.findall(r'class="case-row"', page))


def test_case_filters_match_the_graph_and_combine(client: TestClient) -> None:
    acts = re.findall(r'<option value="([a-z_]+)"', client.get("/browse/cases").text.split('id="filter-act"')[1].split("</select>")[0])
    assert "disseminate" in acts
    for act in acts:
        expected = sparql_count(client, f"?x a <{DFK}CaseRecord> ; <{DFK}hasAct>/<{DFK}code> \"{act}\"")
        assert case_rows_shown(client.get("/browse/cases", params={"act": act}).text) == expected, act
    both = sparql_count(client, f"?x a <{DFK}CaseRecord> ; <{DFK}hasAct>/<{DFK}code> \"disseminate\" ; "
                                f"<{DFK}hasBiometricCategory>/<{DFK}code> \"voice\"")
    page = client.get("/browse/cases", params={"act": "disseminate", "biometric": "voice"}).text
    assert case_rows_shown(page) == both
