"""Plotly figures of the back. Pure functions: data and a plan in, a go.Figure out.

Coordinates are anatomical (see anatomy.py): x in B-cun from the midline, y = minus the drop
below C7, with equal aspect so the drawing keeps the body's proportions.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from acumap import anatomy as anat
from acumap.formatting import by_source, quantity_text
from acumap.loading import Knowledge
from acumap.planner import Plan, Quantity
from acumap.points import PointPlacement, depth_text
from acumap.standard_depth import deeper_than_point, marker_points, zone_depth

# Colours and sizes are presentation only.
SKIN = "#f6e7da"
OUTLINE = "#b08d74"
BONE = "#8c7b6b"
REGION_COLOURS = {"cervical": "#3a6ea5", "thoracic": "#2e8b57", "lumbar": "#b8632e"}
NEEDLE = "#b0203a"
POINT = "#6a4c93"
POINT_FAINT = "#9a9a9a"
WEBGL_FROM = 1000  # markers per layer above which WebGL draws faster than SVG
HALF_WIDTH = 12.0  # B-cun shown either side of the midline
PAD = 1.6  # B-cun of margin around a focused region


def _mirror(points: tuple[tuple[float, float], ...]) -> tuple[list[float], list[float]]:
    """Right-half outline -> closed whole outline in drawing coordinates."""
    xs = [x for x, _ in points] + [-x for x, _ in reversed(points)]
    ys = [-d for _, d in points] + [-d for _, d in reversed(points)]
    return xs, ys


def _both_sides(points: tuple[tuple[float, float], ...]) -> tuple[list[float | None], list[float | None]]:
    """One polyline on each side, as a single trace broken by None."""
    xs: list[float | None] = [x for x, _ in points] + [None] + [-x for x, _ in points]
    ys: list[float | None] = [-d for _, d in points] + [None] + [-d for _, d in points]
    return xs, ys


def _line(xs: list, ys: list, colour: str, width: float, name: str, fill: str | None = None) -> go.Scatter:
    return go.Scatter(
        x=xs, y=ys, mode="lines", line={"color": colour, "width": width}, name=name,
        fill="toself" if fill else None, fillcolor=fill, hoverinfo="skip", showlegend=False,
    )


def _zone_box(k: Knowledge, region: str) -> tuple[float, float, float, float]:
    """(top drop, bottom drop, inner, outer) of a region's zone."""
    zone = k.regions[region].zone
    top = anat.level_drop(k.anatomy, zone.from_)
    bottom = anat.level_drop(k.anatomy, zone.to)
    return top, bottom, zone.lateral[0], zone.lateral[1]


def _zone_trace(k: Knowledge, region: str, selected: bool) -> go.Scatter:
    top, bottom, inner, outer = _zone_box(k, region)
    s = k.strings
    if inner == 0:
        xs: list[float | None] = [-outer, outer, outer, -outer, -outer]
        ys: list[float | None] = [-top, -top, -bottom, -bottom, -top]
    else:  # two bands, one each side of the spine
        xs = [inner, outer, outer, inner, inner, None, -inner, -outer, -outer, -inner, -inner]
        ys = [-top, -top, -bottom, -bottom, -top, None] + [-top, -top, -bottom, -bottom, -top]
    colour = REGION_COLOURS.get(region, "#666666")
    label = s.get("figure.zone_hover", region=s.get(f"region.{region}"))
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour,
        opacity=0.38 if selected else 0.1,
        line={"color": colour, "width": 2 if selected else 0.5, "dash": "solid" if selected else "dot"},
        name=label, hoveron="fills", hoverinfo="text", text=label, showlegend=False,
    )


def _firm_count(needles: Quantity) -> int:
    """How many needles every article asks for: a marker beyond it is drawn hollow. An article that
    gives only an upper bound ("reaches 5") asks for none of them firmly."""
    part = needles.parts[0]
    spans = part.differ or {src: part.span for src in part.sources}
    return int(min(low if low is not None else 0 for low, _ in spans.values()))


