"""What every screen shares: the checked data, the cached figures, and the link to the view
(the URL both ways). Cached builders are pure functions of the controls."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from acumap import DataError, links, load_knowledge, make_plan
from acumap.depth import depth_view
from acumap.figures import back_view
from acumap.loading import Knowledge
from acumap.planner import Plan
from acumap.points import placements
from acumap.style import EXPLORE, Style

DEFAULT_BUILD = "average"
# Controls whose URL parameter Streamlit's own binding keeps (bind="query-params"). The other
# controls are kept in the URL below: the binding would write their on-screen labels ("Both",
# "BL13 Feishu"), which are not the link's values and would change with the language.
BOUND = ("whole_back", "show_points")
STYLES = {"explore": EXPLORE}


@st.cache_resource(show_spinner=False)
def knowledge() -> Knowledge:
    return load_knowledge()


def knowledge_or_stop() -> Knowledge:
    try:
        return knowledge()
    except DataError as exc:
        # In English and not from the strings file: that file may be the broken one.
        st.error(f"The app cannot start because a data file is broken: {exc}")
        st.stop()
        raise  # st.stop() does not return; this keeps type checkers content


@st.cache_resource(show_spinner=False, max_entries=256)
def plan(region: str, method: str, stage: str) -> Plan:
    return make_plan(knowledge(), region, method, stage)


# Figures are cached as shared objects (cache_resource): nothing changes them after they are built,
# and unpickling a copy from cache_data costs more than building one.
@st.cache_resource(show_spinner=False, max_entries=512)
def back_figure(region: str, method: str, stage: str, focus: bool, points: bool, selected: str | None,
                build: str, style: str = "explore") -> go.Figure:
    k = knowledge()
    marks = placements(k, region) if points else None
    return back_view(k, plan(region, method, stage), focus=focus, points=marks, selected=selected, build=build,
                     style=STYLES[style])


@st.cache_resource(show_spinner=False, max_entries=128)
def depth_figure(region: str, method: str, stage: str, style: str = "explore") -> go.Figure:
    return depth_view(knowledge(), plan(region, method, stage), STYLES[style])


def register_style(name: str, style: Style) -> None:
    STYLES[name] = style


# --- the link to the view -----------------------------------------------------------------------
def follow_link(k: Knowledge, ch: links.Choices) -> links.View:
    """When the URL is new to this session (it opened the page, or it is not the one the page
    last wrote), the controls take its view and the notice names what it ignored."""
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    fix = st.session_state.pop("_link_fix", {})
    for name, value in fix.items():
        st.session_state[name] = value
    st.session_state["_link_fresh"] = bool(fix)
    if {n: v for n, v in raw.items() if n not in BOUND} != st.session_state.get("_link_written"):
        view, ignored = links.read(raw, ch)
        for name in ("region", "method", "stage", "build", "point", "mode"):
            st.session_state[name] = getattr(view, name)
        st.session_state["_link_view"] = view
        st.session_state["_link_notice"] = links.notice(k.strings, ignored)
        st.session_state["_link_fresh"] = True
        # Streamlit's binding takes the last of a repeated parameter; the link's rule is the default.
        st.session_state["_link_check"] = {n: getattr(view, n) for n in BOUND if len(raw.get(n, [])) > 1}
    return st.session_state["_link_view"]


def keep_link(view: links.View, default: links.View) -> None:
    """Leave the view's own parameters in the URL (the bound ones Streamlit keeps itself)."""
    wanted = {n: [v] for n, v in links.query(view, default).items() if n not in BOUND}
    current = {n: st.query_params.get_all(n) for n in st.query_params if n not in BOUND}
    if not st.session_state["_link_fresh"] and view != st.session_state.get("_link_shown"):
        st.session_state["_link_notice"] = None  # the user has moved on from the link
    st.session_state["_link_shown"] = view
    for name in current.keys() - wanted.keys():
        del st.query_params[name]
    changed = {n: v for n, v in wanted.items() if current.get(n) != v}
    if changed:
        st.query_params.update(changed)
    st.session_state["_link_written"] = wanted
    # .get: a screen without the toggles (quiz) leaves them to the explore screen
    fix = {n: v for n, v in st.session_state.pop("_link_check", {}).items() if st.session_state.get(n, v) != v}
    if fix:
        st.session_state["_link_fix"] = fix
        st.rerun()


def changed_since_last(key: str, view: tuple, values: dict[str, str]) -> set[str]:
    """The entries whose value moved with the last change of `view` in this session. Reruns that
    leave the view as it was (opening a panel, say) keep the marks of the last change."""
    last = st.session_state.get(f"_before_{key}")
    if last is not None and last[0] == view:
        return last[2]
    changed = set() if last is None else {name for name, value in values.items() if last[1].get(name) != value}
    st.session_state[f"_before_{key}"] = (view, values, changed)
    return changed
