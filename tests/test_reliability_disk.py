"""A full disk, for real: the server's store lives on a small tmpfs that a ballast file fills. While it is full every
write (POST /cases, DELETE) is a 507 that changes nothing, reads go on and /health is degraded; once the ballast is
gone the next write succeeds without a restart, /health is ok again, and nothing stored is lost. The reopening that
makes this work waits for reads still running on the failed store."""

from __future__ import annotations

import errno
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deepfake_kg.entailments import case_entailments_graph
from deepfake_kg.namespaces import case_graph
from deepfake_kg.store import EmbeddedStore
from deepfake_kg.store.base import StoreFull
from deepfake_kg.store.embedded import DISK_FULL
from test_api_support import TOKEN, LiveServer, start_server

pytest_plugins = ("test_api_support",)

DISK_MB = 64  # room for the store (a few MB), its table files and the ballast
HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
ROW = ("{case_id},Voice clone used in a payment fraud call,US-CA,2024-03-02,impersonate,voice,own_capture,"
       "https://example.org/{case_id},voice_clone,live_audio_call,7\n")
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A fresh tmpfs of DISK_MB MiB; skipped when this machine does not let the tests mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(disk)],
                                 capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        pytest.skip("SKIPPED LOUDLY: there is no mount command, so no small disk to fill")
    if mounted.returncode != 0:
        pytest.skip(f"SKIPPED LOUDLY: mounting a tmpfs is not permitted here ({mounted.stderr.strip()}); "
                    "the full-disk test needs root with mount allowed")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=True, timeout=30)


@pytest.fixture
def disk_server(tmp_path: Path, small_disk: Path) -> Iterator[LiveServer]:
    server = start_server(tmp_path, ["--data-dir", str(small_disk / "store"), "--query-workers", "1"], "embedded")
    yield server
    server.stop()


def fill(disk: Path) -> Path:
    """Write a ballast file until not one more byte fits on the disk; answer the file."""
    ballast = disk / "ballast"
    with ballast.open("wb", buffering=0) as sink:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    sink.write(bytes(size))
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    assert shutil.disk_usage(disk).free == 0
    return ballast


def post_cases(http: httpx.Client, *case_ids: str) -> httpx.Response:
    body = HEADER + "".join(ROW.format(case_id=case_id) for case_id in case_ids)
    return http.post("/cases", content=body.encode(), headers={"Content-Type": "text/csv", **AUTH})


def quad_count(http: httpx.Client) -> int:
    response = http.get("/sparql", params={"query": COUNT_QUADS})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def stored_nquads(folder: Path) -> set[str]:
    """Every quad of the store in `folder`, read beside the server through a read-only view."""
    store = EmbeddedStore(folder, read_only=True)
    try:
        return set(store.dump().decode().splitlines())
    finally:
        store.close()


def graph_of(quad: str) -> str:
    """The graph IRI of an N-Quads line (its last term before the final dot)."""
    return quad.rsplit(" ", 2)[-2][1:-1]


def assert_refused_for_a_full_disk(response: httpx.Response) -> None:
    assert response.status_code == 507, response.text
    body = response.json()
    assert body["status"] == 507 and "disk" in body["error"] and "full" in body["error"], body
    assert "nothing was written" in body["error"] and "/" not in body["error"], body


def test_full_disk_gives_507_keeps_reads_and_recovers_without_a_restart(disk_server, small_disk):
    folder = small_disk / "store"
    with httpx.Client(base_url=disk_server.url, timeout=60) as http:
        assert post_cases(http, "disk-early").status_code == 201
        before, count = stored_nquads(folder), quad_count(http)
        ballast = fill(small_disk)

        assert_refused_for_a_full_disk(post_cases(http, *(f"disk-full-{n}" for n in range(40))))
        assert_refused_for_a_full_disk(http.delete("/cases/disk-early", headers=AUTH))
        assert_refused_for_a_full_disk(post_cases(http, "disk-full-again"))
        health = http.get("/health").json()
        assert health["status"] == "degraded" and health["writes_ok"] is False, health
        assert "full" in health["write_error"] and health["store_ok"] is True, health
        assert quad_count(http) == count, "the refused writes changed nothing and reads go on"
        assert http.get("/cases/disk-early").status_code == 200
        assert http.get("/cases/disk-full-0").status_code == 404

        ballast.unlink()
        assert post_cases(http, "disk-after").status_code == 201, "the first write once space is back succeeds"
        health = http.get("/health").json()
        assert health["status"] == "ok" and health["writes_ok"] is True and "write_error" not in health, health
        assert http.delete("/cases/disk-early", headers=AUTH).status_code == 204
        assert http.get("/cases/disk-after").status_code == 200
    disk_server.stop()
    after = stored_nquads(folder)
    deleted = {str(case_graph("disk-early")), str(case_entailments_graph(case_graph("disk-early")))}
    assert {quad for quad in before if graph_of(quad) not in deleted} <= after, "nothing stored before is lost"
    graphs = {graph_of(quad) for quad in after}
    assert str(case_graph("disk-after")) in graphs and str(case_graph("disk-full-0")) not in graphs


def ntriples(graph: str, count: int) -> str:
    return "".join(f"<{graph}/s{n}> <{graph}/p> \"{'text ' * 20}{n}\" .\n" for n in range(count))


def write_or_note(store: EmbeddedStore, failures: list[Exception]) -> None:
    try:
        store.replace_graphs({"urn:test:after": ntriples("urn:test:after", 200)})
    except Exception as error:
        failures.append(error)


def test_recovery_waits_for_a_read_still_running_on_the_failed_store(small_disk):
    """A read in flight on the failed store holds RocksDB's lock on the folder: the reopening waits for it."""
    store = EmbeddedStore(small_disk / "store")
    store.replace_graphs({"urn:test:early": ntriples("urn:test:early", 10)})
    ballast = fill(small_disk)
    with pytest.raises(StoreFull):
        store.replace_graphs({"urn:test:refused": ntriples("urn:test:refused", 200)})
    assert store.write_error == DISK_FULL
    reads = [store.oxigraph.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")]  # not read to the end yet
    ballast.unlink()
    failures: list[Exception] = []
    writer = threading.Thread(target=write_or_note, args=(store, failures))
    writer.start()
    time.sleep(0.5)
    reads.clear()  # on the thread that made it: pyoxigraph results may not be dropped on another
    writer.join()
    assert failures == [] and store.write_error is None
    assert store.graph_names() == ["urn:test:after", "urn:test:early"]
    store.close()