def _needle_trace(k: Knowledge, plan: Plan) -> go.Scatter | None:
    needles = plan.quantities["needles"]
    if needles is None or needles.max is None:
        return None
    s = k.strings
    region = k.regions[plan.region]
    count = int(needles.max)
    firm = _firm_count(needles)
    spots = region.markers[:count]
    on_points = marker_points(k, plan)[:count]
    region_label = s.get(f"region.{plan.region}")
    depth = plan.quantities["depth_mm"]
    common = [
        s.get("figure.depth", value=quantity_text(s, depth, sources=True)),
        s.get("figure.retention", value=quantity_text(s, plan.quantities["retention_s"], sources=True)),
        s.get("figure.articles", sources=", ".join(needles.sources)),
    ]
    if depth is not None and depth.reading:
        common.append(s.get("figure.depth_reading"))
    texts = []
    for n, (spot, point) in enumerate(zip(spots, on_points, strict=True), start=1):
        lines = [f"<b>{s.get('figure.needle_hover', region=region_label, n=n, count=count)}</b> · {spot.level}"]
        if n > firm:
            lines.append(s.get("figure.optional", spans=by_source(s, needles, needles.parts[0])))
        lines += common
        if point is None:
            lines.append(s.get("depth_check.none"))
        else:
            lines.append(s.get("depth_check.marker", code=point.code, detail=depth_text(k, point)))
            if deeper_than_point(k, plan, point):
                lines.append(f"<b>{s.get('depth_check.marker_deeper', code=point.code)}</b>")
        lines.append(f"<i>{s.get('figure.illustrative')}</i>")
        texts.append("<br>".join(lines))
    return go.Scatter(
        x=[spot.x for spot in spots],
        y=[anat.y_of(k.anatomy, spot.level) for spot in spots],
        mode="markers",
        marker={
            "color": NEEDLE, "size": 11, "line": {"color": "white", "width": 1.5},
            "symbol": ["circle" if n <= firm else "circle-open" for n in range(1, len(spots) + 1)],
        },
        name="needles", text=texts, hoverinfo="text", showlegend=False,
    )


def _skeleton(k: Knowledge, build: str) -> list[go.Scatter]:
    a, s = k.anatomy, k.strings
    o = a.outline
    traces = []
    width = a.builds[build]
    xs, ys = _mirror(tuple((round(x * width, 3), d) for x, d in o.body))
    traces.append(_line(xs, ys, OUTLINE, 1.5, "body", fill=SKIN))
    steps = 48
    hx = [o.head_half_width * math.cos(2 * math.pi * i / steps) for i in range(steps + 1)]
    hy = [-o.head_centre_drop + o.head_half_height * math.sin(2 * math.pi * i / steps) for i in range(steps + 1)]
    traces.append(_line([round(v, 3) for v in hx], [round(v, 3) for v in hy], OUTLINE, 1.5, "head", fill=SKIN))
    # Scapulae, scapular spines and iliac crests share a style: one trace, broken by None, draws faster.
    bx: list[float | None] = []
    by: list[float | None] = []
    for shape in (o.scapula, o.scapular_spine, o.iliac_crest):
        xs2, ys2 = _both_sides(shape)
        bx += [*xs2, None]
        by += [*ys2, None]
    traces.append(_line(bx[:-1], by[:-1], BONE, 1.6, s.get("figure.bones")))
    # Spinous processes: one marker each, named on hover and on the y axis.
    traces.append(go.Scatter(
        x=[0.0] * len(a.vertebrae), y=[-v.drop for v in a.vertebrae], mode="markers",
        marker={"symbol": "square", "size": 7, "color": "#e8ddd0", "line": {"color": BONE, "width": 1}},
        text=[v.name for v in a.vertebrae], hoverinfo="text", name=s.get("figure.spine"), showlegend=False,
    ))
    marks = list(a.landmarks.items())
    traces.append(go.Scatter(
        x=[m.x for _, m in marks] + [-m.x for _, m in marks],
        y=[-anat.landmark_drop(a, n) for n, _ in marks] * 2,
        mode="markers", marker={"size": 5, "color": BONE, "symbol": "diamond"},
        text=[f"{m.describe} [{m.source}]" for _, m in marks] * 2, hoverinfo="text",
        name="landmarks", showlegend=False,
    ))
    return traces


def _y_range(k: Knowledge, region: str | None) -> tuple[float, float]:
    a = k.anatomy
    if region is None:
        o = a.outline
        top = o.head_centre_drop - o.head_half_height - 0.5
        bottom = max(d for _, d in o.body) + 0.5
        return -bottom, -top
    r = k.regions[region]
    z_top, z_bottom, _, _ = _zone_box(k, region)
    spine = [anat.level_drop(a, lv) for lv in r.spine]
    return -(max(z_bottom, *spine) + PAD), -(min(z_top, *spine) - PAD)


