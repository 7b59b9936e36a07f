"""Crash safety: `deepfake-kg load` is SIGKILLed at several points, named moments of a staged load (its first list
written, its first bulk files, its first stage stored) and random times, and as a small load's one transaction is
written; the reopened store holds the whole batch or none of it, no list of staged graphs, and the earlier batch
intact."""

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

from deepfake_kg.loaders.load import STAGE_SIZE, STAGED_MIN, load_batches
from deepfake_kg.loaders.read import read_bytes
from deepfake_kg.loaders.validate import validate_batches
from deepfake_kg.namespaces import PROVENANCE_GRAPH
from deepfake_kg.store import EmbeddedStore

RECORDS = 3000  # more new cases than STAGED_MIN and STAGE_SIZE: two stages, then the commit
SMALL_RECORDS = 500  # fewer than STAGED_MIN: one transaction
RANDOM_POINTS = 3
SEED = int(os.environ.get("DEEPFAKE_KG_CRASH_SEED", "20261126"))
DEEPFAKE_KG = Path(sys.executable).with_name("deepfake-kg")
HEADER = "case_id,title,jurisdiction,act_date,acts,biometric_data,data_source,source,techniques,media,views\n"
ROW = ("{prefix}-{n},Generated record {n} for the crash test,CN,2024-0{month}-1{day},create;disseminate,facial,"
       "public_online,https://example.org/{prefix}/{n},face_swap,video,{n}\n")
CASE_GRAPHS = "https://w3id.org/deepfake-kg/graph/case/"
CASE_ENTAILMENTS = "https://w3id.org/deepfake-kg/graph/entailments/case/"
STAGE_LISTS = "ASK { GRAPH <https://w3id.org/deepfake-kg/graph/meta> { ?load <https://w3id.org/deepfake-kg/ontology/stagedGraphs> ?graphs } }"


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
    return sum(file_sizes(folder, "*.log").values())


def file_sizes(folder: Path, pattern: str) -> dict[str, int]:
    sizes = {}
    for path in folder.glob(pattern):
        try:
            sizes[path.name] = path.stat().st_size
        except FileNotFoundError:
            continue
    return sizes


class Watch:
    """Tells when the store's folder shows one of the moments a load passes through:

    - on-log-write: a write-ahead log grows (a stage's list of graphs, or the one transaction of a small load);
    - on-bulk-file: the first stage's bulk files appear (its list is stored, its graphs are being written);
    - after-first-stage: those files are gone again (the first stage is in the store, nothing is committed).
    """

    def __init__(self, folder: Path, moment: str) -> None:
        self.folder, self.moment = folder, moment
        self.logs = file_sizes(folder, "*.log")
        self.bulk_seen = False

    def reached(self) -> bool:
        if self.moment == "on-log-write":
            logs = file_sizes(self.folder, "*.log")
            grown = any(size > self.logs.get(name, 0) for name, size in logs.items())
            self.logs = logs
            return grown
        bulk = bool(file_sizes(self.folder, "bulk-*"))
        self.bulk_seen |= bulk
        return bulk if self.moment == "on-bulk-file" else self.bulk_seen and not bulk


