"""Plotly figures of the back. Pure functions: data and a plan in, a go.Figure out.

Coordinates are anatomical (see anatomy.py): x in B-cun from the midline, y = minus the drop
below C7, with equal aspect so the drawing keeps the body's proportions. Colours, shapes and sizes
come from a Style (style.py), which presenter mode scales.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import plotly.graph_objects as go

from acumap.charts.hovers import fit_hovers, fit_trace
from acumap.charts.ticks import fit_tick_labels
from acumap.data import anatomy as anat
from acumap.data.loading import Knowledge
from acumap.plan.formatting import by_source, level_text, quantity_text, span_text
from acumap.plan.planner import Plan, firm_count
from acumap.plan.points import PointPlacement, canal_text, depth_text, needle_warnings
from acumap.plan.standard_depth import deeper_than_point, marker_points, zone_depth
from acumap.protocol.types import Protocol
from acumap.style import EXPLORE, Style

WEBGL_FROM = 1000  # markers per layer above which WebGL draws faster than SVG
HALF_WIDTH = 12.0  # B-cun shown either side of the midline
PAD = 1.6  # B-cun of margin above and below a focused region
FOCUS_MARGIN = 4.0  # B-cun shown beside a focused zone
LABEL_GAP = 0.35  # B-cun between a point and its label
# Label boxes are estimated in B-cun to keep labels apart: a conservative figure for the narrowest
# chart the page draws (about 14 px per B-cun), and the width of one character of the label font.
PX_PER_CUN = 14.0
CHAR_PX_PER_FONT = 0.68
NOTE_TOP = 0.86  # the depth note's top, as a fraction of the plot's height


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


def _zone_trace(k: Knowledge, region: str, selected: bool, style: Style) -> go.Scatter:
    top, bottom, inner, outer = _zone_box(k, region)
    s = k.strings
    if inner == 0:
        xs: list[float | None] = [-outer, outer, outer, -outer, -outer]
        ys: list[float | None] = [-top, -top, -bottom, -bottom, -top]
    else:  # two bands, one each side of the spine
        xs = [inner, outer, outer, inner, inner, None, -inner, -outer, -outer, -inner, -inner]
        ys = [-top, -top, -bottom, -bottom, -top, None] + [-top, -top, -bottom, -bottom, -top]
    colour = style.region(region)
    label = s.get("figure.zone_hover", region=s.get(f"region.{region}"))
    return go.Scatter(
        x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour,
        opacity=0.38 if selected else 0.1,
        line={"color": colour, "width": 2 if selected else 0.5, "dash": "solid" if selected else "dot"},
        name=label, hoveron="fills", hoverinfo="text", text=label, showlegend=False,
    )


def _needle_hovers(k: Knowledge, plan: Plan, count: int, firm: int) -> list[str]:
    s = k.strings
    needles = plan.quantities["needles"]
    if needles is None:  # needles are drawn only where an article gives their count; a raise survives python -O
        raise ValueError(f"no needle count for {plan.region} / {plan.method} / stage {plan.stage}: "
                         "no needles to describe")
    region = k.regions[plan.region]
    spots = region.markers[:count]
    on_points = marker_points(k, plan)[:count]
    region_label = s.get(f"region.{plan.region}")
    depth = plan.quantities["depth_mm"]
    common = [
        s.get("figure.method", method=s.get(f"method.{plan.method}"),
              kinds=s.get(f"figure.kinds_{'both' if len(k.components(plan.method)) > 1 else 'one'}")),
        s.get("figure.depth", value=quantity_text(s, depth, sources=True)),
        s.get("figure.retention", value=quantity_text(s, plan.quantities["retention_s"], sources=True)),
        s.get("figure.articles", sources=", ".join(needles.sources)),
    ]
    if depth is not None and depth.reading:
        common.append(s.get("figure.depth_reading"))
    texts = []
    for n, (spot, point) in enumerate(zip(spots, on_points, strict=True), start=1):
        head = s.get("figure.needle_hover", region=region_label, n=n, count=count)
        lines = [f"<b>{head}</b> · {level_text(s, spot.level)}"]
        if n > firm:
            lines.append(s.get("figure.optional", spans=by_source(s, needles, needles.parts[0])))
        lines += common
        if point is None:
            lines.append(s.get("depth_check.none"))
        else:
            lines.append(s.get("depth_check.marker", code=point.code, detail=depth_text(k, point)))
            if deeper_than_point(k, plan, point):
                lines.append(f"<b>{s.get('depth_check.marker_deeper', code=point.code)}</b>")
        # Where a warning's tissue lies beneath (the spinal canal by the midline), it is said at every
        # needle drawn there, and once (a point's caution that restates the warning is left out).
        warnings = needle_warnings(k, spot.level, spot.x)
        if point is not None and point.caution and point.caution_restates not in {w.id for w in warnings}:
            lines.append(s.get("points.caution", text=point.caution))
        lines += [f"<b>⚠ {canal_text(k, w)}</b>" for w in warnings]
        if region.marker_reading:
            lines.append(f"<i>{region.marker_reading}</i>")
        lines.append(f"<i>{s.get('figure.illustrative')}</i>")
        texts.append("<br>".join(lines))
    return texts


def _needle_traces(k: Knowledge, plan: Plan, style: Style) -> list[go.Scatter]:
    """The needles as the method places them: deep (sedative) needles as filled triangles, shallow
    (exciting) ones as open circles, and under "both" a triangle inside a circle, since the articles
    do not say which needle gets which method. A needle not every article asks for is faded. The
    first trace, "needles", carries the hover; legend entries are traces of their own."""
    needles = plan.quantities["needles"]
    if needles is None or needles.max is None:
        return []
    s = k.strings
    count = int(needles.max)
    firm = firm_count(needles)
    spots = k.regions[plan.region].markers[:count]
    xs = [spot.x for spot in spots]
    ys = [anat.y_of(k.anatomy, spot.level) for spot in spots]
    opacity = [1.0 if n <= firm else style.optional_opacity for n in range(1, count + 1)]
    kinds = k.components(plan.method)
    # The deep needle is the main marker where the plan has one; the shallow ring surrounds it.
    main = "sedative" if "sedative" in kinds else kinds[0]
    colour, symbol = style.needle(main)
    traces = [go.Scatter(
        x=xs, y=ys, mode="markers",
        marker={"color": colour, "size": style.needle_size, "symbol": symbol, "opacity": opacity,
                "line": {"color": style.marker_edge if not symbol.endswith("-open") else colour, "width": 1.5}},
        name="needles", text=_needle_hovers(k, plan, count, firm), hoverinfo="text", showlegend=False,
    )]
    if len(kinds) > 1:
        ring, ring_symbol = style.needle("exciting")
        traces.append(go.Scatter(
            x=xs, y=ys, mode="markers", hoverinfo="skip", showlegend=False, name="needles_shallow",
            marker={"color": ring, "size": style.needle_ring_size, "symbol": ring_symbol, "opacity": opacity,
                    "line": {"color": ring, "width": 2}},
        ))
    legend: list[tuple[str, str]] = [(m, s.get(f"figure.legend_{m}")) for m in ("sedative", "exciting") if m in kinds]
    if firm < count:
        legend.append(("optional", s.get("figure.legend_optional")))
    for kind, text in legend:
        colour, symbol = style.needle(main if kind == "optional" else kind)
        marker = {"color": colour, "size": style.needle_size, "symbol": symbol,
                  "line": {"color": colour, "width": 1.5}}
        if kind == "optional":
            marker["opacity"] = style.optional_opacity
        traces.append(go.Scatter(x=[None], y=[None], mode="markers", marker=marker, name=text, showlegend=True,
                                 hoverinfo="skip", legendgroup="needles"))
    return traces


def _skeleton(k: Knowledge, build: str, style: Style) -> list[go.Scatter]:
    a, s = k.anatomy, k.strings
    o = a.outline
    traces = []
    width = a.builds[build]
    xs, ys = _mirror(tuple((round(x * width, 3), d) for x, d in o.body))
    traces.append(_line(xs, ys, style.outline, style.line_width, "body", fill=style.skin))
    steps = 48
    hx = [o.head_half_width * math.cos(2 * math.pi * i / steps) for i in range(steps + 1)]
    hy = [-o.head_centre_drop + o.head_half_height * math.sin(2 * math.pi * i / steps) for i in range(steps + 1)]
    traces.append(_line([round(v, 3) for v in hx], [round(v, 3) for v in hy], style.outline, style.line_width,
                        "head", fill=style.skin))
    # Scapulae, scapular spines and iliac crests share a style: one trace, broken by None, draws faster.
    bx: list[float | None] = []
    by: list[float | None] = []
    for shape in (o.scapula, o.scapular_spine, o.iliac_crest):
        xs2, ys2 = _both_sides(shape)
        bx += [*xs2, None]
        by += [*ys2, None]
    traces.append(_line(bx[:-1], by[:-1], style.bone, style.line_width, s.get("figure.bones")))
    # Spinous processes: one marker each, named on hover and on the y axis.
    traces.append(go.Scatter(
        x=[0.0] * len(a.vertebrae), y=[-v.drop for v in a.vertebrae], mode="markers",
        marker={"symbol": "square", "size": style.spine_size, "color": style.spine_fill,
                "line": {"color": style.bone, "width": 1}},
        text=[v.name for v in a.vertebrae], hoverinfo="text", name=s.get("figure.spine"), showlegend=False,
    ))
    marks = list(a.landmarks.items())
    traces.append(go.Scatter(
        x=[m.x for _, m in marks] + [-m.x for _, m in marks],
        y=[-anat.landmark_drop(a, n) for n, _ in marks] * 2,
        mode="markers", marker={"size": style.landmark_size, "color": style.bone, "symbol": "diamond"},
        text=[f"{m.describe} [{m.source}]" for _, m in marks] * 2, hoverinfo="text",
        name="landmarks", showlegend=False,
    ))
    return traces


def _x_half(k: Knowledge, region: str | None) -> float:
    """B-cun shown either side of the midline: the whole back, or the zone with room for the
    shoulder blades, the crests and the labels around it."""
    if region is None:
        return HALF_WIDTH
    return min(HALF_WIDTH, k.regions[region].zone.lateral[1] + FOCUS_MARGIN)


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


Box = tuple[float, float, float, float]  # x0, x1, y0, y1 in drawing units


def _label_box(x: float, y: float, width: float, height: float, position: str) -> Box:
    if position == "middle right":
        return x + LABEL_GAP, x + LABEL_GAP + width, y - height / 2, y + height / 2
    if position == "middle left":
        return x - LABEL_GAP - width, x - LABEL_GAP, y - height / 2, y + height / 2
    if position == "top center":
        return x - width / 2, x + width / 2, y + LABEL_GAP, y + LABEL_GAP + height
    return x - width / 2, x + width / 2, y - LABEL_GAP - height, y - LABEL_GAP  # bottom center


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def place_labels(marks: list[PointPlacement], font: float,
                 obstacles: list[tuple[float, float]] = ()) -> list[tuple[str, str]]:  # type: ignore[assignment]
    """(label, text position) per marker, chosen so that no two labels overlap and none covers a
    needle marker (`obstacles`): a label goes to the right of its point (to the left on the midline,
    where the right is its neighbour's), else to the other side, above or below; where no place is
    free it is left to the hover."""
    reach = 0.45  # B-cun around a needle marker that a label keeps clear of
    placed: list[Box] = [(x - reach, x + reach, y - reach, y + reach) for x, y in obstacles]
    height = font * 1.3 / PX_PER_CUN
    out = []
    for m in marks:
        if not m.label:
            out.append(("", "middle right"))
            continue
        width = len(m.label) * font * CHAR_PX_PER_FONT / PX_PER_CUN
        order = ["middle left", "middle right"] if m.x == 0 else ["middle right", "middle left"]
        for position in [*order, "top center", "bottom center"]:
            box = _label_box(m.x, m.y, width, height, position)
            if not any(_overlap(box, other) for other in placed):
                placed.append(box)
                out.append((m.label, position))
                break
        else:
            out.append(("", "middle right"))
    return out


def _points_traces(k: Knowledge, marks: list[PointPlacement], selected: str | None, style: Style,
                   needles: list[tuple[float, float]]) -> list[go.Scatter]:
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
        labels = place_labels(group, style.label_font, needles) if labelled else []
        traces.append(kind(
            x=np.fromiter((m.x for m in group), float, len(group)),
            y=np.fromiter((m.y for m in group), float, len(group)),
            mode="markers+text" if labelled else "markers",
            text=np.array([t for t, _ in labels], dtype=object) if labelled else None,
            textposition=[p for _, p in labels] if labelled else "middle right",
            textfont={"size": style.label_font, "color": style.point},
            hovertext=np.array([m.hover for m in group], dtype=object), hoverinfo="text",
            customdata=np.array([m.key for m in group], dtype=object),
            marker={"size": style.point_size if inside else style.point_faint_size,
                    "color": style.point if inside else style.point_faint, "symbol": "diamond",
                    "line": {"color": style.marker_edge, "width": 1}},
            name=s.get("points.layer_in_zone" if inside else "points.layer_other"), showlegend=False,
        ))
    chosen = [m for m in marks if m.key == selected]
    if chosen:
        traces.append(go.Scatter(
            x=[m.x for m in chosen], y=[m.y for m in chosen], mode="markers", hoverinfo="skip",
            marker={"size": style.selected_size, "color": style.selected_fill,
                    "line": {"color": style.selected_ring, "width": 2}},
            name="selected point", showlegend=False,
        ))
    return traces


def view_title(k: Knowledge, plan: Plan) -> str:
    s = k.strings
    return s.get("figure.title", region=s.get(f"region.{plan.region}"), method=s.get(f"method.{plan.method}"),
                 stage=plan.stage)


def key_number_lines(k: Knowledge, plan: Plan) -> list[str]:
    """The few numbers the controls move, over the diagram: the stage's session, and the depth and
    stay of the method's needles (plain text, one line each)."""
    s = k.strings
    q = plan.quantities
    joiner = s.get("value.joiner")
    first = joiner.join([s.get("figure.key_session", stage=plan.stage, value=quantity_text(s, q["session_min"])),
                         s.get("figure.key_needles", value=quantity_text(s, q["needles"]))])
    second = s.get("figure.key_depth", value=quantity_text(s, q["depth_mm"]))
    third = s.get("figure.key_stay", value=quantity_text(s, q["retention_s"]))
    return [first, second, third]


def back_view(
    k: Knowledge, plan: Plan, *, focus: bool = True, points: list[PointPlacement] | None = None,
    selected: str | None = None, build: str = "average", style: Style = EXPLORE, titled: bool = True,
) -> go.Figure:
    """The back from behind: skeleton landmarks, every region's zone (the plan's region strong,
    the others faint), the plan's needle markers by method, the key numbers of the plan and, if
    given, a layer of standard points. `focus` zooms to the plan's region; `selected` rings one point.
    Untitled (`titled=False`), the title and key numbers are left to the page beside the figure: the
    figure is then the same for every stage that draws the same, and the browser keeps the one it has."""
    s = k.strings
    traces = _skeleton(k, build, style)
    traces += [_zone_trace(k, r, r == plan.region, style) for r in k.regions if r != plan.region]
    traces.append(_zone_trace(k, plan.region, True, style))
    needle_traces = _needle_traces(k, plan, style)
    if points:
        spots = list(zip(needle_traces[0].x, needle_traces[0].y, strict=True)) if needle_traces else []
        traces += _points_traces(k, points, selected, style, spots)
    traces += needle_traces
    y0, y1 = _y_range(k, plan.region if focus else None)
    half = _x_half(k, plan.region if focus else None)
    # The levels in the range first, so that the levels beyond it never crowd out one of them: a chart
    # narrower than the range's proportions shows more of the back above and below (constrain "range").
    ticks = sorted(((v.name, -v.drop) for v in k.anatomy.vertebrae), key=lambda t: not y0 <= t[1] <= y1)
    offsets = [v for v in (-9.0, -6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0, 9.0) if abs(v) < half]
    # Equal aspect: the height the shown stretch of back needs at the style's width, within bounds.
    plot = style.back_width * (y1 - y0) / (2 * half)
    height = int(min(style.back_max_height, max(style.back_min_height, plot)))
    both = len(k.components(plan.method)) > 1
    # Room under the axis for the legend: one row of entries, and its title above them under "Both".
    legend_rows = 2 if both else 1
    # Room for the title and three lines of key numbers, or a thin band over the plot.
    top = int(3 * style.font + 4.4 * style.small_font) if titled else int(0.8 * style.font)
    bottom = int(4 * style.font + legend_rows * 1.8 * style.small_font)
    fig = go.Figure(traces)
    if titled:
        fig.update_layout(title={
            "text": view_title(k, plan), "x": 0.02, "font": {"size": style.title_font},
            # Pinned to the top of the figure, so the key numbers stay above the plot area.
            "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": int(0.5 * style.font)},
            "subtitle": {"text": "<br>".join(key_number_lines(k, plan)),
                         "font": {"size": style.small_font, "color": style.muted}}})
    fig.update_layout(
        height=height + top + bottom,
        margin={"l": 50, "r": 10, "t": top, "b": bottom},
        font={"size": style.font},
        plot_bgcolor=style.background, paper_bgcolor=style.background, hovermode="closest", dragmode="pan",
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0,
                "font": {"size": style.small_font}, "itemclick": False, "itemdoubleclick": False,
                "title": {"text": s.get("figure.legend_both") if both else "", "side": "top"}},
        xaxis={"range": [-half, half], "tickvals": offsets,
               "ticktext": [s.number(abs(v)) for v in offsets], "title": {"text": s.get("figure.x_axis")},
               "showgrid": True, "gridcolor": style.grid, "zeroline": False, "constrain": "domain"},
        yaxis={"range": [y0, y1], "tickvals": [t[1] for t in ticks], "ticktext": [t[0] for t in ticks],
               "scaleanchor": "x", "scaleratio": 1, "showgrid": True, "gridcolor": style.grid,
               # On a narrow screen (a phone) the width sets the scale: the plot then shows more of the
               # back above and below, where shrinking it left an empty band over and under the drawing.
               "zeroline": False, "tickfont": {"size": style.small_font}, "constrain": "range"},
    )
    check = zone_depth(k, plan)
    if check and check.deeper:
        # Said on the drawing itself, not only in a hover: the articles' depth outruns the usual one.
        said = ", ".join(s.get("depth_check.part", part=s.get(f"method_part.{m}"), mm=s.number(d))
                         for m, d in check.deeper)
        fig.add_annotation(text=s.get("figure.deeper", said=said, mm_low=s.number(check.mm[0]),
                                      mm_high=s.number(check.mm[1])),
                           # Right of the neck, below the occiput's points (GB20, BL10): at the top
                           # left it covered the C1 tick, at the top right those points.
                           xref="paper", yref="paper", x=1, y=NOTE_TOP, xanchor="right", yanchor="top",
                           showarrow=False, align="left", bgcolor=style.warning_fill,
                           font={"color": style.warning_text, "size": style.small_font}, name="depth_check")
    fit_tick_labels(fig, style.narrowest_width)
    return fit_hovers(fig)


