"""What the gap commands print on a terminal, and the output format option they share."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

STATUS_STYLES = {"reaches": "green", "does_not_reach": "red", "may_reach": "yellow"}


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="Output format: table (terminal), json, csv or html.")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Judge every case under the law in force on this date (YYYY-MM-DD) instead of on its act date.")]


def emit(format: ReportFormat, data: object, *, table: Callable[[object], None], csv: Callable[[object], str],
         html: Callable[[object], str]) -> None:
    """Print a report in the chosen format: a rich table, JSON, CSV or HTML."""
    from deepfake_kg.gaps import render

    if format is ReportFormat.table:
        table(data)
    elif format is ReportFormat.json:
        typer.echo(render.to_json(data))
    elif format is ReportFormat.csv:
        typer.echo(csv(data), nl=False)
    else:
        typer.echo(html(data))


def plain(value: object, style: str = "") -> Text:
    """Text from data, never read as rich markup."""
    return Text("" if value is None else str(value), style=style)


def findings_table(findings: list[dict], title: str | None = None) -> None:
    table = Table("gap", "kind", "case", "jurisdiction", "act date", "explanation", title=title, show_lines=True)
    for f in findings:
        table.add_row(*(plain(f[name]) for name in ("gap", "kind", "case_id", "jurisdiction", "act_date", "explanation")))
    Console().print(table)
    Console().print(f"{len(findings)} finding(s)")


def folded(title: str, *columns: str) -> Table:
    """A table whose long cells (IRIs) wrap rather than end in an ellipsis, so nothing a lawyer checks is cut."""
    table = Table(title=title, show_lines=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def versions_table(versions: list[dict]) -> Table:
    table = folded(f"provision versions assessed ({len(versions)})", "provision version", "in force", "sanction", "status",
                   "elements failed or unknown", "considered for", "verification")
    for v in versions:
        status = v["status"].replace("_", " ") + (f" (unknown: {', '.join(v['unknown_fields'])})" if v["unknown_fields"] else "")
        elements = "\n".join(f"{e['status']}: {e['requirement'] or e['label']}" + "".join(f"\n  note: {n}" for n in e["notes"])
                              for e in v["elements"])
        note = [v["verification_note"]] if v["verification_note"] else []
        verification = "\n".join([v["verification_status"] or "not stated", *note, *v["sources"]])
        table.add_row(plain(f"{v['label']}\n{v['version']}"),
                      plain(f"{v['valid_from'] or 'no start date'} to {v['valid_until'] or 'open'}"
                            + (" (straddles the act date)" if v["applicability_uncertain"] else "")),
                      plain(", ".join(v["sanction_kinds"]) or "none stated"), plain(status, STATUS_STYLES.get(v["status"], "")),
                      plain(elements or "none"), plain(", ".join(v["considered_for"])), plain(verification))
    return table


def checks_table(checks: list[dict]) -> Table:
    from deepfake_kg.gaps.render import check_name

    table = folded(f"scope checks ({len(checks)})", "scope check", "needed by", "declared complete", "clause")
    for check in checks:
        declared = "\n".join(["yes", *check["declarations"]]) if check["satisfied"] else "no"
        table.add_row(plain(check_name(check)), plain(", ".join(check["gaps"])),
                      plain(declared, "green" if check["satisfied"] else "red"), plain(check["text"]))
    return table


def explain_table(case: dict) -> None:
    """One case's whole assessment on a terminal: versions, engaged domains, scope checks and findings."""
    console = Console()
    console.print(plain(f"Case {case['case_id']} ({case['jurisdiction']}, act date {case['act_date'] or 'unknown'})"
                        + (f", under the law in force on {case['as_of']}" if case["as_of"] else ""), "bold"))
    if not case["assessed"]:
        console.print("Its jurisdiction has no modelled law, so no provision was assessed.")
    console.print(plain("legal domains engaged: " + (", ".join(d["label"] for d in case["engaged_domains"]) or "none")))
    console.print(versions_table(case["versions"]))
    console.print(checks_table(case["scope_checks"]))
    findings_table(case["findings"], title="findings")


def coverage_table(cells: list[dict]) -> None:
    jurisdictions = sorted({c["jurisdiction"] for c in cells})
    table = Table("act type", *jurisdictions, title=f"coverage on {cells[0]['as_of']}" if cells else "coverage", show_lines=True)
    by_key = {(c["act"], c["jurisdiction"]): c for c in cells}
    for act, label in sorted({(c["act"], c["act_label"]) for c in cells}):
        row = []
        for jurisdiction in jurisdictions:
            cell = by_key.get((act, jurisdiction))
            row.append(f"{len(cell['provisions'])}: {', '.join(cell['sanction_kinds'])}" if cell and cell["provisions"] else "-")
        table.add_row(label, *row)
    Console().print(table)


def sentencing_table(view: dict[str, list[dict]]) -> None:
    table = Table("case", "jurisdiction", "views", "reposts", "dissemination rank", "factor score", "factor rank", "disagreement",
                  title="sentencing factors (rank 1 = most serious)")
    for c in view["cases"]:
        table.add_row(c["case_id"], c["jurisdiction"], str(c["views"] if c["views"] is not None else ""),
                      str(c["reposts"] if c["reposts"] is not None else ""), str(c["dissemination_rank"]),
                      str(c["factor_score"]), str(c["factor_rank"]), str(c["disagreement"]))
    Console().print(table)
