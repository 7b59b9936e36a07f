"""What the gap commands print on a terminal, and the output format option they share."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


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


def findings_table(findings: list[dict], title: str | None = None) -> None:
    table = Table("gap", "kind", "case", "jurisdiction", "act date", "explanation", title=title, show_lines=True)
    for f in findings:
        table.add_row(f["gap"], f["kind"], f["case_id"], f["jurisdiction"], f["act_date"] or "", f["explanation"])
    Console().print(table)
    Console().print(f"{len(findings)} finding(s)")


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
