"""One case's whole assessment, for a lawyer to audit: every version, element, engaged domain, scope check and finding.

The case is judged in a working dataset of its own (the law, its case graph and the scenario), as evaluation.py
judges every case, so the explanation and the findings in it come from one dataset.
"""

from __future__ import annotations

import pyoxigraph as ox

from deepfake_kg.gaps.findings import ordered, run_all
from deepfake_kg.gaps.trace import CaseTrace, case_traces, rows
from deepfake_kg.gaps.working import Scenario, build, graph_triples, is_case_graph, is_context_graph
from deepfake_kg.namespaces import DFK
from deepfake_kg.store import Store


class CaseNotFound(LookupError):
    """No contributed case record has the case id."""


def graphs_holding(store: Store, case_id: str) -> list[str]:
    """The graphs gap detection reads that hold a record with this case id (case graphs and context graphs)."""
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?case <{DFK}caseId> {ox.Literal(case_id)} }} }}"
    held = sorted(str(row["g"]) for row in store.select(query))
    return [graph for graph in held if is_case_graph(graph) or is_context_graph(graph)]


def working_for(store: Store, case_id: str, scenario: Scenario) -> ox.Store:
    """A working dataset with the law, the scenario and the case graphs holding the case."""
    graphs = graphs_holding(store, case_id)
    if not graphs:
        raise CaseNotFound(f"no contributed case record has case_id {case_id!r}")
    names = store.graph_names()
    context = graph_triples(store, [name for name in names if is_context_graph(name)])
    return build(context, graph_triples(store, [graph for graph in graphs if is_case_graph(graph)]), scenario)


def explain(store: Store, case_id: str, scenario: Scenario) -> dict:
    """The case's whole assessment under the scenario, as a plain dict (gaps.md "Output shape")."""
    working = working_for(store, case_id, scenario)
    records = sorted((row for row in rows(working, "cases") if row["caseId"] == case_id), key=lambda row: row["case"])
    if not records:
        raise CaseNotFound(f"no contributed case record has case_id {case_id!r}")
    record = records[0]
    case = record["case"]
    assessed = case_traces(working, {case}).get(case) or CaseTrace((), {}, ())  # an unmodelled jurisdiction: none
    domains = sorted(({"domain": row["domain"], "label": row["label"]} for row in rows(working, "engaged-domains")
                      if row["case"] == case), key=lambda domain: domain["label"])
    return {
        "case_id": case_id, "case": case, "jurisdiction": record.get("jurisdiction"), "act_date": record.get("actDate"),
        "act_period": {"start": record.get("start"), "end": record.get("end")}, "as_of": scenario.as_of,
        "assessed": record["assessable"] == "true", "engaged_domains": domains,
        "versions": [{**assessment.as_dict(), "considered_for": list(assessed.considered_for(assessment))}
                     for assessment in assessed.assessments],
        "scope_checks": [check.as_dict() for check in assessed.checks],
        "findings": [finding.as_dict() for finding in ordered([f for f in run_all(working) if f.case == case])],
    }
