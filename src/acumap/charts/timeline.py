"""One session on a line of minutes: how long the session lasts at the chosen stage, and how long
each method's needles stay in (side by side under "Both"), exactly as the plan gives them.

A range is drawn as a range: solid up to its lower bound, hatched from the lower to the upper bound.
An end no article states is drawn fading (an "up to 4 min" fades in from zero; a "from 10 min"
fades out past 10), and a row no article states says "not stated". The bars all start at zero to
compare lengths: the articles do not say when in the session the needles go in.
`timeline_rows` gives the same values as text, for a table beside the figure.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

import plotly.graph_objects as go

from acumap.charts.hovers import fit_hovers
from acumap.data import units
from acumap.data.loading import Knowledge
from acumap.data.models import Evidence
from acumap.data.quantities import BY_KEY
from acumap.plan.citing import hover_cites, quotes
from acumap.plan.formatting import piece_text, stay_longer_than_session
from acumap.plan.planner import Part, Plan, Quantity
from acumap.style import EXPLORE, METHOD_COLOURS, NOT_STATED_GREY, SESSION_COLOUR

# Sizes (the colours are in style.py)
RANGE_OPACITY = 0.45
FADE_TOP = 0.8  # opacity at the stated end of a fading bar
FADE_STEPS = 6  # segments of a fading open end
TAIL = 0.25  # length of an open upper end, as a share of the axis
AXIS_PAD = 1.15
BAR_WIDTH = 0.5
ROW_PX = 80  # pixels a row: its bar and, above it, its value
NOTE_WRAP = 70  # characters per line of a note under the chart

SESSION = "session_min"
RETENTION = "retention_s"
UNIT = BY_KEY[SESSION].display_unit  # the axis unit: the session's, as shown on screen


@dataclass(frozen=True)
class Row:
    """One span of the timeline, in minutes."""

    key: str  # "session" or "retention:<method>"
    label: str
    low: float | None  # None: no lower bound stated
    high: float | None  # None: no upper bound stated
    value: str  # "20–30 min", "up to 4 min", "not stated"
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    reading: bool  # our reading acts on the value (a statement applied beyond its words, the stage mapping)
    method: str | None = None

    @property
    def stated(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def open_low(self) -> bool:
        return self.low is None and self.high is not None

    @property
    def open_high(self) -> bool:
        return self.high is None and self.low is not None


def _rows(k: Knowledge, key: str, label: str, q: Quantity | None, part: Part | None, method: str | None) -> list[Row]:
    """A part's row; a part split by stage gets a row (a bar) per stage, never one merged bar."""
    s = k.strings
    if q is None or part is None or not part.stated:
        return [Row(key, label, None, None, s.get("value.not_stated"), (), (), False, method)]
    rows = []
    for piece in part.pieces:
        low, high = (units.convert(v, q.spec.unit, UNIT) for v in piece.span)
        reading = any(st.claim.reading or st.claim.severity for st in piece.statements)
        named, value = label, piece_text(s, q, piece, unit=UNIT)
        if piece.severity is not None:  # the stage goes in the row's name, not twice beside its bar
            stage = s.get(f"severity.{piece.severity}")
            named = s.get("value.piece", value=label, stage=stage)
            value = piece_text(s, q, replace(piece, severity=None), unit=UNIT)
        rows.append(Row(f"{key}:{piece.severity}" if piece.severity else key, named, low, high, value,
                        tuple(piece.sources), quotes(piece.statements), reading, method))
    return rows


def timeline_rows(k: Knowledge, plan: Plan) -> list[Row]:
    """The session, then each method's needles in the order of the method control."""
    s = k.strings
    session = plan.quantities[SESSION]
    rows = _rows(k, "session", s.get("timeline.session"), session, session.parts[0] if session else None, None)
    retention = plan.quantities[RETENTION]
    for method in [m for m in k.methods if m in k.components(plan.method)]:
        part = retention.part(method) if retention else None
        label = s.get("timeline.retention", method=s.get(f"method.{method}"))
        rows += _rows(k, f"retention:{method}", label, retention, part, method)
    return rows


def _hover(k: Knowledge, row: Row, what: str) -> str:
    s = k.strings
    lines = [s.get("timeline.hover", label=row.label, value=row.value), s.get(f"timeline.segment.{what}")]
    if row.reading:
        lines.append(s.get("timeline.reading"))
    lines.append(hover_cites(s, row.evidence))
    return "<br>".join(lines)