def run_and_kill(folder: Path, csv: Path, when: float | str) -> tuple[str, float]:
    """Start the load in its own process group; SIGKILL the group `when` seconds in, or at the moment `when` names (see
    `Watch`). Answers how it ended and when."""
    start = time.monotonic()
    watch = Watch(folder, when) if isinstance(when, str) else None
    process = subprocess.Popen([str(DEEPFAKE_KG), "load", str(csv), "--data-dir", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = start + 120
    while process.poll() is None and time.monotonic() < deadline:
        elapsed = time.monotonic() - start
        if watch.reached() if watch else elapsed >= when:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
            return "killed", elapsed
        time.sleep(0.001)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)
        pytest.fail("the load neither finished nor was killed within 120 s")
    return f"finished (exit {process.returncode})", time.monotonic() - start


def kill_points() -> list[float | str]:
    rng = random.Random(SEED)
    return ["on-log-write", "on-bulk-file", "after-first-stage", *sorted(round(rng.uniform(0.5, 6.0), 2) for _ in range(RANDOM_POINTS))]


def staged_before_recovery(folder: Path) -> int:
    """The batch's case graphs in the store as the kill left it (a read-only opening rolls nothing back)."""
    store = EmbeddedStore(folder, read_only=True)
    try:
        return sum(graph.startswith(CASE_GRAPHS + "crash-") for graph in store.graph_names())
    finally:
        store.close()


def assert_all_or_nothing(folder: Path, csv: Path, records: int, earlier: bytes, ended: str, when: float | str, seconds: float,
                          *, killed: bool) -> None:
    store = EmbeddedStore(folder)
    try:
        graphs = [graph for graph in store.graph_names() if graph.startswith(CASE_GRAPHS + "crash-")]
        entailed = [graph for graph in store.graph_names() if graph.startswith(CASE_ENTAILMENTS + "crash-")]
        cases = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?case <https://w3id.org/deepfake-kg/ontology/caseId> ?id } "
                             f"FILTER(STRSTARTS(STR(?g), '{CASE_GRAPHS}crash-')) }}")[0]["n"]
        provenance = store.ask(f"ASK {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?file <https://w3id.org/deepfake-kg/ontology/fileName> '{csv.name}' }} }}")
        print(f"\nSIGKILL point {when}: {ended} after {seconds:.2f} s; "
              f"{len(graphs)} of {records} case graphs, provenance {'present' if provenance else 'absent'}")
        assert len(graphs) in (0, records), f"a partial batch: {len(graphs)} of {records} case graphs"
        assert int(cases) == len(graphs), "every stored graph holds its whole case"
        assert len(entailed) == len(graphs), "the entailments go with their cases"
        assert provenance is (len(graphs) == records), "the batch's provenance goes with its cases"
        assert graphs_nquads(store, "early-") == earlier, "the earlier batch is intact"
        assert not store.ask(STAGE_LISTS), "a list of staged graphs is left"
        if ended.startswith("finished"):
            assert ended == "finished (exit 0)" and len(graphs) == records
        if killed:
            assert ended == "killed", f"the load ended before the moment {when} was seen"
    finally:
        store.close()


@pytest.mark.parametrize("when", kill_points())
def test_a_killed_staged_load_leaves_all_or_nothing(template, tmp_path, when):
    """A run of thousands of new cases is bulk-loaded in stages (two here) and then committed."""
    assert STAGE_SIZE < RECORDS, "the run must have more than one stage"
    source, earlier, big = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    ended, seconds = run_and_kill(folder, big, when)
    left = staged_before_recovery(folder)
    print(f"\n{left} case graphs in the store before it was opened again")
    if when == "after-first-stage":
        assert STAGE_SIZE <= left < RECORDS, "the kill did not land between the first stage and the commit"
    assert_all_or_nothing(folder, big, RECORDS, earlier, ended, when, seconds, killed=isinstance(when, str))


def test_a_killed_small_load_leaves_all_or_nothing(template, tmp_path):
    """A run of fewer new cases than a staged load needs is one transaction, killed as it is written."""
    assert SMALL_RECORDS < STAGED_MIN
    source, earlier, _ = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    small = tmp_path / "small.csv"
    small.write_text(batch_csv("crash", SMALL_RECORDS))
    ended, seconds = run_and_kill(folder, small, "on-log-write")
    assert_all_or_nothing(folder, small, SMALL_RECORDS, earlier, ended, "on-log-write", seconds, killed=True)


def test_the_load_can_be_run_again_after_a_kill(template, tmp_path):
    """Killed while writing, then run again to the end: the batch is all there, once."""
    source, earlier, big = template
    folder = tmp_path / "store"
    shutil.copytree(source, folder)
    run_and_kill(folder, big, "after-first-stage")
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
