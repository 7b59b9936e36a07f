"""Benchmark gap detection over generated cases on the real law knowledge base.

    .venv/bin/python bench/bench_gaps.py [--sizes 1000 10000 100000] [--seed 7] [--baseline-up-to 10000]

For each size: builds an in-memory store (ontology + kb/**/*.ttl + N generated cases, one case graph each,
spread over the modelled jurisdictions, plus a few in an unmodelled one), then measures
  - the step breakdown: each derivation rule and each finding query, summed over the working datasets of
    every slice of case graphs, on one thread (CPU seconds per step);
  - the full report as the service gives it (`find_gaps`): cold (first report on the store), warm (again,
    store unchanged), and after 100 more cases were loaded (only their graphs are judged again);
  - dated reports (`find_gaps(as_of=...)`) as the service judges them (smaller slices, the time checked, here
    with no time limit): five different dates, then the default report again (kept apart, so as fast as warm),
    and the slowest default report while another dated report is being judged (it has its own lock);
  - the baseline in the same run (sizes up to --baseline-up-to): the whole store copied into ONE working
    dataset, every rule and query run over it once, on one thread (the design before slicing);
and prints each figure beside its ratio to the smallest size, the cold report's ratio to the baseline, and the
default report's after five dated ones (and during one) to the warm and the cold report.
"""

from __future__ import annotations

import argparse
import math
import random
import threading
import time

import pyoxigraph as ox

from deepfake_kg.gaps import find_gaps
from deepfake_kg.gaps.evaluation import SLICE_SIZE, Limit
from deepfake_kg.gaps.findings import query_names, run_query
from deepfake_kg.gaps.working import Scenario, build, graph_triples, is_case_graph, is_context_graph
from deepfake_kg.namespaces import DFK, GRAPH, ID
from deepfake_kg.store import EmbeddedStore

DATES = ["2016-01-01", "2018-07-01", "2020-01-01", "2022-07-01", "2024-01-01"]
UNLIMITED = Limit(seconds=math.inf)  # judged as the service judges a date, never stopped
CODE_FIELDS = {
    "hasAct": (["Create", "Disseminate", "ThreatenToDisseminate", "SellContent", "Impersonate", "ProvideService"], 2),
    "hasBiometricCategory": (["FacialBiometric", "VoiceBiometric", "GaitBiometric", "BodyBiometric"], 2),
    "hasContentType": (["SexualContent", "PoliticalContent", "DefamatoryContent", "ParodyContent", "OtherContent"], 1),
    "hasIntent": (["ProfitIntent", "DeceptionIntent", "HarassmentIntent", "EntertainmentIntent", "IntentUnknown"], 1),
    "hasHarm": (["PropertyLoss", "ReputationalHarm", "PsychologicalHarm", "SexualExploitation", "NoHarm"], 1),
}
ONE_OF = {
    "hasDataSource": ["PublicOnline", "ConsentedOtherPurpose", "OwnCapture", "Purchased", "Stolen", "DataSourceUnknown"],
    "hasSubjectConsent": ["Yes", "No", "No", "Unknown"],
    "isSubjectMinor": ["Yes", "No", "Unknown"],
    "isLabelledSynthetic": ["Yes", "No", "Unknown"],
    "hasPlatformNotice": ["NoNotice", "VictimNotice", "RegulatorNotice", "NoticeUnknown"],
    "wasRemovedByPlatform": ["Yes", "No", "Unknown"],
    "hasRealism": ["LowRealism", "MediumRealism", "HighRealism"],
}


def modelled_jurisdictions(store: EmbeddedStore) -> list[str]:
    rows = store.select(f"""SELECT DISTINCT ?j WHERE {{ ?v <{DFK}hasStatus> <{DFK}InForce> ; <{DFK}hasJurisdiction> ?j }}""")
    return sorted(str(row["j"]) for row in rows)


def case_triples(number: int, jurisdiction: str, rng: random.Random) -> list[ox.Triple]:
    """One generated case record with every field of case-records.md that the law can test."""
    case = ox.NamedNode(f"{ID}case/gen-{number}")
    def triple(prop: str, obj) -> ox.Triple:
        return ox.Triple(case, ox.NamedNode(f"{DFK}{prop}"), obj)
    year = rng.randint(2012, 2025)
    date = rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
    triples = [ox.Triple(case, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(f"{DFK}CaseRecord")),
               triple("caseId", ox.Literal(f"gen-{number}")), triple("hasJurisdiction", ox.NamedNode(jurisdiction)),
               triple("actDate", ox.Literal(date))]
    for prop, (values, most) in CODE_FIELDS.items():
        for value in rng.sample(values, rng.randint(1, most)):
            triples.append(triple(prop, ox.NamedNode(f"{DFK}{value}")))
    for prop, values in ONE_OF.items():
        if rng.random() < 0.85:
            triples.append(triple(prop, ox.NamedNode(f"{DFK}{rng.choice(values)}")))
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    for prop in ("viewCount", "repostCount"):
        if rng.random() < 0.7:
            triples.append(triple(prop, ox.Literal(str(int(10 ** rng.uniform(1, 7))), datatype=integer)))
    if rng.random() < 0.3:
        triples.append(triple("lossAmount", ox.Literal(str(rng.randint(100, 1_000_000)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))))
        triples.append(triple("lossCurrency", ox.Literal(rng.choice(["CNY", "USD", "EUR"]))))
    return triples


