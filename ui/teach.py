"""Two lower panels of the explore screen for teaching: one session on a line of minutes and the
course as the articles give it, each with its text alternative beside it (the same values as a
table, with the articles and lines they stand on)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from acumap.citing import cites
from acumap.course import course_calendar, course_rows
from acumap.loading import Knowledge
from acumap.planner import Plan
from acumap.timeline import session_timeline, timeline_rows
from ui import state


@st.cache_resource(show_spinner=False, max_entries=128)
def timeline_figure(region: str, method: str, stage: str) -> go.Figure:
    return session_timeline(state.knowledge(), state.plan(region, method, stage))


@st.cache_resource(show_spinner=False, max_entries=128)
def course_figure(region: str, method: str, stage: str) -> go.Figure:
    return course_calendar(state.knowledge(), state.plan(region, method, stage))


def _lines(k: Knowledge, evidence) -> str:
    said = cites(k.strings, evidence)
    return " · ".join(said) if said else k.strings.get("value.not_stated")


def timeline_panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    st.caption(s.get("timeline.caption"))
    left, right = st.columns([3, 2], gap="small")
    left.plotly_chart(timeline_figure(plan.region, plan.method, plan.stage), key="timeline_view",
                      config={"displaylogo": False}, alt=s.get("alt.timeline"))
    rows = timeline_rows(k, plan)
    reading = f" ({s.get('timeline.reading_short')})"
    table = pd.DataFrame({
        s.get("timeline.column_what"): [r.label for r in rows],
        s.get("timeline.column_value"): [r.value + (reading if r.reading else "") for r in rows],
        s.get("timeline.column_sources"): [_lines(k, r.evidence) for r in rows],
    }).set_index(s.get("timeline.column_what"))
    with right.container(key="timeline_text"):
        st.table(table)


def course_panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    st.caption(s.get("course.caption"))
    left, right = st.columns([3, 2], gap="small")
    left.plotly_chart(course_figure(plan.region, plan.method, plan.stage), key="course_view",
                      config={"displaylogo": False}, alt=s.get("alt.course"))
    rows = course_rows(k, plan)
    table = pd.DataFrame({
        s.get("course.column_rule"): [r.label for r in rows],
        s.get("course.column_value"): [r.value for r in rows],
        s.get("course.column_shortest"): [r.shortest for r in rows],
        s.get("course.column_longest"): [r.longest for r in rows],
        s.get("course.column_sources"): [_lines(k, r.evidence) for r in rows],
    }).set_index(s.get("course.column_rule"))
    with right.container(key="course_text"):
        st.table(table)
        notes = list(dict.fromkeys(n for r in rows for n in r.notes))
        for note in notes:
            st.caption(note)
