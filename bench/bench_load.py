"""Benchmark: validating and loading generated case records (CSV), beside baselines measured in the same run.

    .venv/bin/python bench/bench_load.py [SIZE ...]      (default sizes: 1000 10000 50000)

For each size it writes a CSV of valid generated records (citing provisions that the shipped knowledge
base holds in force for the record's jurisdiction) and measures, in fresh processes:

- validate: read the file and validate it (deepfake_kg.loaders: chunked pyshacl on all cores)
- load: then store the validated records in an on-disk store holding the ontology and knowledge base (one
  named graph per case with its entailments, provenance appended), as `deepfake-kg load` does: new cases
  bulk-loaded in stages of 2,000, then one commit transaction
- compare: the same load written in one transaction (what the HTTP API does), in a fresh process that validates
  again; only its load is reported
- baseline pyshacl: plain pyshacl, one call over the whole batch graph plus the same store context
- baseline bulk load: the same triples bulk-loaded into a fresh on-disk pyoxigraph store (not transactional)

and prints records per second and peak resident memory (validate: the process and its validation workers;
load: the process, whose high-water mark includes reading the file), the time per 1,000 records (flat when
the cost grows linearly), and the ratio of validate + load to the two baselines together. Target: 10,000
records validated and loaded in under 20 s.
"""

from __future__ import annotations

import csv
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from deepfake_kg.loaders.load import load_batches
from deepfake_kg.loaders.ntriples import ntriples
from deepfake_kg.loaders.read import read_file
from deepfake_kg.loaders.validate import shapes, store_context, validate_batches
from deepfake_kg.store import EmbeddedStore, open_store

IN_FORCE = """PREFIX dfk: <https://w3id.org/deepfake-kg/ontology/>
SELECT ?provision ?code WHERE {
    ?provision a dfk:Provision ; dfk:hasVersion ?version .
    ?version dfk:hasStatus dfk:InForce ; dfk:validFrom ?from ; dfk:hasJurisdiction ?jurisdiction .
    ?jurisdiction dfk:jurisdictionCode ?code .
    FILTER NOT EXISTS { ?version dfk:validUntil ?until }
    FILTER (STR(?from) < "2022-01-01")
}"""
FIELDS = ["case_id", "title", "jurisdiction", "act_date", "acts", "biometric_data", "data_source", "source",
          "content_type", "techniques", "media", "subject_consent", "intent", "harms", "loss_amount", "loss_currency",
          "views", "reposts", "victims", "platforms", "proceeding", "authority", "decision_date", "provisions_applied",
          "outcome", "realism", "summary"]
ACTS = ["create", "disseminate", "possess", "impersonate", "sell_content", "threaten_to_disseminate"]
HARMS = ["reputational", "psychological", "property_loss", "privacy", "none"]


