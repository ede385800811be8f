"""The depth view: a cut through the back under the chosen zone, with a millimetre ruler, showing
how deep each method's needles go beside the usual depth of the zone's standard points and the
published depth of the tissue at risk under the zone's own points (never a neighbour's)."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from acumap.charts.hovers import fit_hovers
from acumap.data.loading import Knowledge
from acumap.data.models import SafetyWarning
from acumap.plan.formatting import number, span_text
from acumap.plan.planner import Plan
from acumap.plan.points import canal_text, cun_to_mm, zone_danger_depths
from acumap.plan.standard_depth import zone_depth
from acumap.style import EXPLORE, Style


@dataclass(frozen=True)
class NeedleDepth:
    method: str
    low: float | None  # mm; None: no lower bound stated
    high: float | None  # mm; None with low None: not stated at all
    sources: tuple[str, ...]
    reading: bool  # our reading gave this depth to this method

    @property
    def stated(self) -> bool:
        return self.high is not None or self.low is not None


def needle_depths(k: Knowledge, plan: Plan) -> list[NeedleDepth]:
    """Each plain method of the plan with its needle depth in mm (exciting first, as the control)."""
    q = plan.quantities["depth_mm"]
    found = []
    for method in [m for m in k.methods if m in k.components(plan.method)]:
        part = q.part(method) if q else None
        if part is None or not part.stated:
            found.append(NeedleDepth(method, None, None, (), False))
        else:
            low, high = part.span
            reading = any(st.claim.reading for st in part.statements)
            found.append(NeedleDepth(method, low, high, tuple(part.sources), reading))
    return found


def canal_warnings(plan: Plan) -> list[SafetyWarning]:
    """The plan's warnings that give a depth: drawn as a column of their own."""
    return [w for w in plan.warnings if w.depth_cun is not None]


