"""Presenter mode: for a projector at 1280x720 seen from the back of a room. One step of the lesson
at a time (each region under each method, in data order): the back view in large type filling most
of the screen, beside it the few key numbers and the article lines they come from, and previous /
next. The step is the view's region and method, so the URL keeps it like any other view; the other
controls stay in the (collapsed) sidebar."""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from acumap import lesson, links
from acumap.loading import Knowledge
from acumap.strings import Strings
from acumap.style import PRESENT
from ui import alternatives, explore, modes, state

state.register_style("present", PRESENT)
NUMBERS_HEIGHT = 530  # pixels: the key numbers scroll inside this box, the buttons above them stay on screen
# A clicker sends PageDown / PageUp; a keyboard has the arrows and space as well. Streamlit gives a
# button one shortcut (and skips it while the focus is in a text field, so typing is never taken):
# the visible buttons carry the clicker's keys, and one hidden button per other key does the same.
FORWARD, BACK = "PageDown", "PageUp"
MORE_KEYS = {"forward": ("Right", "Down", "Space"), "back": ("Left", "Up", "Shift+Space")}

CSS = (
    "<style>[data-testid=stMainBlockContainer]{padding:2.75rem 1.5rem 1rem 1.5rem !important}"
    ".acu-present{overflow-wrap:anywhere}"
    ".acu-present .acu-step{font-size:1.1rem;color:#555;margin:0}"
    ".acu-present .acu-head{font-size:1.7rem;font-weight:700;line-height:1.2;margin:0 0 0.5rem 0}"
    ".acu-present dl{margin:0}"
    ".acu-present dt{font-size:1.15rem;margin-top:0.45rem}"
    ".acu-present dd{margin:0}"
    ".acu-present .acu-val{font-size:1.6rem;font-weight:700;line-height:1.2}"
    ".acu-present .acu-cite{font-size:0.85rem;line-height:1.25;color:#333}"
    ".acu-present .acu-mark{font-size:0.85rem;background:#ede7f6;color:#4b2e83;border-radius:0.3rem;"
    "padding:0 0.3rem;margin-left:0.4rem}"
    ".st-key-present_keys{display:none}</style>"
)


def numbers_html(s: Strings, numbers: list[lesson.KeyNumber], step: str, head: str) -> str:
    # tabindex: the numbers scroll in their box, and a keyboard user reaches and scrolls them (axe-core)
    parts = [f'<div class="acu-present" tabindex="0" role="group" aria-label="{escape(head)}">'
             f'<p class="acu-step">{escape(step)}</p>',
             f'<p class="acu-head">{escape(head)}</p><dl>']
    for n in numbers:
        marks = ""
        if n.conflict:
            marks += f'<span class="acu-mark">{escape(s.get("panel.conflict_badge"))}</span>'
        if n.reading:
            marks += f'<span class="acu-mark">{escape(s.get("panel.interpretation_badge"))}</span>'
        parts.append(f'<dt data-key="{n.key}">{escape(n.label)}{marks}</dt><dd class="acu-val">{escape(n.value)}</dd>')
        cites = n.cites or (s.get("panel.none_states"),)
        parts += [f'<dd class="acu-cite">{escape(c)}</dd>' for c in cites]
    parts.append("</dl></div>")
    return "".join(parts)


@st.cache_resource(show_spinner=False, max_entries=64)
def figure(lang: str, region: str, method: str, stage: str, build: str) -> go.Figure:
    """The back view in the presenter's style, its legend beside the body rather than under the axis.
    Its title and key numbers are the text beside it, so the figure stays the same for every stage
    that draws the same, and the projector's chart is not drawn again on a stage change."""
    fig = go.Figure(state.back_figure_in(lang, region, method, stage, True, False, None, build, "present", False))
    # The legend goes inside the plot's corner, so the room kept for it under the axis is given back.
    room = fig.layout.margin.b - int(4 * PRESENT.font)
    fig.update_layout(height=fig.layout.height - room, margin={"b": fig.layout.margin.b - room})
    fig.update_layout(legend={"orientation": "v", "x": 1, "xanchor": "right", "y": 0, "yanchor": "bottom",
                              "yref": "paper", "bgcolor": "rgba(255,255,255,0.85)"})
    return state.finished(fig)


def go_to(k: Knowledge, index: int) -> None:
    """A previous / next click: the step's region and method become the controls' values."""
    step = lesson.steps(k)[index]
    st.session_state["region"] = step.region
    st.session_state["method"] = step.method


def render(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    region, method, stage, build, whole_back, show_points = explore.controls(k)
    modes.keep("point")
    point = st.session_state.get("point") if show_points else None
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
            st.markdown(numbers_html(s, lesson.key_numbers(k, plan), step, head), unsafe_allow_html=True)
            if len(k.components(method)) > 1:
                st.caption(s.get("figure.legend_both"))
            if plan.method_caveat:
                st.caption(f":material/info: {plan.method_caveat}")
            st.caption(s.get("present.stage_hint"))
            st.caption(s.get("app.disclaimer"))
        with st.container(key="present_keys"):
            for way, keys in MORE_KEYS.items():
                for key in keys:
                    st.button(s.get(f"present.{'next' if way == 'forward' else 'previous'}"),
                              key=f"present_key_{key.lower().replace('+', '_')}",
                              disabled=last if way == "forward" else first, on_click=go_to,
                              args=(k, index + (1 if way == "forward" else -1)), shortcut=key)
