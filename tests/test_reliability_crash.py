"""Crash safety: `deepfake-kg load` of a large batch is SIGKILLed at several points (one of them while the store
writes its log); the reopened store holds the whole batch or none of it, and the earlier batch is intact."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deepfake_kg.loaders.load import load_batches
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.namespaces import PROVENANCE_GRAPH
from deepfake_kg.store import EmbeddedStore

RECORDS = 3000
RANDOM_POINTS = 3
SEED = int(os.environ.get("DEEPFAKE_KG_CRASH_SEED", "20261126"))
DEEPFAKE_KG = Path(sys.executable).with_name("deepfake-kg")
HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
ROW = ("{prefix}-{n},Generated record {n} for the crash test,CN,2024-0{month}-1{day},create;disseminate,facial,"
       "public_online,https://example.org/{prefix}/{n},face_swap,video,{n}\n")
CASE_GRAPHS = "https://w3id.org/deepfake-kg/graph/case/"


def batch_csv(prefix: str, count: int) -> str:
    return HEADER + "".join(ROW.format(prefix=prefix, n=n, month=1 + n % 9, day=n % 10) for n in range(count))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, bytes, Path]:
    """A store holding an earlier batch of 25 cases (closed), its N-Quads, and the big batch's CSV file."""
    folder = tmp_path_factory.mktemp("crash") / "template"
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    report = validate_batches([read_bytes(batch_csv("early", 25).encode(), "early.csv")], store, workers=1)
    load_batches(report, store, submitter="earlier")
    earlier = graphs_nquads(store, "early-")
    store.close()
    big = folder.parent / "big.csv"
    big.write_text(batch_csv("crash", RECORDS))
    return folder, earlier, big


def graphs_nquads(store: EmbeddedStore, prefix: str) -> bytes:
    """The quads of the case graphs whose case_id starts with `prefix`, sorted (blank nodes do not occur)."""
    lines = [line for line in store.dump().decode().splitlines() if f"<{CASE_GRAPHS}{prefix}" in line.rsplit(" ", 2)[-2]]
    return "\n".join(sorted(lines)).encode()


def log_size(folder: Path) -> int:
    """The size of the store's write-ahead logs (a log may vanish while being listed: the store rotates them)."""
    total = 0
    for path in folder.glob("*.log"):
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            continue
    return total