def generated_quads(numbers: range, places: list[str], rng: random.Random) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(f"{GRAPH}case/gen-{n}"))
            for n in numbers for t in case_triples(n, rng.choice(places), rng)]


def generated_store(size: int, seed: int) -> tuple[EmbeddedStore, list[str], random.Random]:
    store = EmbeddedStore(None)
    store.ensure_loaded()
    rng = random.Random(seed)
    places = modelled_jurisdictions(store) + [f"{ID}jurisdiction/AQ"]
    store.oxigraph.extend(generated_quads(range(size), places, rng))
    return store, places, rng


def step_breakdown(store: EmbeddedStore, timings: dict[str, float]) -> None:
    """Each rule and query, summed over every slice's working dataset, on one thread."""
    names = store.graph_names()
    context = graph_triples(store, [name for name in names if is_context_graph(name)])
    cases = [name for name in names if is_case_graph(name)]
    for start in range(0, len(cases), SLICE_SIZE):
        started = time.perf_counter()
        triples = graph_triples(store, cases[start:start + SLICE_SIZE])
        timings["fetch slice"] = timings.get("fetch slice", 0.0) + time.perf_counter() - started
        working = build(context, triples, Scenario(), timings)
        for name in query_names():
            started = time.perf_counter()
            run_query(working, name)
            timings[f"query/{name}"] = timings.get(f"query/{name}", 0.0) + time.perf_counter() - started


def one_working_copy(store: EmbeddedStore) -> float:
    """The baseline: the whole store in one working dataset, every rule and query once, one thread."""
    started = time.perf_counter()
    working = build(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), b"", Scenario())
    for name in query_names():
        run_query(working, name)
    return time.perf_counter() - started


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def dated_reports(store: EmbeddedStore, timings: dict[str, float]) -> None:
    """Five dated reports, then the default one; then the slowest default report while a sixth date is judged."""
    started = time.perf_counter()
    for day in DATES:
        find_gaps(store, as_of=day, limit=UNLIMITED)
    timings["dated report (mean of 5 dates)"] = (time.perf_counter() - started) / len(DATES)
    timings["report after 5 dated reports"], _ = timed(lambda: find_gaps(store))
    dated = threading.Thread(target=find_gaps, args=(store,), kwargs={"as_of": "2012-01-01", "limit": UNLIMITED})
    dated.start()
    slowest = 0.0
    while dated.is_alive():
        slowest = max(slowest, timed(lambda: find_gaps(store))[0])
    dated.join()
    timings["slowest report during a dated report"] = slowest


def measure(size: int, seed: int, baseline_up_to: int) -> dict[str, float]:
    store, places, rng = generated_store(size, seed)
    timings: dict[str, float] = {}
    step_breakdown(store, timings)
    timings["STEPS (one thread)"] = sum(timings.values())
    timings["report cold"], findings = timed(lambda: find_gaps(store))
    timings["report warm"], _ = timed(lambda: find_gaps(store))
    graphs = {}
    for quad in generated_quads(range(size, size + 100), places, rng):
        graphs.setdefault(quad.graph_name.value, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    store.replace_graphs({graph: "\n".join(lines) for graph, lines in graphs.items()})
    timings["report after +100 cases"], after = timed(lambda: find_gaps(store))
    dated_reports(store, timings)
    if size <= baseline_up_to:
        timings["baseline: one working copy"] = one_working_copy(store)
    store.close()
    print(f"{size} cases: {len(findings)} findings ({len(after)} after 100 more cases)", flush=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-up-to", type=int, default=10000,
                        help="run the one-working-copy baseline for sizes up to this (it is slow)")
    args = parser.parse_args()
    results = {size: measure(size, args.seed, args.baseline_up_to) for size in args.sizes}
    first = args.sizes[0]
    print(f"\n{'step (seconds)':48}" + "".join(f"{size:>11}" for size in args.sizes) + "   ratio to smallest")
    for step in results[first]:
        row = "".join(f"{results[size][step]:11.3f}" if step in results[size] else f"{'-':>11}" for size in args.sizes)
        ratios = " ".join(f"{results[size][step] / max(results[first][step], 1e-9):.1f}x"
                          for size in args.sizes[1:] if step in results[size])
        print(f"{step:48}{row}   {ratios}")
    for size, figures in results.items():
        if "baseline: one working copy" in figures:
            print(f"{size} cases: cold report / baseline = {figures['report cold'] / figures['baseline: one working copy']:.2f}, "
                  f"warm report / baseline = {figures['report warm'] / figures['baseline: one working copy']:.3f}")
    for size, figures in results.items():
        for step in ("report after 5 dated reports", "slowest report during a dated report"):
            print(f"{size} cases: {step} / warm report = {figures[step] / figures['report warm']:.2f}, "
                  f"/ cold report = {figures[step] / figures['report cold']:.4f}")


if __name__ == "__main__":
    main()
