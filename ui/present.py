"""Presenter mode: for a projector at 1280x720 seen from the back of a room. One step of the lesson
at a time (each region under each method, in data order): the back view in large type filling most
of the screen, beside it the few key numbers and the article lines they come from, and previous /
next. The step is the view's region and method, so the URL keeps it like any other view; the other
controls stay in the (collapsed) sidebar."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from acumap.data.loading import Knowledge

# CSS and numbers_html are also what a live class's student page shows (ui/live_student.py).
from acumap.html.present import CSS as CSS
from acumap.html.present import LINE
from acumap.html.present import numbers_html as numbers_html
from acumap.style import PRESENT
from acumap.teach import lesson, links
from ui import alternatives, explore, live_teacher, modes, session, state

state.register_style("present", PRESENT)
# The lesson panel's box: a whole number of lines of the grid the panel is set on (present_html.LINE).
NUMBERS_HEIGHT = 19 * LINE
# A clicker sends PageDown / PageUp; a keyboard has the left and right arrows and space as well.
# Streamlit gives a button one shortcut (and skips it while the focus is in a text field, so typing is
# never taken): the visible buttons carry the clicker's keys, and one hidden button per other key does
# the same. The up and down arrows are left to the page: with the lesson panel focused (a click or Tab)
# they scroll it, line by line, as any scrolling box.
FORWARD, BACK = "PageDown", "PageUp"
MORE_KEYS = {"forward": ("Right", "Space"), "back": ("Left", "Shift+Space")}


# Every view of every language and build fits (2 x 3 x 3 x 4 x 3 = 216): a class's presenter and its
# students' phones step through them, and a figure built again costs tens of ms (make capacity).
@st.cache_resource(show_spinner=False, max_entries=256)
def figure(lang: str, region: str, method: str, stage: str, build: str) -> go.Figure:
    """The back view in the presenter's style, its legend beside the body rather than under the axis.
    Its title and key numbers are the text beside it, so the figure stays the same for every stage
    that draws the same, and the projector's chart is not drawn again on a stage change."""
    fig = go.Figure(state.back_figure_in(lang, region, method, stage, True, False, None, build, "present", False))
    # The legend goes inside the plot's corner, so the room kept for it under the axis is given back.
    room = fig.layout.margin.b - int(4 * PRESENT.font)
    fig.update_layout(height=fig.layout.height - room, margin={"b": fig.layout.margin.b - room})
    fig.update_layout(legend={"orientation": "v", "x": 1, "xanchor": "right", "y": 0, "yanchor": "bottom",
                              "yref": "paper", "bgcolor": PRESENT.legend_fill})
    # Streamlit's chart theme sets the tick labels' size (12 px), over the figure's font: from the
    # back of a room they need the presenter's size, as does the axis title. (The legend keeps its
    # size: larger, it would cover the zone's lower needles.)
    fig.update_xaxes(tickfont={"size": PRESENT.font}, title_font={"size": PRESENT.font})
    fig.update_yaxes(tickfont={"size": PRESENT.font})
    fig.update_layout(legend_title_font_size=PRESENT.small_font)  # the theme's 12 px, as the legend's items
    return state.finished(fig)


def go_to(k: Knowledge, index: int) -> None:
    """A previous / next click: the step's region and method become the controls' values."""
    step = lesson.steps(k)[index]
    session.set_value(session.REGION, step.region)
    session.set_value(session.METHOD, step.method)


def render(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    region, method, stage, build, whole_back, show_points = explore.controls(k)
    modes.keep(session.POINT)
    point = session.value(session.POINT, None) if show_points else None
    plan = state.plan(region, method, stage)
    st.markdown(CSS, unsafe_allow_html=True)
    notice = st.empty()
    steps = lesson.steps(k)
    index = lesson.step_index(k, region, method)
    view = links.View(region, method, stage, build, whole_back, show_points, point, opened.lang, opened.mode,
                      opened.seed, step=index + 1)
    modes.link_and_notice(k, view, ch, notice)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.plotly_chart(figure(state.current_lang(), region, method, stage, build), key="present_view",
                        config={"displaylogo": False, "scrollZoom": False},
                        alt=alternatives.back_view(region, method, stage)[0])
    with right:
        back, forward = st.columns(2)
        first, last = index == 0, index == len(steps) - 1
        back.button(s.get("present.previous"), key="present_previous", disabled=first, on_click=go_to,
                    args=(k, index - 1), width="stretch", shortcut=BACK)
        forward.button(s.get("present.next"), key="present_next", disabled=last,
                       on_click=go_to, args=(k, index + 1), width="stretch", type="primary", shortcut=FORWARD)
        step = s.get("present.step", n=index + 1, count=len(steps))
        head = s.get("present.heading", region=s.get(f"region.{region}"), method=s.get(f"method.{method}"),
                     stage=stage)
        with st.container(height=NUMBERS_HEIGHT, border=False, key="present_numbers"):
            notes = ((s.get("figure.legend_both"),) if len(k.components(method)) > 1 else ()) + \
                ((plan.method_caveat,) if plan.method_caveat else ()) + \
                (s.get("present.stage_hint"), s.get("app.disclaimer"))
            st.markdown(numbers_html(s, lesson.key_numbers(k, plan), step, head, notes), unsafe_allow_html=True)
        with st.container(key="present_keys"):
            for way, keys in MORE_KEYS.items():
                for key in keys:
                    st.button(s.get(f"present.{'next' if way == 'forward' else 'previous'}"),
                              key=f"present_key_{key.lower().replace('+', '_')}",
                              disabled=last if way == "forward" else first, on_click=go_to,
                              args=(k, index + (1 if way == "forward" else -1)), shortcut=key)
    live_teacher.render(k, index, region, method, stage)  # a live class: start it, or its projector panel
