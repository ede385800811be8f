"""The course as the articles describe it: sessions in a course, sessions a day, the break before
treatment is resumed, courses a year. Never one invented schedule: the figure draws the shortest
reading (the fewest sessions, the fewest courses a year) beside the longest (the most of each), and
a piece no article states for the region says "not stated" where it would be drawn.

The squares are sessions in order, not days: the articles do not say how the courses are spread
over the year, and only article C (on the neck) says the sessions are daily. `course_rows` gives
the same values as text, with each rule's articles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from acumap.charts.hovers import fit_hovers, wrap
from acumap.data.loading import Knowledge
from acumap.data.models import Evidence
from acumap.data.quantities import BY_KEY
from acumap.plan.citing import hover_cites, quotes
from acumap.plan.formatting import cite, quantity_notes, quantity_text, span_text
from acumap.plan.planner import Plan
from acumap.style import EXPLORE, NOT_STATED_GREY, SESSION_COLOUR

# Sizes (the colours are in style.py)
SQUARE_SIZE = 11
GAP = 4  # empty places between two courses, where the break is written
BREAK_CHARS = 24  # characters a line of the break's text over its gap
ROW_HEIGHT = 70
TOP_ROOM = 0.9  # category widths above the first row, for the break labels
START = -0.4  # where a row's texts start: at the left edge of its first square

SESSIONS = "course_sessions"
PER_DAY = "sessions_per_day"
BREAK = "break_days"
PER_YEAR = "courses_per_year"
PIECES = (SESSIONS, PER_DAY, BREAK, PER_YEAR)
READINGS = ("shortest", "longest")


@dataclass(frozen=True)
class CourseRow:
    """One rule of the course, as the articles give it, and what each reading takes from it."""

    key: str  # a plan quantity
    label: str
    low: float | None  # in the plan's unit; None: not stated (with high None) or open below
    high: float | None
    value: str  # '10–15 sessions', or 'not stated'
    shortest: str  # what the shortest reading takes: the lower bound, or the whole value
    longest: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...]  # whose region it is, the articles' caveats, our readings

    @property
    def stated(self) -> bool:
        return self.low is not None or self.high is not None


@dataclass(frozen=True)
class Reading:
    key: str  # "shortest" or "longest"
    label: str
    sessions: float | None  # sessions in a course; None: that bound is not stated
    courses: float | None  # courses a year; None: that bound is not stated


def _bound(plan: Plan, key: str, reading: str) -> float | None:
    q = plan.quantities[key]
    if q is None:
        return None
    return q.min if reading == "shortest" else q.max


def course_readings(k: Knowledge, plan: Plan) -> tuple[Reading, ...]:
    """The shortest reading takes the lower bounds of the sessions and the courses a year, the
    longest the upper bounds; a bound no article states stays None."""
    return tuple(Reading(r, k.strings.get(f"course.{r}"), _bound(plan, SESSIONS, r), _bound(plan, PER_YEAR, r))
                 for r in READINGS)


def course_rows(k: Knowledge, plan: Plan) -> list[CourseRow]:
    s = k.strings
    rows = []
    for key in PIECES:
        q = plan.quantities[key]
        spec = BY_KEY[key]
        label = s.get(f"course.piece.{key}")
        if q is None:
            caveats = tuple(s.get("plan.caveat", text=cite(s, c)) for c in k.caveats if c.quantity == key)
            none = s.get("value.not_stated")
            rows.append(CourseRow(key, label, None, None, none, none, none, (), (), caveats))
            continue
        value = quantity_text(s, q)  # the articles' words where they word it ("daily")
        if key in (SESSIONS, PER_YEAR):  # the readings differ only in these two
            short, long_ = (span_text(s, v, v, spec.unit, spec.display_unit) for v in (q.min, q.max))
        else:
            short = long_ = value
        rows.append(CourseRow(key, label, q.min, q.max, value, short, long_, tuple(q.sources), quotes(q.statements),
                              tuple(quantity_notes(s, plan, q))))
    return rows


def _text(x: float, y: str, text: str, name: str, hover: str, position: str = "middle right",
          clear: bool = False) -> go.Scatter:
    """A text on a row; `clear`: kept off the row's squares by an invisible square of their size."""
    marker = {"symbol": "square", "size": SQUARE_SIZE + 2, "opacity": 0} if clear else None
    return go.Scatter(x=[x], y=[y], mode="markers+text" if clear else "text", text=[text], textposition=position,
                      name=name, marker=marker, textfont={"color": NOT_STATED_GREY}, hovertext=[hover],
                      hoverinfo="text", showlegend=False)


