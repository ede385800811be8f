"""The depth view: a cut through the back under the chosen zone, with a millimetre ruler, showing
how deep each method's needles go beside the published depth of the tissue at risk."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from acumap.formatting import span_text
from acumap.loading import Knowledge
from acumap.models import DangerDepth, SafetyWarning
from acumap.planner import Plan

NEEDLE = "#b0203a"
DANGER = "#d62728"
SKIN_BAND = "#f6e7da"
MUSCLE_BAND = "#f0d5c8"


@dataclass(frozen=True)
class NeedleDepth:
    method: str
    low: float | None  # mm; None: no lower bound stated
    high: float | None  # mm; None with low None: not stated at all
    sources: tuple[str, ...]

    @property
    def stated(self) -> bool:
        return self.high is not None or self.low is not None


def needle_depths(k: Knowledge, plan: Plan) -> list[NeedleDepth]:
    """Each plain method of the plan with its needle depth in mm (exciting first, as the control)."""
    q = plan.quantities["depth_mm"]
    found = []
    for method in [m for m in k.methods if m in k.components(plan.method)]:
        part = q.part(method) if q else None
        if part is None:
            found.append(NeedleDepth(method, None, None, ()))
        else:
            (low, high), sources = part
            found.append(NeedleDepth(method, low, high, tuple(sources)))
    return found


def danger_depths(k: Knowledge, region: str) -> list[DangerDepth]:
    return [d for d in k.safety.danger_depths if region in d.regions]


def warnings(k: Knowledge, region: str) -> list[SafetyWarning]:
    return [w for w in k.safety.warnings if region in w.regions]


def depth_view(k: Knowledge, plan: Plan) -> go.Figure:
    s = k.strings
    needles = needle_depths(k, plan)
    dangers = danger_depths(k, plan.region)
    columns = [s.get("depth.needles", method=s.get(f"method.{n.method}")) for n in needles]
    columns += [s.get("depth.danger", point=d.point, tissue=d.tissue) for d in dangers]
    deepest = max([d.mean_mm for d in dangers] + [n.high or 0 for n in needles] + [30])
    bottom = deepest * 1.15 + 5

    fig = go.Figure()
    for n, column in zip(needles, columns, strict=False):
        if not n.stated:
            fig.add_annotation(x=column, y=bottom * 0.25, text=f"<b>{s.get('depth.not_stated')}</b>",
                               showarrow=False, font={"color": "#555555", "size": 13})
            continue
        value = span_text(s, n.low, n.high, "mm", "mm")
        low = n.low if n.low is not None else 0.0
        fig.add_trace(go.Bar(
            x=[column], y=[(n.high or low) - low], base=[low], width=0.18,
            marker={"color": NEEDLE, "pattern": {"shape": "" if n.low is not None else "/"}},
            hovertext=s.get("depth.needle_hover", method=s.get(f"method.{n.method}"), value=value,
                            sources=", ".join(n.sources)),
            hoverinfo="text", showlegend=False, name=column,
        ))
        fig.add_annotation(x=column, y=n.high or low, text=value, showarrow=False, yshift=-12,
                           font={"color": NEEDLE, "size": 12})
    for d, column in zip(dangers, columns[len(needles):], strict=False):
        fig.add_trace(go.Scatter(
            x=[column], y=[d.mean_mm], mode="markers+text",
            marker={"symbol": "line-ew-open", "size": 40, "color": DANGER, "line": {"width": 3, "color": DANGER}},
            text=[f"{d.mean_mm:g} mm"], textposition="bottom center", textfont={"color": DANGER},
            hovertext=s.get("depth.danger_hover", point=d.point, tissue=d.tissue, mm=f"{d.mean_mm:g}", source=d.source),
            hoverinfo="text", showlegend=False, name=d.point,
        ))
    # Skin and the soft tissue under it, as bands across the cut.
    fig.add_hrect(y0=0, y1=3, fillcolor=SKIN_BAND, line_width=0, layer="below")
    fig.add_hrect(y0=3, y1=bottom, fillcolor=MUSCLE_BAND, opacity=0.35, line_width=0, layer="below")
    fig.add_hline(y=0, line={"color": "#8c7b6b", "width": 2}, annotation_text=s.get("depth.skin"),
                  annotation_position="top left")
    fig.update_layout(
        title={"text": s.get("depth.title", region=s.get(f"region.{plan.region}")), "x": 0.02},
        height=380, margin={"l": 80, "r": 10, "t": 48, "b": 40}, plot_bgcolor="white", bargap=0.5,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": columns,
               "range": [-0.5, len(columns) - 0.5]},
        yaxis={"title": {"text": s.get("depth.axis")}, "range": [bottom, -4], "dtick": 10,
               "minor": {"dtick": 2, "ticks": "outside", "ticklen": 3}, "ticks": "outside",
               "showgrid": True, "gridcolor": "#e6e6e6", "zeroline": False},
    )
    return fig