# --- your protocol over the back view ------------------------------------------------------------------
OVERLAY_COLOUR = EXPLORE.overlay  # teal: none of the articles' zone or needle colours
OVERLAY_SYMBOL = "x"


def overlay_traces(k: Knowledge, protocol: Protocol) -> list[go.Scatter]:
    """The protocol's zones (dashed outlines, lightly filled, mirrored like the articles' zones) and
    its needles (crosses), each in the legend under the protocol's name, so it reads as yours."""
    s = k.strings
    name = escape(protocol.name or s.get("protocol.default_name"))
    traces = []
    xs: list[float | None] = []
    ys: list[float | None] = []
    for zone in protocol.zones:
        top = anat.level_drop(k.anatomy, zone.from_)
        bottom = anat.level_drop(k.anatomy, zone.to)
        inner, outer = zone.lateral
        sides = [(-outer, outer)] if inner == 0 else [(inner, outer), (-outer, -inner)]
        for a, b in sides:
            xs += [a, b, b, a, a, None]
            ys += [-top, -top, -bottom, -bottom, -top, None]
    if xs:
        label = s.get("protocol.legend_zone", name=name)
        traces.append(go.Scatter(
            x=xs[:-1], y=ys[:-1], mode="lines", fill="toself", fillcolor=EXPLORE.overlay_fill,
            line={"color": OVERLAY_COLOUR, "width": 2, "dash": "dash"}, name=label, text=label,
            hoveron="fills", hoverinfo="text", showlegend=True, legendgroup="protocol",
        ))
    if protocol.points:
        hovers = [s.get("protocol.point_hover", name=name, where=escape(p.label or p.where),
                        level=escape(level_text(s, p.level)), x=s.number(p.x),
                        depth=span_text(s, p.depth_mm, p.depth_mm, "mm", "mm") if p.depth_mm is not None
                        else s.get("protocol.depth_not_given"))
                  for p in protocol.points]
        traces.append(go.Scatter(
            x=[p.x for p in protocol.points], y=[p.y for p in protocol.points], mode="markers",
            marker={"color": OVERLAY_COLOUR, "size": 11, "symbol": OVERLAY_SYMBOL,
                    "line": {"color": EXPLORE.marker_edge, "width": 1}},
            name=s.get("protocol.legend_points", name=name), text=hovers, hoverinfo="text", showlegend=True,
            legendgroup="protocol",
        ))
    for trace in traces:
        fit_trace(trace)
    return traces