def _rule_hover(k: Knowledge, row: CourseRow) -> str:
    s = k.strings
    head = s.get("course.rule_hover", label=row.label, value=row.value)
    body = hover_cites(s, row.evidence) if row.evidence else s.get("course.none_states")
    return f"{head}<br>{body}"


def course_calendar(k: Knowledge, plan: Plan) -> go.Figure:
    s = k.strings
    rows = {r.key: r for r in course_rows(k, plan)}
    rules = "<br>".join(_rule_hover(k, rows[key]) for key in (SESSIONS, PER_YEAR))
    fig = go.Figure()
    widest = 0.0
    for reading in course_readings(k, plan):
        y = reading.label
        if reading.sessions is None:
            fig.add_trace(_text(0, y, s.get("course.sessions_not_stated"), f"{reading.key}:sessions_not_stated",
                                _rule_hover(k, rows[SESSIONS])))
            continue
        sessions = math.ceil(reading.sessions)
        courses = math.ceil(reading.courses) if reading.courses is not None else 1
        x = 0.0
        for c in range(1, courses + 1):
            if c > 1:
                brk = rows[BREAK]
                # Over the gap, on lines of a few words: the break's condition ("if treatment is resumed")
                # ran past a phone's chart on one line.
                text = wrap(s.get("course.break_gap", value=brk.value), BREAK_CHARS)
                fig.add_trace(go.Scatter(
                    x=[x + (GAP - 1) / 2], y=[y], mode="markers+text", text=[text], textposition="top center",
                    name=f"{reading.key}:break{c - 1}", marker={"symbol": "line-ns-open", "size": SQUARE_SIZE,
                                                                 "color": NOT_STATED_GREY},
                    textfont={"color": NOT_STATED_GREY}, hovertext=[_rule_hover(k, brk)], hoverinfo="text",
                    showlegend=False,
                ))
                x += GAP
            hovers = [s.get("course.square_hover", course=c, courses=courses if reading.courses is not None
                            else s.get("value.not_stated"), session=n, sessions=sessions) + "<br>" + rules
                      for n in range(1, sessions + 1)]
            fig.add_trace(go.Scatter(
                x=[x + n for n in range(sessions)], y=[y] * sessions, mode="markers", name=f"{reading.key}:course{c}",
                marker={"symbol": "square", "size": SQUARE_SIZE, "color": SESSION_COLOUR},
                hovertext=hovers, hoverinfo="text", showlegend=False,
            ))
            x += sessions
        # The row's texts start where its squares start, above and under them: after the last square a
        # longer text ran off the chart ("sessions per day" at 1280x720).
        if reading.courses is None:
            fig.add_trace(_text(START, y, s.get("course.per_year_not_stated"), f"{reading.key}:per_year_not_stated",
                                _rule_hover(k, rows[PER_YEAR]), "top right", clear=True))
        per_day = rows[PER_DAY]
        fig.add_trace(_text(START, y, s.get("course.per_day", value=per_day.value), f"{reading.key}:per_day",
                            _rule_hover(k, per_day), "bottom right", clear=True))
        widest = max(widest, x)
    readings = course_readings(k, plan)
    fig.update_layout(
        title=s.get("course.title", region=s.get(f"region.{plan.region}")),
        height=110 + ROW_HEIGHT * len(readings), margin={"l": 10, "r": 10, "t": 50, "b": 40},
        xaxis={"title": s.get("course.axis"), "showticklabels": False, "showgrid": False, "zeroline": False,
               "range": [-1, widest + 1]},
        yaxis={"range": [len(readings) - 0.5, -TOP_ROOM], "type": "category", "categoryorder": "array",
               "categoryarray": [r.label for r in readings]},
        plot_bgcolor=EXPLORE.background,
    )
    return fit_hovers(fig)
