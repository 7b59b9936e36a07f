"""Geometry of the server-drawn charts: a heat map and a stacked bar chart, laid out for an SVG template."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
LOW, HIGH = (243, 240, 248), (75, 35, 125)


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    width: float
    height: float
    fill: str
    text: str
    title: str
    text_fill: str = "#1d2433"


def shade(fraction: float) -> str:
    """A colour between the pale and the dark end of the heat scale."""
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(LOW, HIGH))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(rows: list[str], columns: list[str], counts: Mapping[tuple[str, str], int],
            titles: Mapping[tuple[str, str], str], cell: int = 40, label_width: int = 80, top: int = 150) -> dict:
    """Cells coloured by count (0 = empty), with row labels on the left and slanted column labels on top."""
    peak = max(counts.values(), default=0) or 1
    cells = []
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            count = counts.get((row, column), 0)
            cells.append(Cell(
                label_width + j * cell, top + i * cell, cell - 2, cell - 2,
                shade(count / peak) if count else "#ffffff", str(count) if count else "",
                titles.get((row, column), f"{row} × {column}: nothing covers it"),
                "#ffffff" if count / peak > 0.5 else "#1d2433",
            ))
    return {
        "width": label_width + len(columns) * cell + top, "height": top + len(rows) * cell + 10,
        "cells": cells, "cell": cell,
        "row_labels": [(top + i * cell + cell / 2, row) for i, row in enumerate(rows)],
        "column_labels": [(label_width + j * cell + cell / 2, column) for j, column in enumerate(columns)],
        "label_width": label_width, "top": top,
    }


def stacked_bars(categories: list[str], series: list[str], counts: Mapping[tuple[str, str], int],
                 bar: int = 30, width: int = 560, label_width: int = 260) -> dict:
    """One horizontal bar per category, split into one coloured segment per series; a legend below."""
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    totals = {c: sum(counts.get((c, s), 0) for s in series) for c in categories}
    scale = width / (max(totals.values(), default=0) or 1)
    segments, labels = [], []
    for i, category in enumerate(categories):
        y, x = 10 + i * (bar + 10), float(label_width)
        for name in series:
            count = counts.get((category, name), 0)
            if count:
                segments.append(Cell(x, y, count * scale, bar, colours[name],
                                     str(count) if count * scale >= 18 else "", f"{category} · {name}: {count}", "#ffffff"))
                x += count * scale
        labels.append((y + bar / 2, category, totals[category], x))
    legend_top = 20 + len(categories) * (bar + 10)
    legend = [(label_width + (i % 8) * 95, legend_top + (i // 8) * 22, colours[name], name) for i, name in enumerate(series)]
    return {
        "width": label_width + width + 60, "height": legend_top + ((len(series) + 7) // 8) * 22 + 10,
        "segments": segments, "labels": labels, "legend": legend, "label_width": label_width,
    }