# --- the quiz's back view ----------------------------------------------------------------------------
CLICK_GRID = 0.5  # B-cun between two clickable spots of the quiz's back view (presentation, not anatomy)


def _inside(xs: list[float], ys: list[float], x: float, y: float) -> bool:
    """Whether (x, y) lies inside the closed polygon xs, ys (even-odd rule)."""
    inside = False
    for i in range(len(xs) - 1):
        (x0, y0), (x1, y1) = (xs[i], ys[i]), (xs[i + 1], ys[i + 1])
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def click_grid(k: Knowledge, build: str = "average") -> tuple[list[float], list[float]]:
    """Candidate spots every CLICK_GRID B-cun over the trunk: what a click on the quiz's back view
    can hand back (Plotly reports clicks on markers only)."""
    xs, ys = _mirror(tuple((round(x * k.anatomy.builds[build], 3), d) for x, d in k.anatomy.outline.body))
    xs, ys = [*xs, xs[0]], [*ys, ys[0]]
    y0, y1 = min(ys), max(ys)
    half = max(abs(x) for x in xs)
    columns = int(half / CLICK_GRID)
    rows = int((y1 - y0) / CLICK_GRID)
    gx, gy = [], []
    for j in range(rows + 1):
        y = round(y1 - j * CLICK_GRID, 3)
        for i in range(-columns, columns + 1):
            x = i * CLICK_GRID
            if _inside(xs, ys, x, y):
                gx.append(x)
                gy.append(y)
    return gx, gy


