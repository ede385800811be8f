"""Text alternatives of the figures: what a chart shows, as rows a screen reader (or anyone who
prefers a table) can read, and a one-sentence description for the chart's `alt`. Built from the same
plan and data as the figures, so the two cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from acumap.charts.depth import canal_warnings, needle_depths
from acumap.data import anatomy as anat
from acumap.data.loading import Knowledge
from acumap.data.strings import Strings
from acumap.plan.formatting import level_text, number, quantity_text, span_text
from acumap.plan.planner import Plan, firm_count
from acumap.plan.points import canal_text, cun_to_mm, zone_danger_depths
from acumap.plan.standard_depth import zone_depth
from acumap.style import PAGE


@dataclass(frozen=True)
class NeedleSpot:
    """One needle marker of the back view."""

    n: int
    level: str
    x: float  # B-cun from the midline; negative is the patient's left
    y: float  # the drawing's y of the level
    side: str  # "left", "right" or "midline"
    method: str  # the method's words: one kind of needle, or both at each spot
    depth: str
    stay: str
    optional: bool  # not every article asks for this needle (drawn faded)


@dataclass(frozen=True)
class DepthRow:
    """One column of the depth view: a method's needles, the standard points' usual depth, or the
    published mean depth to the tissue at risk under one of the zone's points."""

    kind: str  # "needles", "points", "danger" or "canal" (a warning's depth band)
    label: str  # the column's label on the chart's axis
    low: float | None  # mm; None where not stated (a danger depth has low == high)
    high: float | None
    text: str
    sources: tuple[str, ...]


def side_of(x: float) -> str:
    return "midline" if x == 0 else ("left" if x < 0 else "right")


def needle_spots(k: Knowledge, plan: Plan) -> list[NeedleSpot]:
    """The needle markers the back view draws, in the figure's order."""
    s = k.strings
    needles = plan.quantities["needles"]
    if needles is None or needles.max is None:
        return []
    count, firm = int(needles.max), firm_count(needles)
    kinds = k.components(plan.method)
    method = s.get(f"method.{plan.method}") if len(kinds) == 1 else s.get("alt.both_kinds")
    depth = quantity_text(s, plan.quantities["depth_mm"])
    stay = quantity_text(s, plan.quantities["retention_s"])
    return [
        NeedleSpot(n, spot.level, spot.x, anat.y_of(k.anatomy, spot.level), side_of(spot.x), method, depth, stay,
                   n > firm)
        for n, spot in enumerate(k.regions[plan.region].markers[:count], start=1)
    ]


def depth_rows(k: Knowledge, plan: Plan) -> list[DepthRow]:
    """The depth view's columns, left to right, as the figure draws them."""
    s = k.strings
    rows = []
    for n in needle_depths(k, plan):
        label = s.get("depth.needles", method=s.get(f"method.{n.method}"))
        text = span_text(s, n.low, n.high, "mm", "mm") if n.stated else s.get("depth.not_stated")
        if n.reading:
            text += f" ({s.get('depth.reading')})"
        rows.append(DepthRow("needles", label, n.low, n.high, text, n.sources))
    check = zone_depth(k, plan)
    if check:
        text = s.get("depth.points_value", low=number(s, check.cun[0]), high=number(s, check.cun[1]),
                     mm_low=number(s, check.mm[0]), mm_high=number(s, check.mm[1]))
        said = tuple(dict.fromkeys(p.depth_source for p in k.points if p.code in check.codes))
        rows.append(DepthRow("points", s.get("depth.points_column"), check.mm[0], check.mm[1],
                             f"{text} ({', '.join(check.codes)})", (*said, k.cun.source)))
    for d in zone_danger_depths(k, plan.region):
        rows.append(DepthRow("danger", s.get("depth.danger", point=d.point, tissue=d.tissue), d.mean_mm, d.mean_mm,
                             s.get("alt.danger", mm=number(s, d.mean_mm)), (d.source,)))
    for w in canal_warnings(plan):
        low, high = (cun_to_mm(k, c) for c in w.depth_cun or (0.0, 0.0))
        rows.append(DepthRow("canal", s.get("depth.canal", tissue=w.tissue), low, high, canal_text(k, w),
                             tuple(w.sources)))
    return rows


def back_view_alt(k: Knowledge, plan: Plan) -> str:
    """One sentence for the back view's `alt`."""
    s = k.strings
    zone = k.regions[plan.region].zone
    return s.get("alt.back_view", region=s.get(f"region_part.{plan.region}"), top=zone.from_, bottom=zone.to,
                 count=len(needle_spots(k, plan)), method=s.get(f"method.{plan.method}"))


def depth_view_alt(k: Knowledge, plan: Plan) -> str:
    s = k.strings
    said = s.get("value.joiner").join(f"{r.label}: {r.text}" for r in depth_rows(k, plan))
    return s.get("alt.depth_view", region=s.get(f"region_part.{plan.region}"), said=said)


def _table(s: Strings, summary: str, head: list[str], body: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body)
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    return (f'<details class="acu-alt"><summary>{escape(summary)}</summary>'
            f"<table><thead><tr>{header}</tr></thead><tbody>{cells}</tbody></table></details>")


def needle_table_html(k: Knowledge, plan: Plan) -> str:
    """The back view as a table under it, folded: each needle spot with its level, side, method,
    depth and stay."""
    s = k.strings
    spots = needle_spots(k, plan)
    head = [s.get(f"alt.column_{c}") for c in ("n", "level", "side", "offset", "method", "depth", "stay", "note")]
    body = [[str(p.n), level_text(s, p.level), s.get(f"alt.side_{p.side}"), number(s, abs(p.x)), p.method, p.depth,
             p.stay,
             s.get("figure.legend_optional") if p.optional else ""] for p in spots]
    if not body:
        return f'<p class="acu-note">{escape(s.get("alt.no_needles"))}</p>'
    return _table(s, s.get("alt.back_view_table"), head, body)


def depth_table_html(k: Knowledge, plan: Plan) -> str:
    s = k.strings
    head = [s.get(f"alt.column_{c}") for c in ("what", "from", "to", "said", "sources")]
    body = [[r.label, "" if r.low is None else number(s, r.low), "" if r.high is None else number(s, r.high), r.text,
             ", ".join(r.sources)] for r in depth_rows(k, plan)]
    return _table(s, s.get("alt.depth_view_table"), head, body)


ALT_CSS = (
    "<style>.acu-alt{font-size:0.85rem;margin:0.2rem 0 0.5rem 0}.acu-alt summary{cursor:pointer}"
    ".acu-alt table{border-collapse:collapse;width:100%}.acu-alt th,.acu-alt td{text-align:left;"
    f"padding:0.15rem 0.4rem;border-bottom:1px solid {PAGE.rule}}}</style>"
)
