"""Benchmark: the same SELECT queries directly on pyoxigraph and through /sparql over loopback.

Run by hand:  .venv/bin/python bench/bench_sparql.py [--cases 10000 100000] [--repeat 15] [--seconds 10]

For each store size it generates that many case records (one named graph each, codes of the real
ontology), then reports per query the median latency (a) direct on pyoxigraph (query + SPARQL JSON
serialisation, as the endpoint does), (b) through GET /sparql, and the ratio b/a; requests per
second with 8 concurrent HTTP clients; and the start-up time of `deepfake-kg serve` on the filled store.
Ratios are measured against a baseline taken in the same run, on the same machine.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from deepfake_kg.namespaces import DFK, ID, case_graph, case_iri
from deepfake_kg.store import EmbeddedStore

DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
PREFIX = f"PREFIX dfk: <{DFK}>\n"
QUERIES = {
    "cases per jurisdiction": PREFIX + "SELECT ?j (COUNT(?c) AS ?n) WHERE { ?c a dfk:CaseRecord ; dfk:hasJurisdiction ?j } "
                                       "GROUP BY ?j ORDER BY DESC(?n)",
    "cases per act, with views": PREFIX + "SELECT ?act (COUNT(?c) AS ?n) (SUM(?v) AS ?views) WHERE { ?c dfk:hasAct ?act ; "
                                          "dfk:viewCount ?v } GROUP BY ?act",
    "facial + disseminate, first 100": PREFIX + "SELECT ?c ?title WHERE { ?c dfk:hasAct dfk:Disseminate ; "
                                                "dfk:hasBiometricCategory dfk:FacialBiometric ; <http://purl.org/dc/terms/title> ?title } "
                                                "ORDER BY ?c LIMIT 100",
    "one case by id": PREFIX + "SELECT ?p ?o WHERE { ?c dfk:caseId \"bench-777\" ; ?p ?o }",
}
CODES = {
    "hasAct": ["Create", "Disseminate", "Possess", "ThreatenToDisseminate", "SellContent", "Impersonate"],
    "hasBiometricCategory": ["FacialBiometric", "VoiceBiometric", "BodyBiometric"],
    "hasDataSource": ["PublicOnline", "Stolen", "OwnCapture", "DataSourceUnknown"],
    "hasTechnique": ["FaceSwap", "VoiceClone", "Nudify", "LipSync"],
    "hasMedium": ["Image", "Video", "Audio"],
    "hasHarm": ["PropertyLoss", "ReputationalHarm", "PsychologicalHarm", "SexualExploitation"],
    "hasSubjectConsent": ["Yes", "No", "Unknown"],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def jurisdictions(store: EmbeddedStore) -> list[str]:
    rows = store.select(PREFIX + "SELECT ?j WHERE { ?j a dfk:Jurisdiction }")
    return sorted(str(row["j"]) for row in rows) or [f"{ID}jurisdiction/CN"]


def case_quads(number: int, places: list[str], rng: random.Random) -> list[ox.Quad]:
    """One generated case record in its own named graph."""
    case, graph = ox.NamedNode(case_iri(f"bench-{number}")), ox.NamedNode(case_graph(f"bench-{number}"))
    quads = [ox.Quad(case, RDF_TYPE, ox.NamedNode(f"{DFK}CaseRecord"), graph),
             ox.Quad(case, ox.NamedNode(f"{DFK}caseId"), ox.Literal(f"bench-{number}"), graph),
             ox.Quad(case, DCT_TITLE, ox.Literal(f"Generated case {number}"), graph),
             ox.Quad(case, ox.NamedNode(f"{DFK}hasJurisdiction"), ox.NamedNode(rng.choice(places)), graph),
             ox.Quad(case, ox.NamedNode(f"{DFK}actDate"), ox.Literal(f"{rng.randint(2018, 2025)}-0{rng.randint(1, 9)}"), graph),
             ox.Quad(case, ox.NamedNode(f"{DFK}viewCount"), ox.Literal(str(rng.randint(0, 100000)), datatype=XSD_INTEGER), graph)]
    for prop, codes in CODES.items():
        for code in rng.sample(codes, rng.randint(1, 2)):
            quads.append(ox.Quad(case, ox.NamedNode(f"{DFK}{prop}"), ox.NamedNode(f"{DFK}{code}"), graph))
    return quads


def build_store(folder: Path, cases: int) -> float:
    """Fill a fresh store with the shipped graphs and `cases` generated cases; answer the seconds it took."""
    started = time.perf_counter()
    store = EmbeddedStore(folder)
    store.ensure_loaded()
    places, rng = jurisdictions(store), random.Random(cases)
    batch: list[ox.Quad] = []
    for number in range(cases):
        batch += case_quads(number, places, rng)
        if len(batch) > 200_000:
            store.oxigraph.bulk_extend(batch)
            batch = []
    store.oxigraph.bulk_extend(batch)
    store.oxigraph.optimize()
    store.close()
    return time.perf_counter() - started


def medians_ms(first, second, repeat: int) -> tuple[float, float]:
    """Median milliseconds of two actions, run alternately so that both see the same machine load."""
    first(), second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, times in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


def start_server(folder: Path, port: int) -> tuple[subprocess.Popen, float]:
    """`deepfake-kg serve` on the store; answer the process and seconds until /health answered."""
    command = [str(Path(sys.executable).with_name("deepfake-kg")), "serve", "--port", str(port), "--data-dir", str(folder),
               "--query-timeout", "60"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            if process.poll() is not None:
                raise SystemExit("deepfake-kg serve exited during start-up")
            time.sleep(0.02)


def throughput(url: str, query: str, clients: int, seconds: float) -> float:
    """Requests per second answered to `clients` concurrent clients sending `query` for `seconds`."""
    done = [0] * clients
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        with httpx.Client(timeout=60) as http:
            while time.perf_counter() < deadline:
                http.get(url, params={"query": query}).raise_for_status()
                done[index] += 1

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def run(cases: int, repeat: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        folder = Path(tmp) / "store"
        print(f"\n== {cases:,} generated cases (load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)")
        print(f"built the store in {build_store(folder, cases):.1f} s")
        port = free_port()
        process, first_start = start_server(folder, port)
        process.terminate()
        process.wait()
        process, start_up = start_server(folder, port)
        print(f"start-up of deepfake-kg serve: {start_up:.2f} s (first start, ontology docs built: {first_start:.2f} s)")
        url = f"http://127.0.0.1:{port}/sparql"
        try:
            direct = ox.Store.read_only(str(folder))
            print(f"{'query':34} {'direct ms':>10} {'HTTP ms':>10} {'ratio':>7}")
            with httpx.Client(timeout=60) as http:
                for name, query in QUERIES.items():
                    def on_pyoxigraph(query: str = query) -> bytes:
                        result = direct.query(query, use_default_graph_as_union=True)
                        return result.serialize(format=ox.QueryResultsFormat.JSON)

                    def over_http(query: str = query) -> bytes:
                        response = http.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
                        response.raise_for_status()
                        return response.content

                    a, b = medians_ms(on_pyoxigraph, over_http, repeat)
                    print(f"{name:34} {a:10.1f} {b:10.1f} {b / a:7.2f}")
            for name in ("one case by id", "facial + disseminate, first 100"):
                rate = throughput(url, QUERIES[name], clients=8, seconds=seconds)
                print(f"8 concurrent clients, {name!r}: {rate:.0f} requests/s")
        finally:
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=10.0)
    arguments = parser.parse_args()
    for cases in arguments.cases:
        run(cases, arguments.repeat, arguments.seconds)


if __name__ == "__main__":
    main()
