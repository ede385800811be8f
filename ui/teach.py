"""Two lower panels of the explore screen for teaching: one session on a line of minutes and the
course as the articles give it, each with its text alternative beside it (the same values as a
table, with the articles and lines they stand on)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from acumap.charts.course import course_calendar, course_rows
from acumap.charts.timeline import session_timeline, timeline_rows
from acumap.data.loading import Knowledge
from acumap.html.explore import note_html
from acumap.plan.citing import cites
from acumap.plan.formatting import stay_longer_than_session
from acumap.plan.planner import Plan
from ui import state


@st.cache_resource(show_spinner=False, max_entries=128)
def timeline_figure(lang: str, region: str, method: str, stage: str) -> go.Figure:
    return session_timeline(state.knowledge_in(lang), state.plan_in(lang, region, method, stage))


@st.cache_resource(show_spinner=False, max_entries=128)
def course_figure(lang: str, region: str, method: str, stage: str) -> go.Figure:
    return course_calendar(state.knowledge_in(lang), state.plan_in(lang, region, method, stage))


def _lines(k: Knowledge, evidence) -> str:
    said = cites(k.strings, evidence)
    return " · ".join(said) if said else k.strings.get("value.not_stated")


TABLE_CSS = (
    "<style>[class*=st-key-][class*=_text] [data-testid=stTable] *{overflow:visible !important}"
    "[class*=st-key-][class*=_text] [data-testid=stTable] table{table-layout:fixed;width:100%}"
    "[class*=st-key-][class*=_text] [data-testid=stTable] th,"
    "[class*=st-key-][class*=_text] [data-testid=stTable] td{white-space:normal;overflow-wrap:anywhere}</style>"
)


def _chart_beside_table(caption: str, fig: go.Figure, key: str, table: pd.DataFrame, notes: list[str],
                        alt: str, below: bool = False) -> None:
    """A chart with its text alternative, the same values as a table, beside it (or `below` it, for
    a table of many columns: five beside the chart clipped their words at 1280x720). The table wraps
    its cells instead of scrolling sideways: a scrolling box a keyboard cannot reach is an
    accessibility fault (axe: scrollable-region-focusable), and Russian runs wider than English."""
    st.markdown(TABLE_CSS + note_html(caption), unsafe_allow_html=True)
    left, right = (st.container(), st.container()) if below else st.columns([3, 2], gap="small")
    left.plotly_chart(fig, key=f"{key}_view", config={"displaylogo": False}, alt=alt)
    with right.container(key=f"{key}_text"):
        st.table(table)
        for note in notes:
            st.caption(note)


def timeline_panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    rows = timeline_rows(k, plan)
    reading = f" ({s.get('timeline.reading_short')})"
    table = pd.DataFrame({
        s.get("timeline.column_what"): [r.label for r in rows],
        s.get("timeline.column_value"): [r.value + (reading if r.reading else "") for r in rows],
        s.get("timeline.column_sources"): [_lines(k, r.evidence) for r in rows],
    }).set_index(s.get("timeline.column_what"))
    fig = timeline_figure(state.current_lang(), plan.region, plan.method, plan.stage)
    _chart_beside_table(s.get("timeline.caption"), fig, "timeline", table, stay_longer_than_session(s, plan),
                        s.get("alt.timeline"))


def course_panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    rows = course_rows(k, plan)
    table = pd.DataFrame({
        s.get("course.column_rule"): [r.label for r in rows],
        s.get("course.column_value"): [r.value for r in rows],
        s.get("course.column_shortest"): [r.shortest for r in rows],
        s.get("course.column_longest"): [r.longest for r in rows],
        s.get("course.column_sources"): [_lines(k, r.evidence) for r in rows],
    }).set_index(s.get("course.column_rule"))
    notes = list(dict.fromkeys(n for r in rows for n in r.notes))
    fig = course_figure(state.current_lang(), plan.region, plan.method, plan.stage)
    _chart_beside_table(s.get("course.caption"), fig, "course", table, notes, s.get("alt.course"), below=True)