def _points_traces(k: Knowledge, marks: list[PointPlacement], selected: str | None) -> list[go.Scatter]:
    """Standard points: those inside the zone strong and labelled, the rest small and grey, and the
    selected point ringed on a trace of its own. `customdata` carries the point's key, which a click
    on the chart hands back. Styles are one value per trace, never one per marker: Plotly checks a
    per-marker list element by element, which made a 10,000-point layer take seconds."""
    s = k.strings
    traces = []
    for inside in (False, True):
        group = [m for m in marks if m.in_zone == inside]
        if not group:
            continue
        kind = go.Scattergl if len(group) > WEBGL_FROM else go.Scatter
        labelled = inside and any(m.label for m in group)
        traces.append(kind(
            x=np.fromiter((m.x for m in group), float, len(group)),
            y=np.fromiter((m.y for m in group), float, len(group)),
            mode="markers+text" if labelled else "markers",
            text=np.array([m.label for m in group], dtype=object) if labelled else None,
            textposition="middle right", textfont={"size": 9, "color": POINT},
            hovertext=np.array([m.hover for m in group], dtype=object), hoverinfo="text",
            customdata=np.array([m.key for m in group], dtype=object),
            marker={"size": 8 if inside else 6, "color": POINT if inside else POINT_FAINT, "symbol": "diamond",
                    "line": {"color": "white", "width": 1}},
            name=s.get("points.layer_in_zone" if inside else "points.layer_other"), showlegend=False,
        ))
    chosen = [m for m in marks if m.key == selected]
    if chosen:
        traces.append(go.Scatter(
            x=[m.x for m in chosen], y=[m.y for m in chosen], mode="markers", hoverinfo="skip",
            marker={"size": 15, "color": "rgba(0,0,0,0)", "line": {"color": "#000000", "width": 2}},
            name="selected point", showlegend=False,
        ))
    return traces


def back_view(
    k: Knowledge, plan: Plan, *, focus: bool = True, width: int = 560,
    points: list[PointPlacement] | None = None, selected: str | None = None, build: str = "average",
) -> go.Figure:
    """The back from behind: skeleton landmarks, every region's zone (the plan's region strong,
    the others faint), the plan's needle markers and, if given, a layer of standard points.
    `focus` zooms to the plan's region; `selected` rings one point."""
    s = k.strings
    traces = _skeleton(k, build)
    traces += [_zone_trace(k, r, r == plan.region) for r in k.regions if r != plan.region]
    traces.append(_zone_trace(k, plan.region, True))
    if points:
        traces += _points_traces(k, points, selected)
    needles = _needle_trace(k, plan)
    if needles is not None:
        traces.append(needles)
    check = zone_depth(k, plan)
    if check and check.deeper:
        # Said on the drawing itself, not only in a hover: the articles' depth outruns the usual one.
        said = ", ".join(f"{s.get(f'method_part.{m}')} {d:g} mm" for m, d in check.deeper)
        fig_note = s.get("figure.deeper", said=said, mm_low=f"{check.mm[0]:g}", mm_high=f"{check.mm[1]:g}")
    else:
        fig_note = None
    y0, y1 = _y_range(k, plan.region if focus else None)
    ticks = [(v.name, -v.drop) for v in k.anatomy.vertebrae if y0 <= -v.drop <= y1]
    offsets = [-9.0, -6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0, 9.0]
    # Equal aspect: make the figure as tall as the shown stretch of back needs at this width.
    height = int(min(1000, max(380, width * (y1 - y0) / (2 * HALF_WIDTH)))) + 96
    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": s.get("figure.title", region=s.get(f"region.{plan.region}"),
                             method=s.get(f"method.{plan.method}"), stage=plan.stage), "x": 0.02},
        height=height, margin={"l": 50, "r": 10, "t": 48, "b": 48},
        plot_bgcolor="white", paper_bgcolor="white", hovermode="closest", dragmode="pan",
        xaxis={"range": [-HALF_WIDTH, HALF_WIDTH], "tickvals": offsets,
               "ticktext": [f"{abs(v):g}" for v in offsets], "title": {"text": s.get("figure.x_axis")},
               "showgrid": True, "gridcolor": "#eeeeee", "zeroline": False, "constrain": "domain"},
        yaxis={"range": [y0, y1], "tickvals": [t[1] for t in ticks], "ticktext": [t[0] for t in ticks],
               "scaleanchor": "x", "scaleratio": 1, "showgrid": True, "gridcolor": "#f3f3f3",
               "zeroline": False, "tickfont": {"size": 10}, "constrain": "domain"},
    )
    if fig_note:
        fig.add_annotation(text=fig_note, xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="top",
                           showarrow=False, align="left", bgcolor="rgba(253,226,226,0.92)",
                           font={"color": "#8a1020", "size": 11}, name="depth_check")
    return fig
