"""What every screen shares: the checked data, the cached figures, and the link to the view
(the URL both ways). Cached builders are pure functions of the controls."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from html import escape
from typing import TypeVar

import plotly.graph_objects as go
import plotly.io
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
)
from streamlit.runtime.state.session_state_proxy import get_session_state

from acumap import DataError, load_knowledge, make_plan
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.data.loading import Knowledge
from acumap.plan.planner import Plan
from acumap.plan.points import placements
from acumap.plan.presenting import (
    Card,
    danger_gap_text,
    parameter_cards,
    plan_document,
    safety_summary,
    source_blocks,
    sources_html,
    stage_html,
    zone_html,
)
from acumap.style import EXPLORE, PAGE, Style
from acumap.teach import links
from ui import session

DEFAULT_BUILD = "average"
# Controls whose URL parameter Streamlit's own binding keeps (bind="query-params"). The other
# controls are kept in the URL below: the binding would write their on-screen labels ("Both",
# "BL13 Feishu"), which are not the link's values and would change with the language.
BOUND = (session.WHOLE_BACK, session.SHOW_POINTS)
STYLES = {"explore": EXPLORE}
MEMO_SIZE = 256  # lookups a session remembers between full runs (a change needs about a dozen)
T = TypeVar("T")


class Finished(go.Figure):
    """A figure nothing changes after it is built. st.plotly_chart asks every figure for to_dict()
    on every rerun, a deep copy that cost about 2.4 ms per chart; a finished one hands back the
    dict it made the first time."""

    def to_dict(self) -> dict:
        if getattr(self, "_finished", None) is None:
            self._finished = super().to_dict()
        return self._finished

    def spec(self) -> str:
        """The JSON st.plotly_chart sends for it, made once: two figures that draw the same have the
        same spec, and a part of the page that shows one is redrawn only when its spec changes."""
        if getattr(self, "_spec", None) is None:
            self._spec = plotly.io.to_json(self, validate=False)
        return self._spec


def finished(fig: go.Figure) -> Finished:
    return Finished(fig, skip_invalid=False)


def with_traces(base: Finished, traces: list[go.Scatter]) -> Finished:
    """`base` (a cached figure) with `traces` drawn over it, for one session's view: an object that shares
    the base's figure and hands st.plotly_chart the base's dict with the traces added. Building the figure
    anew (the quiz's answer canvas with the spot a student clicked) cost about 30 ms a click."""
    marked = Finished.__new__(Finished)
    marked.__dict__.update(base.__dict__)
    drawn = base.to_dict()
    marked._finished = {**drawn, "data": [*drawn["data"], *(t.to_plotly_json() for t in traces)]}
    marked._spec = None
    return marked


def current_lang() -> str:
    """The language of this session's page (chosen by choose_lang at the top of each run)."""
    return session.get().lang


def choose_lang() -> str:
    """The language switch's value, or on a first visit the link's `lang`, or English. Known before
    anything is loaded, since the data's prose and labels are read in it."""
    chosen = session.value(session.LANG, None)
    if chosen not in links.LANGS:
        asked = st.query_params.get_all("lang")
        chosen = asked[0] if len(asked) == 1 and asked[0] in links.LANGS else "en"
    session.get().lang = chosen
    return chosen


def start_run() -> None:
    """A full run starts: every cached builder is looked up afresh (its cache may have been cleared since
    the last full run; see `remembered`)."""
    session.get().memo.clear()


def remembered(build: Callable[..., T]) -> Callable[..., T]:
    """`build` (a cached builder) looked up once per session and arguments until the next full run (`start_run`).
    st.cache_resource hashes the arguments on every call (about 0.1 ms each, measured with py-spy as a
    tenth of the server's CPU per control change), and one change asks for the same texts, plan and
    figures a dozen times: the parts' signatures, then the parts themselves."""
    @functools.wraps(build)
    def lookup(*args: Hashable) -> T:
        if get_script_run_ctx() is None:
            return build(*args)  # not in a session (a unit test calling the builder)
        memo = session.get().memo
        key = (build, args)
        if key not in memo:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = build(*args)
        return memo[key]
    return lookup


@st.cache_resource(show_spinner=False)
def knowledge_in(lang: str) -> Knowledge:
    return load_knowledge(lang=lang)


def knowledge() -> Knowledge:
    return knowledge_in(current_lang())


def knowledge_or_stop() -> Knowledge:
    try:
        return knowledge()
    except DataError as exc:
        # In English and not from the strings file: that file may be the broken one.
        folder = not exc.file.startswith("data/")  # the data folder itself is missing, not one file in it
        st.error(f"The app cannot start: {exc}" if folder
                 else f"The app cannot start because a data file is broken: {exc}")
        st.stop()
        raise  # st.stop() does not return; this keeps type checkers content


def plan(region: str, method: str, stage: str) -> Plan:
    return plan_in(current_lang(), region, method, stage)


# Every cached builder below works only from its arguments (the language included), never from the
# session: the cache key and what is built cannot disagree.
@remembered
@st.cache_resource(show_spinner=False, max_entries=512)
def plan_in(lang: str, region: str, method: str, stage: str) -> Plan:
    return make_plan(knowledge_in(lang), region, method, stage)


# Figures are cached as shared objects (cache_resource): nothing changes them after they are built,
# and unpickling a copy from cache_data costs more than building one.
def back_figure(region: str, method: str, stage: str, focus: bool, points: bool, selected: str | None,
                build: str, style: str = "explore", titled: bool = True) -> Finished:
    return back_figure_in(current_lang(), region, method, stage, focus, points, selected, build, style, titled)


@remembered
@st.cache_resource(show_spinner=False, max_entries=1024)
def back_figure_in(lang: str, region: str, method: str, stage: str, focus: bool, points: bool, selected: str | None,
                 build: str, style: str, titled: bool = True) -> Finished:
    k = knowledge_in(lang)
    marks = placements(k, region) if points else None
    return finished(back_view(k, plan_in(lang, region, method, stage), focus=focus, points=marks, selected=selected,
                              build=build, style=STYLES[style], titled=titled))


def depth_figure(region: str, method: str, stage: str, style: str = "explore") -> go.Figure:
    """The depth view. It is the same figure for every stage whose depth statements are the same, so
    a stage change hands the browser the chart it already shows and it is not drawn again."""
    q = plan(region, method, stage).quantities["depth_mm"]
    said = tuple((st.claim.source, st.claim.line, st.part) for st in q.statements) if q else ()
    return _depth_figure(current_lang(), region, method, said, stage, style)


@remembered
@st.cache_resource(show_spinner=False, max_entries=256)
def _depth_figure(lang: str, region: str, method: str, said: tuple, _stage: str, style: str) -> go.Figure:
    # `_stage` (not hashed: the leading underscore) is any stage with these depth statements.
    return finished(depth_view(knowledge_in(lang), plan_in(lang, region, method, _stage), STYLES[style]))


@dataclass(frozen=True)
class Texts:
    """What the explore screen writes for one view, worked out once per view."""

    cards: tuple[Card, ...]
    plan_document: str
    sources: str
    stage: str
    zone: str
    safety: str
    danger_gap: str | None


def texts(region: str, method: str, stage: str) -> Texts:
    return _texts(current_lang(), region, method, stage)


@remembered
@st.cache_resource(show_spinner=False, max_entries=512)
def _texts(lang: str, region: str, method: str, stage: str) -> Texts:
    k, p = knowledge_in(lang), plan_in(lang, region, method, stage)
    return Texts(
        cards=tuple(parameter_cards(k, p)), plan_document=plan_document(k, p),
        sources=sources_html(k.strings, source_blocks(k, p)), stage=stage_html(k, p), zone=zone_html(k, region),
        safety=escape(safety_summary(k, p)), danger_gap=danger_gap_text(k, p),
    )


def register_style(name: str, style: Style) -> None:
    STYLES[name] = style


# --- the link to the view -----------------------------------------------------------------------
def follow_link(k: Knowledge, ch: links.Choices) -> links.View:
    """When the URL is new to this session (it opened the page, or it is not the one the page
    last wrote), the controls take its view and the notice names what it ignored."""
    ss = session.get()
    link = ss.link
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    fix, link.fix = link.fix, {}
    for name, value in fix.items():
        session.set_value(name, value)
    link.fresh = bool(fix)
    if {n: v for n, v in raw.items() if n not in BOUND} != link.written:
        view, ignored = links.read(raw, ch)
        if not ss.started and session.browser_sent_controls():
            # A new session whose first run is a click: the server restarted and the browser kept its
            # page. The controls the browser sent are the view; the link would undo the click.
            link.view = view
            link.notice = None
            link.check_dropped = False
            return view
        for name in session.LINKED:
            session.set_value(name, getattr(view, name))
        link.view = view
        link.notice = links.notice(k.strings, ignored)
        # An empty query may be one Streamlit dropped whole for its size: only the browser can tell.
        link.check_dropped = not raw
        link.fresh = True
        # Streamlit's binding takes the last of a repeated parameter; the link's rule is the default.
        link.check = {n: getattr(view, n) for n in BOUND if len(raw.get(n, [])) > 1}
    ss.started = True
    # Set by this session's first run, which always reads the link.
    return session.need(link.view, "view opened by the link")


def session_started() -> None:
    """Note that this session has drawn a page (a screen that does not follow the link, such as a
    student's, calls this): its next click is not a restarted server's first run."""
    session.get().started = True


def keep_link(view: links.View, default: links.View) -> None:
    """Leave the view's own parameters in the URL (the bound ones Streamlit keeps itself)."""
    wanted = {n: [v] for n, v in links.query(view, default).items() if n not in BOUND}
    current = {n: st.query_params.get_all(n) for n in st.query_params if n not in BOUND}
    link = session.get().link
    if not link.fresh and view != link.shown:
        link.notice = None  # the user has moved on from the link
        link.check_dropped = False
    link.shown = view
    _drop_params(sorted(current.keys() - wanted.keys()))
    changed = {n: v for n, v in wanted.items() if current.get(n) != v}
    if changed:
        st.query_params.update(changed)
    link.written = wanted
    # A default: a screen without the toggles (quiz) leaves them to the explore screen
    check, link.check = link.check, {}
    fix = {n: v for n, v in check.items() if session.value(n, v) != v}
    if fix:
        link.fix = fix
        st.rerun()


def _drop_params(names: list[str]) -> None:
    """Remove parameters from the URL with one message to the browser. Each `del st.query_params[n]`
    sends the whole query again: a link with 990 unknown parameters sent 990 of them (about 3.5 MB)
    and the page took over 30 s to draw. All but the last leave quietly; the last one's deletion
    sends the query that is left."""
    if len(names) > 1:
        quiet = set(names[:-1])
        with get_session_state().query_params() as qp:
            kept = {n: qp.get_all(n) for n in qp if n not in quiet}
            qp.clear_with_no_forward_msg(preserve_embed=True)
            for n, values in kept.items():
                qp.set_with_no_forward_msg(n, values[0] if len(values) == 1 else values)
    for name in names[-1:]:
        del st.query_params[name]


def changed_since_last(key: str, view: tuple, values: dict[str, str]) -> set[str]:
    """The entries whose value moved with the last change of `view` in this session. Reruns that
    leave the view as it was (opening a panel, say) keep the marks of the last change."""
    before = session.get().before
    last = before.get(key)
    if last is not None and last[0] == view:
        return last[2]
    changed = set() if last is None else {name for name, value in values.items() if last[1].get(name) != value}
    before[key] = (view, values, changed)
    return changed


NOTICE_CSS = (f".acu-link-notice{{background:{PAGE.notice_fill};color:{PAGE.notice_text};border-radius:0.5rem;"
              "padding:0.75rem 1rem;margin:0.25rem 0;font-size:0.9rem;overflow-wrap:anywhere}")
# Shown by the browser when the address it holds is one Streamlit ignored whole for its size (the
# server then sees no query at all). The limits are Streamlit's own.
DROPPED_CHECK = """<div class="acu-link-notice acu-link-dropped" role="status" hidden></div><script>
(() => {{
  const q = window.location.search.replace(/^\\?/, "");
  const box = document.querySelector(".acu-link-dropped");
  if (box && q && (q.length > {chars} || q.split("&").length > {fields})) {{
    box.textContent = "\\u{{1F517}} " + {text};
    box.hidden = false;
  }}
}})();
</script>"""


def show_notice(where=st) -> None:
    """The link notice, as plain text: st.html, not Markdown, so a URL, `:red[...]` or `**` in a
    link shows as typed and never becomes a link or a style. Where the page opened with no query,
    a small script tells whether the browser's address had one Streamlit dropped whole."""
    link = session.get().link
    text = link.notice
    if text:
        where.html(f'<style>{NOTICE_CSS}</style><div class="acu-link-notice" role="status">🔗 {escape(text)}</div>')
    elif link.check_dropped:
        said = knowledge().strings.get("links.dropped", fields=CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
                                       chars=CLIENT_STATE_QUERY_STRING_MAX_LENGTH)
        # json.dumps makes it a JavaScript string; "</" could still end the script, so it is split.
        script = DROPPED_CHECK.format(chars=CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
                                      fields=CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
                                      text=json.dumps(said).replace("</", "<\\/"))
        where.html(f"<style>{NOTICE_CSS}</style>{script}", unsafe_allow_javascript=True)