def generate(path: Path, size: int, provisions: dict[str, list[str]]) -> None:
    """Valid records with a realistic spread of fields; a third cite a provision in force where they happened."""
    rng = random.Random(size)
    codes = sorted(provisions) or ["CN"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for n in range(size):
            code = rng.choice(codes)
            month = rng.randint(1, 12)
            cited = rng.choice(provisions[code]) if provisions.get(code) and n % 3 == 0 else ""
            writer.writerow([
                f"bench-{n:06d}", f"Generated benchmark record {n}", code, f"2023-{month:02d}-{rng.randint(1, 28):02d}",
                ";".join(rng.sample(ACTS, 2)), rng.choice(["facial", "voice", "facial;body"]),
                rng.choice(["public_online", "stolen", "unknown"]), f"https://example.org/bench/{n}",
                rng.choice(["sexual", "political", "commercial_endorsement"]), rng.choice(["face_swap", "voice_clone", "nudify"]),
                rng.choice(["image", "video", "audio"]), rng.choice(["yes", "no", "unknown"]), "profit;deception",
                ";".join(rng.sample(HARMS[:4], 2)), f"{rng.randint(100, 100000)}.00", "CNY", rng.randint(0, 10**6),
                rng.randint(0, 10**4), rng.randint(1, 5), "Example Platform", "criminal_judgment", "Example Court",
                f"2024-{month:02d}", cited, "convicted", rng.choice(["low", "medium", "high"]),
                f"A generated record for the load benchmark, number {n}.",
            ])


def peak_mib(children: bool = True) -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if children else 0
    return max(own, workers) / 1024


def timed(step, *args) -> tuple[float, float]:
    """(seconds, peak MiB) of one step."""
    started = time.perf_counter()
    step(*args)
    return time.perf_counter() - started, peak_mib()


def measure(step, *args):
    """Run one step in a fresh (spawned) process, so that peak memory is the step's own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(step, *args).result()


def step_validate_and_load(csv_path: Path, store_dir: Path, staged: bool) -> dict[str, tuple[float, float]]:
    """Read and validate, then load (staged, as `deepfake-kg load` does, or in one transaction), in this process:
    (seconds, peak MiB) of each."""
    store = EmbeddedStore(store_dir)
    started = time.perf_counter()
    report = validate_batches([read_file(csv_path)], store)
    validated = time.perf_counter()
    assert report.conforms, report.problems[:3]
    validate_peak = peak_mib()
    load_batches(report, store, submitter="bench", staged=staged)
    store.close()
    return {"validate (read + pyshacl)": (validated - started, validate_peak),
            "load (store + entailments)": (time.perf_counter() - validated, peak_mib(children=False))}


def step_baseline_pyshacl(csv_path: Path, store_dir: Path) -> None:
    from pyshacl import validate
    from rdflib import Graph

    batch = read_file(csv_path)
    store = EmbeddedStore(store_dir, read_only=True)
    graph = Graph()
    for triple in batch.triples():
        graph.add(triple)
    graph += store_context(store, batch.records)
    conforms, _, _ = validate(graph, shacl_graph=shapes(), advanced=True, inplace=True, allow_warnings=True)
    assert conforms


def step_baseline_bulk(nt_path: Path, target: Path) -> None:
    ox.Store(str(target)).bulk_load(path=str(nt_path), format=ox.RdfFormat.N_TRIPLES)


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    kb = work / "kb-store"
    store = open_store(kb)  # the ontology, knowledge base and their entailments, as on first use
    provisions: dict[str, list[str]] = {}
    for row in store.select(IN_FORCE):
        provisions.setdefault(str(row["code"]), []).append(str(row["provision"]))
    store.close()
    print(f"{'records':>8} {'step':<31} {'seconds':>8} {'records/s':>10} {'peak MiB':>9} {'s/1000':>9}")
    for size in sizes:
        csv_path = work / f"records-{size}.csv"
        generate(csv_path, size, provisions)
        nt_path = work / f"records-{size}.nt"
        nt_path.write_text(ntriples(read_file(csv_path).triples()), encoding="utf-8")
        (work / "kb.nq").write_bytes(EmbeddedStore(kb, read_only=True).dump())
        for name in (f"store-{size}", f"store-{size}-one-transaction"):  # copies of the KB store: the same start
            ox.Store(str(work / name)).bulk_load(path=str(work / "kb.nq"), format=ox.RdfFormat.N_QUADS)
        results = measure(step_validate_and_load, csv_path, work / f"store-{size}", True)
        results["compare: load, one transaction"] = measure(
            step_validate_and_load, csv_path, work / f"store-{size}-one-transaction", False)["load (store + entailments)"]
        results["baseline: plain pyshacl"] = measure(timed, step_baseline_pyshacl, csv_path, kb)
        results["baseline: bulk load"] = measure(timed, step_baseline_bulk, nt_path, work / f"bulk-{size}")
        for name, (seconds, mib) in results.items():
            print(f"{size:>8} {name:<31} {seconds:>8.2f} {size / seconds:>10.0f} {mib:>9.0f} {1000 * seconds / size:>9.2f}")
        ours = results["validate (read + pyshacl)"][0] + results["load (store + entailments)"][0]
        base = results["baseline: plain pyshacl"][0] + results["baseline: bulk load"][0]
        print(f"{size:>8} {'validate + load':<31} {ours:>8.2f} {size / ours:>10.0f} {'':>9} {1000 * ours / size:>9.2f}")
        print(f"{size:>8} {'ratio ours / baselines':<31} {ours / base:>8.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000, 50000])