def run_and_kill(folder: Path, big: Path, after: float | None) -> tuple[str, float]:
    """Start the load in its own process group; SIGKILL the group `after` seconds in, or (None) as soon as the store's
    write-ahead log starts to grow. Answers how it ended and when."""
    start = time.monotonic()
    base = log_size(folder)
    process = subprocess.Popen([str(DEEPFAKE_KG), "load", str(big), "--data-dir", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = start + 120
    while process.poll() is None and time.monotonic() < deadline:
        elapsed = time.monotonic() - start
        if (after is not None and elapsed >= after) or (after is None and log_size(folder) > base):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
            return "killed", elapsed
        time.sleep(0.002)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        pytest.fail("the load neither finished nor was killed within 120 s")
    return f"finished (exit {process.returncode})", time.monotonic() - start


def kill_points() -> list[float | None]:
    rng = random.Random(SEED)
    return [None, *sorted(round(rng.uniform(0.5, 6.0), 2) for _ in range(RANDOM_POINTS))]


@pytest.mark.parametrize("after", kill_points(), ids=lambda after: "on-log-write" if after is None else f"at-{after}s")
def test_a_killed_load_leaves_all_or_nothing(template, tmp_path, after):
    source, earlier, big = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    ended, seconds = run_and_kill(folder, big, after)

    store = EmbeddedStore(folder)
    try:
        graphs = [graph for graph in store.graph_names() if graph.startswith(CASE_GRAPHS + "crash-")]
        cases = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?case <https://w3id.org/deepfake-kg/ontology/caseId> ?id } "
                             f"FILTER(STRSTARTS(STR(?g), '{CASE_GRAPHS}crash-')) }}")[0]["n"]
        provenance = store.ask(f"ASK {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?file <https://w3id.org/deepfake-kg/ontology/fileName> 'big.csv' }} }}")
        print(f"\nSIGKILL point {'on-log-write' if after is None else after}: {ended} after {seconds:.2f} s; "
              f"{len(graphs)} of {RECORDS} case graphs, provenance {'present' if provenance else 'absent'}")
        assert len(graphs) in (0, RECORDS), f"a partial batch: {len(graphs)} of {RECORDS} case graphs"
        assert int(cases) == len(graphs), "every stored graph holds its whole case"
        assert provenance is (len(graphs) == RECORDS), "the batch's provenance goes with its cases"
        assert graphs_nquads(store, "early-") == earlier, "the earlier batch is intact"
        if ended.startswith("finished"):
            assert ended == "finished (exit 0)" and len(graphs) == RECORDS
    finally:
        store.close()


def test_the_load_can_be_run_again_after_a_kill(template, tmp_path):
    """Killed while writing, then run again to the end: the batch is all there, once."""
    source, earlier, big = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    run_and_kill(folder, big, None)
    again = subprocess.run([str(DEEPFAKE_KG), "load", str(big), "--data-dir", str(folder)], capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    store = EmbeddedStore(folder, read_only=True)
    try:
        graphs = [graph for graph in store.graph_names() if graph.startswith(CASE_GRAPHS + "crash-")]
        assert len(graphs) == RECORDS
        assert graphs_nquads(store, "early-") == earlier
    finally:
        store.close()


SERVER_RECORDS = 1000


def serve_in_own_group(folder: Path, token_file: Path) -> tuple[subprocess.Popen, str]:
    """`deepfake-kg serve` in a process group of its own (server and query workers die together)."""
    import httpx

    from test_api_support import free_port, wait_until

    port = free_port()
    process = subprocess.Popen([str(DEEPFAKE_KG), "serve", "--port", str(port), "--data-dir", str(folder),
                                "--token-file", str(token_file), "--max-body-bytes", "5000000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError("deepfake-kg serve exited")
        try:
            return httpx.get(url + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, 60, "deepfake-kg serve")
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        raise
    return process, url


def test_a_server_killed_during_post_cases_keeps_all_or_nothing(template, tmp_path):
    """SIGKILL the server (and its workers) as its store starts writing the batch of a POST /cases."""
    import httpx

    source, earlier, _ = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    token_file = tmp_path / "token"
    token_file.write_text("crash-test-token-93b1\n")
    process, url = serve_in_own_group(folder, token_file)
    answer: dict = {}

    def post() -> None:
        try:
            answer["response"] = httpx.post(url + "/cases", content=batch_csv("served", SERVER_RECORDS).encode(),
                                            headers={"Content-Type": "text/csv", "Authorization": "Bearer crash-test-token-93b1"},
                                            timeout=120)
        except httpx.HTTPError as error:
            answer["error"] = error

    import threading

    base = log_size(folder)
    client = threading.Thread(target=post)
    client.start()
    deadline = time.monotonic() + 120
    while log_size(folder) == base and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    client.join(30)

    store = EmbeddedStore(folder)
    try:
        graphs = [graph for graph in store.graph_names() if graph.startswith(CASE_GRAPHS + "served-")]
        print(f"\nserver SIGKILLed during POST /cases: {len(graphs)} of {SERVER_RECORDS} case graphs; client saw "
              f"{answer.get('response', answer.get('error'))!r}")
        assert len(graphs) in (0, SERVER_RECORDS)
        assert graphs_nquads(store, "early-") == earlier
        if "response" in answer and answer["response"].status_code == 201:
            assert len(graphs) == SERVER_RECORDS, "an acknowledged write survives the crash"
    finally:
        store.close()
