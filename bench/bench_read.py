"""Benchmark: reading contributed RDF case records (Turtle, N-Triples, RDF/XML), beside a baseline of the same run.

    .venv/bin/python bench/bench_read.py [SIZE ...]      (default sizes: 1000 10000 50000)

For each size it writes a Turtle file of generated records in the contributor format (prefixed names, multi-valued
fields as object lists, counts and amounts as plain numbers, a tenth of the records under a contributor's own IRI
that reading rewrites to the case IRI), the same triples as N-Triples and as RDF/XML, and measures, each in a fresh
(spawned) process:

- read: deepfake_kg.loaders.read.read_bytes of the file's bytes (parse, group by record, place each record)
- baseline: plain pyoxigraph.parse of the same bytes into a list

and prints records per second, the time per 1,000 records (flat when the cost grows linearly), the peak resident
memory of the process (Linux: /proc/self/status), and the ratio read / baseline. Nothing here is asserted: tests/test_read_scaling.py checks
that reading does work proportional to the records, by counting, not timing.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from deepfake_kg.loaders.read import RDF_FORMATS, read_bytes

SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "rdfxml": ".rdf"}
PREFIXES = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dfk: <https://w3id.org/deepfake-kg/ontology/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

"""
CASE = "https://w3id.org/deepfake-kg/id/case/"
JURISDICTIONS = ["CN", "DE", "FR", "GB", "KR", "US-CA", "US-NY"]
ACTS = ["Create", "Disseminate", "Possess", "Impersonate", "SellContent", "ThreatenToDisseminate"]
HARMS = ["ReputationalHarm", "PsychologicalHarm", "PropertyLoss", "PrivacyHarm"]
INTENTS = ["ProfitIntent", "DeceptionIntent", "HarassmentIntent", "SexualGratificationIntent"]


def record(n: int, rng: random.Random) -> str:
    """One case record in Turtle, as a contributor would write it."""
    subject = f"<http://example.org/contributor/record-{n}>" if n % 10 == 0 else f"<{CASE}bench-{n:06d}>"
    month = rng.randint(1, 12)
    return f"""{subject} a dfk:CaseRecord ;
    dct:description "A generated record for the read benchmark, number {n}, with a comma, and \\"quotes\\"." ;
    dct:source <https://example.org/bench/{n}> ;
    dct:title "Generated benchmark record {n}" ;
    skos:note "made up for the benchmark" ;
    dfk:actDate "2023-{month:02d}-{rng.randint(1, 28):02d}" ;
    dfk:authorityName "Example District Court" ;
    dfk:caseId "bench-{n:06d}" ;
    dfk:decisionDate "2024-{month:02d}" ;
    dfk:hasAct {", ".join(f"dfk:{act}" for act in rng.sample(ACTS, 2))} ;
    dfk:hasBiometricCategory dfk:{rng.choice(["FacialBiometric", "VoiceBiometric", "BodyBiometric"])} ;
    dfk:hasContentType dfk:{rng.choice(["SexualContent", "PoliticalContent", "CommercialEndorsementContent"])} ;
    dfk:hasDataSource dfk:{rng.choice(["PublicOnline", "Stolen", "DataSourceUnknown"])} ;
    dfk:hasHarm {", ".join(f"dfk:{harm}" for harm in rng.sample(HARMS, 2))} ;
    dfk:hasIntent {", ".join(f"dfk:{intent}" for intent in rng.sample(INTENTS, 2))} ;
    dfk:hasJurisdiction <https://w3id.org/deepfake-kg/id/jurisdiction/{rng.choice(JURISDICTIONS)}> ;
    dfk:hasMedium dfk:{rng.choice(["Image", "Video", "LiveAudioCall"])} ;
    dfk:hasOutcome dfk:{rng.choice(["Convicted", "Pending", "NoAction"])} ;
    dfk:hasProceedingKind dfk:CriminalJudgment ;
    dfk:hasRealism dfk:{rng.choice(["LowRealism", "MediumRealism", "HighRealism"])} ;
    dfk:hasSubjectConsent dfk:{rng.choice(["Yes", "No", "Unknown"])} ;
    dfk:hasTechnique dfk:{rng.choice(["FaceSwap", "VoiceClone", "Nudify"])} ;
    dfk:lossAmount {rng.randint(100, 100000)} ;
    dfk:lossCurrency "CNY" ;
    dfk:platformName "Example Platform" ;
    dfk:repostCount {rng.randint(0, 10**4)} ;
    dfk:victimCount {rng.randint(1, 5)} ;
    dfk:viewCount {rng.randint(0, 10**6)} .

"""


def generate(work: Path, size: int) -> dict[str, Path]:
    """The same records as Turtle, N-Triples and RDF/XML files: format -> path."""
    rng = random.Random(size)
    turtle = (PREFIXES + "".join(record(n, rng) for n in range(size))).encode()
    triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    paths = {}
    for format, suffix in SUFFIXES.items():
        path = paths[format] = work / f"records-{size}{suffix}"
        path.write_bytes(turtle if format == "turtle" else ox.serialize(triples, format=RDF_FORMATS[format]))
    return paths


def peak_mib() -> float:
    """This process's own peak resident memory: VmHWM, as ru_maxrss would keep the parent's peak across fork and exec."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def step_read(path: Path, format: str) -> tuple[float, float]:
    """(seconds, peak MiB) of read_bytes on the file, in which reading must find nothing wrong."""
    data = path.read_bytes()
    started = time.perf_counter()
    batch = read_bytes(data, path.name, format)
    seconds = time.perf_counter() - started
    assert not batch.problems, batch.problems[:3]
    return seconds, peak_mib()


def step_baseline(path: Path, format: str) -> tuple[float, float]:
    """(seconds, peak MiB) of plain pyoxigraph.parse of the same bytes into a list."""
    data = path.read_bytes()
    started = time.perf_counter()
    list(ox.parse(data, format=RDF_FORMATS[format]))
    return time.perf_counter() - started, peak_mib()


def measure(step, *args) -> tuple[float, float]:
    """Run one step in a fresh (spawned) process, so that peak memory is the step's own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(step, *args).result()


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-read-"))
    print(f"{'records':>8} {'format':<9} {'step':<9} {'MB':>6} {'seconds':>8} {'records/s':>10} {'peak MiB':>9} "
          f"{'s/1000':>8}")
    for size in sizes:
        for format, path in generate(work, size).items():
            megabytes = path.stat().st_size / 1e6
            results = {"read": measure(step_read, path, format), "baseline": measure(step_baseline, path, format)}
            for name, (seconds, mib) in results.items():
                print(f"{size:>8} {format:<9} {name:<9} {megabytes:>6.1f} {seconds:>8.2f} {size / seconds:>10.0f} "
                      f"{mib:>9.0f} {1000 * seconds / size:>8.3f}")
            ratio = results["read"][0] / results["baseline"][0]
            print(f"{size:>8} {format:<9} {'ratio read / baseline':<34} {ratio:>8.1f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000, 50000])
