"""The plan and the back view as files to take away: the plan as CSV (one row per quantity and method
part, with its articles, lines and quotes; its JSON is presenting.plan_document, the CLI's document),
the back view as PNG or SVG. Pure functions: a plan (or a figure) in, text or bytes out; every word
from the strings file.

Images are drawn by kaleido in Debian's Chromium (/usr/bin/chromium), kept open between images
(acumap.charts.imaging); the page asks for them only when a download button is pressed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace

import plotly.graph_objects as go

from acumap.charts import imaging
from acumap.charts.ticks import fit_tick_labels
from acumap.data.loading import Knowledge
from acumap.data.models import Evidence
from acumap.data.quantities import QUANTITIES
from acumap.data.strings import Strings
from acumap.plan.citing import quotes
from acumap.plan.formatting import cite, piece_text, quantity_notes, quantity_text
from acumap.plan.planner import Plan
from acumap.style import FILE_FONT

IMAGE_FORMATS = ("png", "svg")
MIME = {"json": "application/json", "csv": "text/csv", "png": "image/png", "svg": "image/svg+xml",
        "pdf": "application/pdf"}
BACK_VIEW_WIDTH = 720  # CSS pixels: at the page's narrower width a file would cut the legend
PNG_SCALE = 2  # pixels per CSS pixel in the PNG: sharp when printed or projected
# The CSV's columns, in order; their headers are export.csv.<name> in the strings file.
CSV_COLUMNS = ("region", "method", "stage", "quantity", "label", "part", "min", "max", "unit", "value", "sources",
               "lines", "quotes", "conflict", "reading", "note")


@dataclass(frozen=True)
class CsvRow:
    """One quantity, or one method's part of a quantity that depends on the method."""

    quantity: str  # the plan JSON's key
    label: str
    part: str | None  # the plain method, where the quantity is split by method
    min: float | None  # in the plan JSON's unit; None where no article states that bound
    max: float | None
    unit: str  # the plan JSON's unit
    value: str  # as the page shows it, in the unit shown on screen
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]  # the headline statements behind the value, each quote once
    conflict: bool  # the articles give different values for this row
    reading: bool  # our reading acts on the quantity
    note: str | None


def plain(value: float | None) -> float | int | None:
    """6.0 -> 6, as the plan JSON writes it."""
    return int(value) if value is not None and float(value).is_integer() else value


def line_refs(s: Strings, evidence: Iterable[Evidence]) -> str:
    """'A 204; D 652': each article line once, in the order given."""
    refs = dict.fromkeys(s.get("export.line", source=ev.source, line=ev.line) for ev in evidence)
    return s.get("export.line_joiner").join(refs)


def csv_rows(k: Knowledge, plan: Plan) -> list[CsvRow]:
    s = k.strings
    rows = []
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        label = s.get(f"quantity.{spec.key}")
        if q is None:
            rows.append(CsvRow(spec.key, label, None, None, None, spec.unit, quantity_text(s, None), (), (),
                               False, False, None))
            continue
        for part in q.parts:
            # A method's row carries the notes of its own statements, not the other method's.
            own = replace(q, parts=(part,)) if part.method else q
            note = " ".join(quantity_notes(s, plan, own)) or None
            if not part.stated:
                rows.append(CsvRow(spec.key, label, part.method, None, None, spec.unit, s.get("value.not_stated"),
                                   (), (), False, q.reading, note))
                continue
            # A part split by stage is a row per stage: no row gives a range that no line states.
            for piece in part.pieces:
                named = s.get("value.piece", value=label, stage=s.get(f"severity.{piece.severity}")) \
                    if piece.severity else label
                rows.append(CsvRow(spec.key, named, part.method, piece.span[0], piece.span[1], spec.unit,
                                   piece_text(s, q, piece), tuple(piece.sources), quotes(piece.statements),
                                   bool(part.differ), q.reading, note))
    return rows


def plan_csv(k: Knowledge, plan: Plan) -> str:
    """The plan as CSV text (UTF-8, comma-separated, a header row). Numbers are in the plan JSON's
    units; a bound no article states is empty; lines and quotes of a row are listed in the same order,
    one per line inside the cell."""
    s = k.strings
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([s.get(f"export.csv.{c}") for c in CSV_COLUMNS])
    flag = {True: "true", False: "false"}
    for r in csv_rows(k, plan):
        writer.writerow([
            plan.region, plan.method, plan.stage, r.quantity, r.label, r.part or "",
            "" if r.min is None else plain(r.min), "" if r.max is None else plain(r.max), r.unit, r.value,
            ", ".join(r.sources), line_refs(s, r.evidence), "\n".join(cite(s, ev) for ev in r.evidence),
            flag[r.conflict], flag[r.reading], r.note or "",
        ])
    return out.getvalue()


def file_name(plan: Plan, what: str, ext: str) -> str:
    """'acumap-plan-cervical-sedative-II.csv': the view in the name, so files from several views
    can sit side by side."""
    return f"acumap-{what}-{plan.region}-{plan.method}-{plan.stage}.{ext}"


def figure_image(fig: go.Figure, fmt: str, width: float | None = None) -> bytes:
    """A figure as PNG or SVG bytes, drawn by kaleido in Chromium. `width` in CSS pixels (the
    figure's own height is kept)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format '{fmt}' (choose from {', '.join(IMAGE_FORMATS)})")
    import plotly.io as pio

    spec = go.Figure(fig).to_dict()
    layout = spec.get("layout", {})
    size = {side: layout.get(side) or layout.get("template", {}).get("layout", {}).get(side)
            for side in ("width", "height")}
    opts = {"format": fmt, "width": int(width) if width else size["width"] or pio.defaults.default_width,
            "height": size["height"] or pio.defaults.default_height, "scale": PNG_SCALE if fmt == "png" else 1}
    return imaging.drawer().draw(spec, opts)


def export_figure(fig: go.Figure, width: float = BACK_VIEW_WIDTH) -> go.Figure:
    """The back view laid out for a file `width` CSS pixels wide: in an installed font, and with only
    as many tick labels as fit side by side without touching (upright, never turned)."""
    out = go.Figure(fig)
    fit_tick_labels(out, width)
    # Axis text makes room for itself (automargin): in the app, where importing Streamlit makes its
    # template Plotly's default, nothing else does, and the file drew the axis title over the plot
    # and the legend over the tick labels (the page's chart gets its room from Streamlit's theme).
    # A font installed where the file is drawn: without a family of its own, a file fell back to Plotly's
    # default ("Open Sans", verdana, arial), which is not installed either.
    out.update_layout(font={"family": FILE_FONT}, xaxis={"automargin": True}, yaxis={"automargin": True})
    return out


def back_view_file(fig: go.Figure, fmt: str) -> bytes:
    """The back view as a file, wide enough for its legend: the body keeps its proportions (equal
    aspect) and the extra width goes to the margins."""
    return figure_image(export_figure(fig), fmt, BACK_VIEW_WIDTH)
