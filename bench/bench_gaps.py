"""Benchmark gap detection over generated cases on the real law knowledge base.

    .venv/bin/python bench/bench_gaps.py [--sizes 1000 10000 100000] [--seed 7]

For each size: builds an in-memory store (ontology + kb/**/*.ttl + N generated cases spread over the
modelled jurisdictions, plus a few in an unmodelled one), then times copying the store, each derivation
rule, each finding query and the total, and prints each total's ratio to the smallest size's.
"""

from __future__ import annotations

import argparse
import random
import time

import pyoxigraph as ox

from deepfake_kg.gaps.findings import query_names, run_query
from deepfake_kg.gaps.working import Scenario, base_copy, build
from deepfake_kg.namespaces import DFK, GRAPH, ID
from deepfake_kg.store import EmbeddedStore

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


def generated_store(size: int, seed: int) -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.ensure_loaded()
    rng = random.Random(seed)
    places = modelled_jurisdictions(store) + [f"{ID}jurisdiction/AQ"]
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(f"{GRAPH}case/gen-{n}"))
             for n in range(size) for t in case_triples(n, rng.choice(places), rng)]
    store.oxigraph.extend(quads)
    return store


def measure(size: int, seed: int) -> dict[str, float]:
    store = generated_store(size, seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    _, base = base_copy(store)
    timings["copy store"] = time.perf_counter() - started
    working = build(base, Scenario(), timings)
    counts = {}
    for name in query_names():
        started = time.perf_counter()
        counts[name] = len(run_query(working, name))
        timings[f"query/{name}"] = time.perf_counter() - started
    timings["TOTAL"] = sum(timings.values())
    store.close()
    print(f"\n{size} cases: findings per query {counts}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = {size: measure(size, args.seed) for size in args.sizes}
    first = args.sizes[0]
    print(f"\n{'step':45}" + "".join(f"{size:>12}" for size in args.sizes) + "   ratio to smallest")
    for step in results[first]:
        row = "".join(f"{results[size][step]:12.3f}" for size in args.sizes)
        ratios = " ".join(f"{results[size][step] / max(results[first][step], 1e-9):.1f}x" for size in args.sizes[1:])
        print(f"{step:45}{row}   {ratios}")


if __name__ == "__main__":
    main()
