"""The explore screen: the controls in the sidebar; the back view with the session parameters
beside it on the first screen; below, one panel at a time (depth, sources, safety, compare, ...).

Each part of the page is a fragment that redraws alone: a control's change reruns only the parts
whose content it changes (each part's `signature` says what it draws from), and the link. The
controls stay in the sidebar, drawn by the full run; their on_change names the parts to rerun."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import streamlit as st

from acumap.data.loading import CAUTION_KINDS, Knowledge
from acumap.html import explore as explore_html
from acumap.html.explore import HEADER_CSS as HEADER_CSS  # ui/quiz.py draws its page under the same style
from acumap.plan.planner import Plan
from acumap.plan.points import site_name, sites
from acumap.plan.presenting import caution_html, caution_items, compare_html, compare_rows, point_facts, points_in_zone
from acumap.teach import links
from ui import alternatives, exporting, guard, session, state, teach
from ui import protocol as yours
from ui.checklist import checklist_panel, keep_ticks


def controls(k: Knowledge, on_change: Callable[[], None] | None = None) -> tuple[str, str, str, str, bool, bool]:
    """The sidebar: region, method, stage, build, whole back, standard points. `on_change`: what a
    change reruns (the explore screen's parts); without it, the whole page."""
    s = k.strings
    with st.sidebar:
        region = st.radio(s.get("controls.region"), list(k.regions), key=session.REGION,
                          format_func=lambda r: s.get(f"region.{r}"), on_change=on_change)
        method = st.select_slider(s.get("controls.method"), list(k.methods), key=session.METHOD,
                                  format_func=lambda m: s.get(f"method.{m}"), on_change=on_change,
                                  help=f'{s.get("controls.method_help")} {s.get("panel.default_method")}')
        stage = st.select_slider(s.get("controls.stage"), list(k.stages), key=session.STAGE, on_change=on_change,
                                 format_func=lambda v: s.get(f"stage.{v}"), help=s.get("controls.stage_help"))
        build = st.segmented_control(s.get("controls.build"), list(k.anatomy.builds), key=session.BUILD,
                                     required=True, format_func=lambda b: s.get(f"build.{b}"),
                                     help=s.get("controls.build_help"), on_change=on_change)
        whole_back = st.toggle(s.get("controls.whole_back"), key=session.WHOLE_BACK, bind="query-params",
                               on_change=on_change)
        show_points = st.toggle(s.get("points.toggle"), key=session.SHOW_POINTS, help=s.get("points.toggle_help"),
                                bind="query-params", on_change=on_change)
    return region, method, stage, build, whole_back, show_points


def point_clicked() -> None:
    """A click on a standard point opens its detail; clicks on anything else are ignored."""
    chosen = [p.get("customdata") for p in session.selected_points(session.BACK_VIEW)]
    keys = [c for c in chosen if isinstance(c, str)]
    if keys:
        session.set_value(session.POINT, keys[0])
    changed()


def heading(k: Knowledge, texts: state.Texts) -> None:
    st.html(explore_html.heading_html(k.strings, texts.safety))


def shown_figure(k: Knowledge, v: links.View):
    """The back view as the diagram shows it: untitled (its title and key numbers are the text beside
    it), with this session's protocol over it."""
    fig = state.back_figure(v.region, v.method, v.stage, not v.whole_back, v.show_points, v.point, v.build,
                            titled=False)
    return yours.with_overlay(k, fig)


def diagram(k: Knowledge, v: links.View) -> None:
    """The back view with its alt text (its table of needle spots comes right under it, in the block
    with the diagram's caption: one element fewer a rerun)."""
    alt, _ = alternatives.back_view(v.region, v.method, v.stage)
    st.plotly_chart(shown_figure(k, v), key=session.BACK_VIEW, on_select=point_clicked,
                    selection_mode="points", config={"displaylogo": False, "scrollZoom": False}, alt=alt)


def point_detail(k: Knowledge) -> None:
    """The chosen standard point, beside the diagram where the click was."""
    s = k.strings
    all_sites = {site.key: site for site in sites(k)}
    with st.container(border=True, key="point_detail"):
        key = st.selectbox(s.get("points.select"), [None, *all_sites], key=session.POINT,
                           help=s.get("points.select_help"),
                           format_func=lambda x: s.get("points.select_none") if x is None
                           else site_name(s, all_sites[x]), on_change=changed)
        if key:
            site = all_sites[key]
            facts = "\n\n".join(f"**{label}:** {text}" for label, text in point_facts(k, site))
            st.markdown(f"#### {site.point.code} {site.point.pinyin}\n*{site.point.english}*\n\n{facts}")


def parameters(k: Knowledge, plan: Plan, texts: state.Texts) -> None:
    """The view's title, key numbers and parameter cards in one block, then the plan's JSON."""
    s = k.strings
    changed_cards = state.changed_since_last("cards", (plan.region, plan.method, plan.stage),
                                             {c.key: c.value for c in texts.cards})
    st.html(explore_html.parameters_html(k, plan, list(texts.cards), changed_cards))
    # The plan's JSON handed over only when the button is pressed (a callable): as plain data it was hashed
    # and filed in Streamlit's media store on every rerun of every session, under one lock that each run
    # takes twice; with 200 students the page waited seconds on that lock (make capacity, py-spy).
    document = texts.plan_document
    st.download_button(s.get("panel.download"), lambda: document, key="download", on_click="ignore",
                       file_name=f"acumap-plan-{plan.region}-{plan.method}-{plan.stage}.json",
                       mime="application/json")


def zone_and_stage(k: Knowledge, plan: Plan, texts: state.Texts, show_points: bool) -> None:
    s = k.strings
    _, table = alternatives.back_view(plan.region, plan.method, plan.stage)
    st.html(explore_html.zone_html(s, table, texts.stage, texts.zone))
    if show_points:
        with st.container(border=True, key="points_in_zone"):
            st.markdown(f"**{s.get('points.in_zone_heading', region=s.get(f'region.{plan.region}'))}**")
            st.caption(s.get("points.reading"))
            listed = points_in_zone(k, plan.region)
            st.markdown(" · ".join(listed) if listed else s.get("points.in_zone_none"))


def depth_panel(k: Knowledge, plan: Plan, texts: state.Texts) -> None:
    st.html(explore_html.depth_heading_html(k.strings, plan))
    alt, table = alternatives.depth_view(plan.region, plan.method, plan.stage)
    st.plotly_chart(state.depth_figure(plan.region, plan.method, plan.stage), key="depth_view",
                    config={"displaylogo": False}, alt=alt)
    st.html(explore_html.depth_notes_html(k, table, texts.danger_gap))


def sources_panel(k: Knowledge, texts: state.Texts) -> None:
    st.markdown(explore_html.sources_html(k.strings, texts.sources), unsafe_allow_html=True)
    st.markdown(explore_html.articles_markdown(k))


def safety_panel(k: Knowledge) -> None:
    s = k.strings
    st.markdown(explore_html.panel_heading(s, "safety"), unsafe_allow_html=True)
    tabs = st.tabs([s.get(f"caution_kind.{kind}") for kind in CAUTION_KINDS])
    for tab, kind in zip(tabs, CAUTION_KINDS, strict=True):
        tab.markdown(caution_html(s, caution_items(k, kind)), unsafe_allow_html=True)


def compare_panel(k: Knowledge, plan: Plan, whole_back: bool, build: str) -> None:
    """The same region under another method or stage, side by side, the differences highlighted."""
    s = k.strings
    st.markdown(explore_html.section_html(s.get("panel.tab_compare"), s.get("compare.caption")),
                unsafe_allow_html=True)
    methods, stages = list(k.methods), list(k.stages)
    other_method = methods[(methods.index(plan.method) + 1) % len(methods)]
    a, b = st.columns(2)
    method = a.selectbox(s.get("compare.method"), methods, index=methods.index(other_method),
                         key="compare_method", format_func=lambda m: s.get(f"method.{m}"))
    stage = b.selectbox(s.get("compare.stage"), stages, index=stages.index(plan.stage), key="compare_stage",
                        format_func=lambda v: s.get(f"stage.{v}"))
    other = state.plan(plan.region, method, stage)
    here_label = s.get("compare.column", method=s.get(f"method.{plan.method}"), stage=plan.stage)
    there_label = s.get("compare.column", method=s.get(f"method.{method}"), stage=stage)
    st.markdown(compare_html(s, compare_rows(k, plan, other), here_label, there_label), unsafe_allow_html=True)
    left, right = st.columns(2)
    left.plotly_chart(state.back_figure(plan.region, plan.method, plan.stage, not whole_back, False, None, build),
                      key="compare_here", config={"displaylogo": False, "staticPlot": True},
                      alt=alternatives.back_view(plan.region, plan.method, plan.stage)[0])
    right.plotly_chart(state.back_figure(plan.region, method, stage, not whole_back, False, None, build),
                       key="compare_there", config={"displaylogo": False, "staticPlot": True},
                       alt=alternatives.back_view(plan.region, method, stage)[0])


# --- the parts of the page, each redrawn alone -----------------------------------------------------
def part(key: str):
    """A part of the page: a fragment that a control's change can rerun alone (by `key`), guarded like
    the page (an error in it shows one line and the way back, not a traceback)."""
    def wrap(draw):
        @functools.wraps(draw)
        def guarded(*args, **kwargs) -> None:
            with guard.page():
                draw(*args, **kwargs)
        return st.fragment(guarded, key=key)
    return wrap


def now(k: Knowledge, opened: links.View) -> links.View:
    """The view the controls show now (a fragment's arguments are those of the last full run)."""
    value = session.value
    show = bool(value(session.SHOW_POINTS, None))
    point = value(session.POINT, None) if show else None
    if point not in {site.key for site in sites(k)}:
        point = None
    return links.View(value(session.REGION), value(session.METHOD), value(session.STAGE), value(session.BUILD),
                      bool(value(session.WHOLE_BACK, None)), show, point, opened.lang, opened.mode, opened.seed)


def drawn(part: str, signature: Hashable) -> None:
    session.get().drawn[part] = signature


@part("acu_heading")
def heading_part(k: Knowledge, opened: links.View) -> None:
    v = now(k, opened)
    drawn("acu_heading", heading_signature(k, v))
    heading(k, state.texts(v.region, v.method, v.stage))
    state.show_notice()  # plain text, never Markdown


@part("acu_link")
def link_part(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    """The view into the URL and the link to copy; drawn in the sidebar (the notice of what a link
    ignored is the heading's)."""
    v = now(k, opened)
    state.keep_link(v, ch.default)
    session.get().link.fresh = False  # until the next full run reads a link again
    st.code(links.link(st.context.url or "", v, ch.default), language=None, wrap_lines=True)


@part("acu_diagram")
def diagram_part(k: Knowledge, opened: links.View) -> None:
    v = now(k, opened)
    drawn("acu_diagram", diagram_signature(k, v))
    diagram(k, v)


@part("acu_side")
def side_part(k: Knowledge, opened: links.View) -> None:
    v = now(k, opened)
    drawn("acu_side", side_signature(k, v))
    if v.show_points:
        point_detail(k)
    parameters(k, state.plan(v.region, v.method, v.stage), state.texts(v.region, v.method, v.stage))


@part("acu_zone")
def zone_part(k: Knowledge, opened: links.View) -> None:
    v = now(k, opened)
    drawn("acu_zone", zone_signature(k, v))
    zone_and_stage(k, state.plan(v.region, v.method, v.stage), state.texts(v.region, v.method, v.stage),
                   v.show_points)


@part("acu_panel")
def panel_part(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    v = now(k, opened)
    keep_ticks()
    panel = st.segmented_control(s.get("panel.choose"), list(PANELS), key=session.PANEL, default="depth", required=True,
                                 format_func=lambda p: s.get(f"panel.tab_{p}"))
    drawn("acu_panel", panel_signature(k, v))
    PANELS[panel].draw(k, v, ch)
    if session.get().drawn.get("acu_diagram") != diagram_signature(k, v):
        st.rerun()  # the panel changed what the diagram shows (an uploaded protocol): redraw the page


def heading_signature(k: Knowledge, v: links.View) -> Hashable:
    # Not the dropped-link check: its script has done its work once the page is open, so clearing it
    # is no reason to redraw the heading on the first control change.
    return state.texts(v.region, v.method, v.stage).safety, session.get().link.notice


def diagram_signature(k: Knowledge, v: links.View) -> Hashable:
    return shown_figure(k, v).spec(), alternatives.back_view(v.region, v.method, v.stage)[0]


def side_signature(k: Knowledge, v: links.View) -> Hashable:
    return v.region, v.method, v.stage, v.show_points, v.point


def zone_signature(k: Knowledge, v: links.View) -> Hashable:
    texts = state.texts(v.region, v.method, v.stage)
    return alternatives.back_view(v.region, v.method, v.stage)[1], texts.stage, texts.zone, v.show_points, v.region


def panel_signature(k: Knowledge, v: links.View) -> Hashable:
    panel = session.value(session.PANEL, None) or "depth"
    return panel, PANELS[panel].depends(k, v)


# What a control change may rerun, and what each part is drawn from. The link is always rerun.
PARTS: dict[str, Callable[[Knowledge, links.View], Hashable]] = {
    "acu_heading": heading_signature, "acu_diagram": diagram_signature, "acu_side": side_signature,
    "acu_zone": zone_signature, "acu_panel": panel_signature,
}


def changed() -> None:
    """A control's on_change: rerun the link and the parts whose content the change moves, not the page."""
    ss = session.get()
    opened = ss.opened
    if opened is None:
        return  # the explore screen has not been drawn yet: the whole page reruns
    k = state.knowledge()
    v = now(k, opened)
    if v != ss.link.shown:
        ss.link.notice = None  # the user has moved on from the link (as state.keep_link)
        ss.link.check_dropped = False
    shown = ss.drawn
    st.rerun(["acu_link", *(part for part, signature in PARTS.items() if shown.get(part) != signature(k, v))])


# --- the lower panels ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    draw: Callable[[Knowledge, links.View, links.Choices], None]
    depends: Callable[[Knowledge, links.View], Hashable]  # what the panel is drawn from, besides the language


def _plan(v: links.View) -> Plan:
    return state.plan(v.region, v.method, v.stage)


def _depth_depends(k: Knowledge, v: links.View) -> Hashable:
    """The depth panel's own content: stages with the same depth statements draw the same panel."""
    plan = _plan(v)
    return (v.region, tuple(w.text for w in plan.warnings), alternatives.depth_view(v.region, v.method, v.stage),
            state.texts(v.region, v.method, v.stage).danger_gap,
            state.depth_figure(v.region, v.method, v.stage).spec())


def _view_depends(k: Knowledge, v: links.View) -> Hashable:
    return v.region, v.method, v.stage


PANELS: dict[str, Panel] = {
    "depth": Panel(lambda k, v, ch: depth_panel(k, _plan(v), state.texts(v.region, v.method, v.stage)),
                   _depth_depends),
    "sources": Panel(lambda k, v, ch: sources_panel(k, state.texts(v.region, v.method, v.stage)),
                     lambda k, v: state.texts(v.region, v.method, v.stage).sources),
    "safety": Panel(lambda k, v, ch: safety_panel(k), lambda k, v: ()),
    "compare": Panel(lambda k, v, ch: compare_panel(k, _plan(v), v.whole_back, v.build),
                     lambda k, v: (v.region, v.method, v.stage, v.whole_back, v.build)),
    "timeline": Panel(lambda k, v, ch: teach.timeline_panel(k, _plan(v)), _view_depends),
    "course": Panel(lambda k, v, ch: teach.course_panel(k, _plan(v)), _view_depends),
    "checklist": Panel(lambda k, v, ch: checklist_panel(k), lambda k, v: ()),
    "protocol": Panel(lambda k, v, ch: yours.panel(k, _plan(v)), _view_depends),
    "export": Panel(lambda k, v, ch: exporting.export_panel(
        k, _plan(v), v, ch.default,
        state.back_figure(v.region, v.method, v.stage, not v.whole_back, v.show_points, v.point, v.build)),
        lambda k, v: v),
}


def render(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    controls(k, on_change=changed)
    if session.value(session.POINT, None) not in {site.key for site in sites(k)}:
        session.set_value(session.POINT, None)
    ss = session.get()
    ss.opened = opened
    ss.drawn = {}
    with st.sidebar, st.popover(s.get("links.copy"), icon=":material/link:"):
        link_part(k, opened, ch)  # first: it may clear the link's notice, which the heading shows
    heading_part(k, opened)
    left, right = st.columns([5, 4], gap="small")
    with left:
        diagram_part(k, opened)
    with right:
        side_part(k, opened)
    zone_part(k, opened)
    panel_part(k, opened, ch)
