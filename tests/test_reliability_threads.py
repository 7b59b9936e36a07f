"""rdflib's SPARQL grammar learns its parse actions on first use: 32 first parses at once must not break it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# A fresh interpreter, importing the SPARQL cache first (as validation does), then 32 threads parse at once.
FIRST_PARSES_AT_ONCE = textwrap.dedent('''
    import threading
    from rdflib import Graph
    from deepfake_kg.loaders import sparql_cache
    sparql_cache.install()
    barrier = threading.Barrier(32)
    errors = []
    def parse(n):
        barrier.wait()
        try:
            Graph().query(f"SELECT ?s{n} WHERE {{ ?s{n} ?p ?o FILTER(?o > {n}) }} ORDER BY DESC(?s{n}) LIMIT {n}")
        except Exception as error:
            errors.append(repr(error))
    threads = [threading.Thread(target=parse, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    Graph().query("SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?r } } LIMIT 3")
    print(len(errors), errors[:1])
''')


def test_32_concurrent_first_parses_all_succeed_and_leave_the_parser_working():
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", FIRST_PARSES_AT_ONCE], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.startswith("0 "), run.stdout