def _bar(row: Row, name: str, bases: list[float], widths: list[float], colour: str,
         opacity: float | list[float], pattern: str, hover: str) -> go.Bar:
    return go.Bar(
        y=[row.label] * len(bases), x=widths, base=bases, orientation="h", name=name, width=BAR_WIDTH,
        marker={"color": colour, "opacity": opacity, "pattern": {"shape": pattern}, "line": {"width": 0}},
        hovertext=[hover] * len(bases), hoverinfo="text", showlegend=False,
    )


def _fade(start: float, end: float, rising: bool) -> tuple[list[float], list[float], list[float]]:
    """FADE_STEPS segments from start to end, their opacity rising toward the end or falling."""
    step = (end - start) / FADE_STEPS
    bases = [start + i * step for i in range(FADE_STEPS)]
    ramp = [FADE_TOP * (i + 1) / FADE_STEPS for i in range(FADE_STEPS)]
    return bases, [step] * FADE_STEPS, ramp if rising else ramp[::-1]


def session_timeline(k: Knowledge, plan: Plan) -> go.Figure:
    s = k.strings
    rows = timeline_rows(k, plan)
    bounds = [v for r in rows for v in (r.low, r.high) if v is not None]
    top = max(bounds) * AXIS_PAD if bounds else 1.0
    tail = TAIL if any(r.open_high for r in rows) else 0.0
    fig = go.Figure()
    for row in rows:
        colour = METHOD_COLOURS.get(row.method or "", SESSION_COLOUR)
        if not row.stated:
            fig.add_trace(go.Scatter(x=[0], y=[row.label], mode="text", text=[f"<b>{row.value}</b>"],
                                     textposition="middle right", name=f"{row.key}:not_stated",
                                     textfont={"color": NOT_STATED_GREY}, hoverinfo="text",
                                     hovertext=[s.get("timeline.none_states")], showlegend=False))
            continue
        if row.low is not None and row.low > 0:
            fig.add_trace(_bar(row, f"{row.key}:solid", [0.0], [row.low], colour, 1.0, "",
                               _hover(k, row, "solid")))
        if row.low is not None and row.high is not None and row.high > row.low:
            fig.add_trace(_bar(row, f"{row.key}:range", [row.low], [row.high - row.low], colour, RANGE_OPACITY,
                               "/", _hover(k, row, "range")))
        if row.open_low:
            bases, widths, fade = _fade(0.0, row.high or 0.0, rising=True)
            fig.add_trace(_bar(row, f"{row.key}:open_low", bases, widths, colour, fade, "", _hover(k, row, "open_low")))
        if row.open_high:
            low = row.low or 0.0
            bases, widths, fade = _fade(low, low + top * TAIL, rising=False)
            fig.add_trace(_bar(row, f"{row.key}:open_high", bases, widths, colour, fade, "",
                               _hover(k, row, "open_high")))
        label = row.value + (f" <i>({s.get('timeline.reading_short')})</i>" if row.reading else "")
        # Above the bar from its start: right of the bar's end, a longer (Russian) value ran off the chart.
        fig.add_annotation(x=0, y=row.label, text=label, showarrow=False, xanchor="left", yanchor="bottom",
                           yshift=ROW_PX * BAR_WIDTH / 2)
    # Needles that may stay longer than the shortest session: said under the chart, values unchanged.
    disagree = stay_longer_than_session(s, plan)
    for text in disagree:
        wrapped = "<br>".join(textwrap.wrap(text, NOTE_WRAP))
        fig.add_annotation(text=f"<i>{wrapped}</i>", xref="paper", yref="paper", x=0, y=-0.02, yanchor="top",
                           xanchor="left", showarrow=False, align="left", name="stay_longer")
    region, method = s.get(f"region.{plan.region}"), s.get(f"method.{plan.method}")
    fig.update_layout(
        title=s.get("timeline.title", region=region, method=method, stage=plan.stage),
        barmode="overlay", height=120 + ROW_PX * len(rows) + 60 * len(disagree),
        margin={"l": 10, "r": 10, "t": 50, "b": 40 + 60 * len(disagree)},
        xaxis={"title": s.get("timeline.axis", unit=s.get(f"unit.{UNIT}")), "range": [0, top * (1 + tail)],
               "zeroline": True},
        # A row's name on two lines at its colon: the bars get the room (on a phone a Russian value
        # above its bar ran past the chart).
        yaxis={"autorange": "reversed", "type": "category", "tickmode": "array",
               "tickvals": [r.label for r in rows], "ticktext": [r.label.replace(": ", ":<br>", 1) for r in rows]},
        plot_bgcolor=EXPLORE.background,
    )
    return fit_hovers(fig)
