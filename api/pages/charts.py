"""Pictures drawn on the server as SVG: the coverage heat map and the findings by gap type and jurisdiction."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from deepfake_kg.api.pages.deps import store_of
from deepfake_kg.api.pages.svg import heatmap, stacked_bars
from deepfake_kg.api.pages.templating import TEMPLATES
from deepfake_kg.gaps import coverage, find_gaps
from deepfake_kg.store import Store

router = APIRouter()
SVG = "image/svg+xml"


def findings_svg(findings: list[dict]) -> str:
    """A stacked bar per gap type, one segment per jurisdiction, counting gap findings (notices left out)."""
    counts = Counter((f["gap"], f.get("jurisdiction") or "?") for f in findings if f.get("kind") == "gap")
    totals = Counter(gap for gap, _ in counts.elements())
    categories = sorted(totals, key=lambda gap: (-totals[gap], gap))
    series = sorted({jurisdiction for _, jurisdiction in counts})
    chart = stacked_bars(categories, series, counts)
    caption = f"{sum(totals.values())} gap findings by gap type and jurisdiction"
    return Markup(TEMPLATES.get_template("bars.svg").render(chart=chart, caption=caption, svg_id="findings-chart"))


def coverage_svg(cells: list[dict]) -> str:
    """Jurisdiction (rows) x act type (columns), shaded by how many provisions in force cover the act there."""
    acts = sorted({cell["act_label"] for cell in cells})
    jurisdictions = sorted({cell["jurisdiction"] for cell in cells})
    counts = {(cell["jurisdiction"], cell["act_label"]): len(cell["provisions"]) for cell in cells}
    titles = {
        (cell["jurisdiction"], cell["act_label"]):
            f"{cell['act_label']} in {cell['jurisdiction']}: "
            + ("; ".join(f"{p['name']} ({p['sanction'] or 'no sanction'})" for p in cell["provisions"]) or "nothing covers it")
        for cell in cells
    }
    chart = heatmap(jurisdictions, acts, counts, titles)
    as_of = cells[0]["as_of"] if cells else ""
    caption = f"Provisions in force on {as_of} covering each act type, by jurisdiction"
    return Markup(TEMPLATES.get_template("heatmap.svg").render(chart=chart, caption=caption, svg_id="coverage-chart"))


@router.get("/charts/findings.svg")
def findings_chart(store: Store = Depends(store_of)) -> Response:
    return Response(findings_svg(find_gaps(store)), media_type=SVG)


@router.get("/charts/coverage.svg")
def coverage_chart(store: Store = Depends(store_of)) -> Response:
    return Response(coverage_svg(coverage(store)), media_type=SVG)


@router.get("/charts", response_class=HTMLResponse)
def charts_page(request: Request, store: Store = Depends(store_of)) -> HTMLResponse:
    findings = find_gaps(store)
    cells = coverage(store)
    context = {
        "findings_svg": findings_svg(findings), "gap_count": sum(f.get("kind") == "gap" for f in findings),
        "coverage_svg": coverage_svg(cells), "cell_count": len(cells),
        "as_of": cells[0]["as_of"] if cells else "",
    }
    return TEMPLATES.TemplateResponse(request, "charts.html", context)