def clicked_marker(clicked: tuple[float, float], style: Style = EXPLORE) -> go.Scatter:
    """The spot a "click where" answer gave, as a cross over the revealed zone."""
    return go.Scatter(
        x=[clicked[0]], y=[clicked[1]], mode="markers", name="clicked", hoverinfo="skip", showlegend=False,
        marker={"symbol": "x", "size": style.selected_size, "color": style.selected_ring,
                "line": {"color": style.marker_edge, "width": 1}},
    )


def click_canvas(k: Knowledge, *, title: str, build: str = "average", style: Style = EXPLORE,
                 reveal: str | None = None, clicked: tuple[float, float] | None = None) -> go.Figure:
    """The whole back with no zone and no needle, for "click where the needles go". Before the
    answer it carries the "click_grid" of invisible clickable spots; after it, `reveal` shades that
    region's zone and `clicked` marks the spot that was given."""
    s = k.strings
    traces = _skeleton(k, build, style)
    if reveal is not None:
        traces.append(_zone_trace(k, reveal, True, style))
    else:
        gx, gy = click_grid(k, build)
        traces.append(go.Scatter(
            x=gx, y=gy, mode="markers", name="click_grid", hoverinfo="none", showlegend=False,
            marker={"size": style.point_size, "color": style.selected_ring, "opacity": 0},
            selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 0}},
        ))
    if clicked is not None:
        traces.append(clicked_marker(clicked, style))
    y0, y1 = _y_range(k, None)
    half = HALF_WIDTH
    ticks = [(v.name, -v.drop) for v in k.anatomy.vertebrae if y0 <= -v.drop <= y1]
    plot = style.back_width * (y1 - y0) / (2 * half)
    height = int(min(style.back_max_height, max(style.back_min_height, plot)))
    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": title, "x": 0.02, "font": {"size": style.title_font}},
        height=height + int(8 * style.font),
        # The bottom holds the tick labels and the axis title without Plotly widening it (the page sizes the
        # canvas to its width from these margins: ui/quiz.fitted).
        margin={"l": 50, "r": 10, "t": int(3 * style.font), "b": int(5 * style.font)},
        font={"size": style.font}, plot_bgcolor=style.background, paper_bgcolor=style.background, hovermode="closest",
        dragmode=False, showlegend=False,
        xaxis={"range": [-half, half], "title": {"text": s.get("figure.x_axis")}, "showgrid": False,
               "zeroline": False, "constrain": "domain", "fixedrange": True},
        yaxis={"range": [y0, y1], "tickvals": [t[1] for t in ticks], "ticktext": [t[0] for t in ticks],
               "scaleanchor": "x", "scaleratio": 1, "showgrid": True, "gridcolor": style.grid, "zeroline": False,
               "tickfont": {"size": style.small_font}, "constrain": "domain", "fixedrange": True},
    )
    fit_tick_labels(fig, style.narrowest_width)  # the whole spine: as the back view, not all of its levels
    return fig
