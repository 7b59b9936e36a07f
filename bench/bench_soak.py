"""Soak: the load test's client mix for minutes, against a live `deepfake-kg serve` on loopback (not run in CI).

Prints request counts, error counts, p50/p99 latency per operation, lost writes, and the server's memory
(resident set of the server and its query workers) sampled through the run, so that a leak shows as growth.

    .venv/bin/python bench/bench_soak.py --seconds 600 --clients 16
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from test_api_support import start_server  # noqa: E402
from test_reliability_load import lost_writes, run_load, summary  # noqa: E402


def resident_kib(pid: int) -> int:
    """Resident memory of a process and its children (query workers), in KiB; 0 once it is gone."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pids += [int(child) for child in children]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--query-timeout", default="30")
    parser.add_argument("--sample-every", type=float, default=10.0)
    args = parser.parse_args()

    import test_reliability_load as load

    load.CLIENTS = args.clients
    with tempfile.TemporaryDirectory(prefix="deepfake-kg-soak-") as folder:
        workdir = Path(folder)
        server = start_server(workdir, ["--data-dir", str(workdir / "store"), "--query-timeout", args.query_timeout],
                              "embedded")
        samples: list[tuple[float, int]] = []
        done = threading.Event()

        def sample() -> None:
            started = time.monotonic()
            while not done.wait(args.sample_every):
                samples.append((time.monotonic() - started, resident_kib(server.process.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        try:
            samples.append((0.0, resident_kib(server.process.pid)))
            sampler.start()
            outcome, seconds = run_load(server.url, args.clients, args.seconds)
            done.set()
            sampler.join()
            print(summary(outcome, seconds))
            errors = Counter(status for _, status, _ in outcome.requests if status >= 500)
            print(f"5xx: {sum(errors.values())} {dict(errors)}; transport errors: {len(outcome.transport_errors)}")
            for error in outcome.transport_errors[:5]:
                print(f"  {error}")
            lost = lost_writes(server.url, outcome.written)
            print(f"writes accepted: {len(outcome.written)}, lost: {len(lost)} {lost[:5]}")
            print("server memory (RSS, server + workers):")
            for at, kib in samples:
                print(f"  {at:7.0f} s {kib / 1024:8.1f} MiB")
            if len(samples) > 2:
                print(f"growth after the first sample: {(samples[-1][1] - samples[1][1]) / 1024:+.1f} MiB")
            print(f"traceback in the server log: {'Traceback' in server.log.read_text(errors='replace')}")
        finally:
            done.set()
            server.stop()


if __name__ == "__main__":
    main()