def depth_view(k: Knowledge, plan: Plan, style: Style = EXPLORE) -> go.Figure:
    s = k.strings
    needles = needle_depths(k, plan)
    dangers = zone_danger_depths(k, plan.region)
    check = zone_depth(k, plan)
    columns = [s.get("depth.needles", method=s.get(f"method.{n.method}")) for n in needles]
    if check:
        columns.append(s.get("depth.points_column"))
    columns += [s.get("depth.danger", point=d.point, tissue=d.tissue) for d in dangers]
    canals = canal_warnings(plan)
    columns += [s.get("depth.canal", tissue=w.tissue) for w in canals]
    deepest = max([d.mean_mm for d in dangers] + [n.high or 0 for n in needles] + [check.mm[1] if check else 0, 30]
                  + [cun_to_mm(k, w.depth_cun[1]) for w in canals if w.depth_cun])
    bottom = deepest * 1.15 + 5

    fig = go.Figure()
    for n, column in zip(needles, columns, strict=False):
        if not n.stated:
            fig.add_annotation(x=column, y=bottom * 0.25, text=f"<b>{s.get('depth.not_stated')}</b>",
                               showarrow=False, font={"color": style.muted, "size": style.font})
            continue
        value = span_text(s, n.low, n.high, "mm", "mm")
        low = n.low if n.low is not None else 0.0
        label = value + (f"<br><i>{s.get('depth.reading')}</i>" if n.reading else "")
        if any(m == n.method for m, _ in (check.deeper if check else ())):
            label += f"<br><b>{s.get('depth.deeper')}</b>"
        fig.add_trace(go.Bar(
            x=[column], y=[(n.high or low) - low], base=[low], width=0.18,
            marker={"color": style.needle(n.method)[0], "pattern": {"shape": "" if n.low is not None else "/"}},
            hovertext=s.get("depth.needle_hover", method=s.get(f"method.{n.method}"), value=value,
                            sources=", ".join(n.sources)),
            hoverinfo="text", showlegend=False, name=column,
        ))
        fig.add_annotation(x=column, y=n.high or low, text=label, showarrow=False, yanchor="top", yshift=-4,
                           font={"color": style.needle(n.method)[0], "size": style.font})
    if check:
        column = s.get("depth.points_column")
        values = {"low": number(s, check.cun[0]), "high": number(s, check.cun[1]),
                  "mm_low": number(s, check.mm[0]), "mm_high": number(s, check.mm[1])}
        fig.add_trace(go.Bar(
            x=[column], y=[check.mm[1] - check.mm[0]], base=[check.mm[0]], width=0.18,
            marker={"color": style.point, "opacity": 0.55, "pattern": {"shape": "."}},
            hovertext=s.get("depth.points_hover", codes=", ".join(check.codes), how="; ".join(check.directions),
                            rule=s.get("depth_check.rule", mm=number(s, k.cun.mm_per_cun), source=k.cun.source),
                            **values),
            hoverinfo="text", showlegend=False, name=column,
        ))
        fig.add_annotation(x=column, y=check.mm[1], text=s.get("depth.points_value", **values), showarrow=False,
                           yanchor="top", yshift=-4, font={"color": style.point, "size": style.font})
    for d in dangers:
        column = s.get("depth.danger", point=d.point, tissue=d.tissue)
        fig.add_trace(go.Scatter(
            x=[column], y=[d.mean_mm], mode="markers+text",
            marker={"symbol": "line-ew-open", "size": 40 * style.font / 12, "color": style.danger,
                    "line": {"width": 3, "color": style.danger}},
            text=[span_text(s, d.mean_mm, d.mean_mm, "mm", "mm")], textposition="bottom center",
            textfont={"color": style.danger},
            hovertext=s.get("depth.danger_hover", point=d.point, tissue=d.tissue, mm=number(s, d.mean_mm),
                            source=d.source),
            hoverinfo="text", showlegend=False, name=d.point,
        ))
    for w in canals:
        column = s.get("depth.canal", tissue=w.tissue)
        low, high = (cun_to_mm(k, c) for c in w.depth_cun or (0.0, 0.0))
        fig.add_trace(go.Bar(
            x=[column], y=[high - low], base=[low], width=0.18,
            marker={"color": style.danger, "opacity": 0.45, "pattern": {"shape": "x"}},
            hovertext=canal_text(k, w), hoverinfo="text", showlegend=False, name=column,
        ))
        fig.add_annotation(x=column, y=low, text=span_text(s, low, high, "mm", "mm"), showarrow=False,
                           yanchor="bottom", yshift=4, font={"color": style.danger, "size": style.font})
    q = plan.quantities["depth_mm"]
    if q is not None and q.set_aside:
        fig.add_annotation(text=f"<i>{s.get('depth.set_aside')}</i>", xref="paper", yref="paper", x=0, y=-0.12,
                           xanchor="left", showarrow=False, font={"color": style.reading, "size": style.small_font})
    # The tissue under the skin as one band: no layer thickness is sourced, so none is drawn.
    fig.add_hrect(y0=0, y1=bottom, fillcolor=style.tissue_band, opacity=0.35, line_width=0, layer="below")
    fig.add_hline(y=0, line={"color": style.bone, "width": 2}, annotation_text=s.get("depth.skin"),
                  annotation_position="top left")
    fig.update_layout(
        title={"text": s.get("depth.title", region=s.get(f"region.{plan.region}")), "x": 0.02,
               "font": {"size": style.title_font}},
        font={"size": style.font}, height=int(style.depth_height),
        margin={"l": 80, "r": 10, "t": 48, "b": 60}, plot_bgcolor=style.background, bargap=0.5,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": columns,
               "range": [-0.5, len(columns) - 0.5]},
        yaxis={"title": {"text": s.get("depth.axis")}, "range": [bottom, -4], "dtick": 10,
               "minor": {"dtick": 2, "ticks": "outside", "ticklen": 3}, "ticks": "outside",
               "showgrid": True, "gridcolor": style.grid, "zeroline": False},
    )
    return fit_hovers(fig)
