"""The explore screen: the controls in the sidebar; the back view with the session parameters
beside it on the first screen; below, one panel at a time (depth, sources, safety, compare)."""

from __future__ import annotations

from html import escape

import streamlit as st

from acumap import links
from acumap.loading import CAUTION_KINDS, Knowledge
from acumap.planner import Plan
from acumap.points import site_name, sites
from acumap.presenting import (
    BOX_CSS,
    cards_html,
    caution_html,
    caution_items,
    compare_html,
    compare_rows,
    point_facts,
    points_in_zone,
)
from acumap.strings import Strings
from ui import alternatives, exporting, state, teach
from ui import protocol as yours
from ui.checklist import checklist_panel, keep_ticks

PANELS = ("depth", "sources", "safety", "compare", "timeline", "course", "checklist", "protocol", "export")


def controls(k: Knowledge) -> tuple[str, str, str, str, bool, bool]:
    """The sidebar: region, method, stage, build, whole back, standard points."""
    s = k.strings
    with st.sidebar:
        region = st.radio(s.get("controls.region"), list(k.regions), key="region",
                          format_func=lambda r: s.get(f"region.{r}"))
        method = st.select_slider(s.get("controls.method"), list(k.methods), key="method",
                                  format_func=lambda m: s.get(f"method.{m}"),
                                  help=f'{s.get("controls.method_help")} {s.get("panel.default_method")}')
        stage = st.select_slider(s.get("controls.stage"), list(k.stages), key="stage",
                                 format_func=lambda v: s.get(f"stage.{v}"), help=s.get("controls.stage_help"))
        build = st.segmented_control(s.get("controls.build"), list(k.anatomy.builds), key="build",
                                     required=True, format_func=lambda b: s.get(f"build.{b}"),
                                     help=s.get("controls.build_help"))
        whole_back = st.toggle(s.get("controls.whole_back"), key="whole_back", bind="query-params")
        show_points = st.toggle(s.get("points.toggle"), key="show_points", help=s.get("points.toggle_help"),
                                bind="query-params")
    return region, method, stage, build, whole_back, show_points


def point_clicked() -> None:
    """A click on a standard point opens its detail; clicks on anything else are ignored."""
    chosen = [p.get("customdata") for p in st.session_state["back_view"]["selection"]["points"]]
    keys = [c for c in chosen if isinstance(c, str)]
    if keys:
        st.session_state["point"] = keys[0]


def heading(k: Knowledge, texts: state.Texts) -> None:
    """Title, disclaimer and the zone's safety in short, in one block of three lines, so the diagram
    fits the first screen of a 1280x720 projector."""
    s = k.strings
    st.markdown(f'{HEADER_CSS}{BOX_CSS}<h1 class="acu-title">{escape(s.get("app.title"))}</h1>'
                f'<p class="acu-disclaimer"><b>{escape(s.get("app.disclaimer"))}</b></p>'
                f'<p class="acu-safety">{texts.safety}</p>', unsafe_allow_html=True)


HEADER_CSS = (
    "<style>[data-testid=stMainBlockContainer]{padding-top:3.2rem !important}"
    "h1.acu-title{font-size:1.5rem !important;padding:0 !important;margin:0}"
    ".stMarkdown p.acu-disclaimer{font-size:0.85rem !important;color:#4a4c57;margin:0 0 0.2rem 0}"
    ".stMarkdown p.acu-safety{color:#8a1020;font-size:0.8rem !important;line-height:1.25;margin:0}"
    ".stMarkdown p.acu-caveat{font-size:0.82rem !important;color:#4a4c57;margin:0 0 0.3rem 0}"
    ".stMarkdown p.acu-note{font-size:0.88rem !important;color:#4a4c57}"
    ".stMarkdown p.acu-warn{background:#fde2e2;color:#6b0d19;border-radius:0.5rem;padding:0.6rem 0.8rem}"
    "h2.acu-h{font-size:1.1rem !important;padding:0 0 0.3rem 0 !important}"
    # On a phone a chart is about 360 px wide: a title (Russian most of all), an axis title or a
    # value beside a bar ran past it at the size set for a wide screen.
    "@media (max-width:640px){.js-plotly-plot .gtitle{font-size:12.5px !important}"
    ".js-plotly-plot .xtitle,.js-plotly-plot .annotation-text{font-size:10.5px !important}}</style>"
)


def diagram(region: str, method: str, stage: str, whole_back: bool, show_points: bool, selected: str | None,
            build: str) -> None:
    """The back view with its alt text (its table of needle spots comes right under it, in the block
    with the diagram's caption: one element fewer a rerun)."""
    alt, _ = alternatives.back_view(region, method, stage)
    fig = state.back_figure(region, method, stage, not whole_back, show_points, selected, build)
    st.plotly_chart(yours.with_overlay(state.knowledge(), fig), key="back_view", on_select=point_clicked,
                    selection_mode="points", config={"displaylogo": False, "scrollZoom": False}, alt=alt)


def point_detail(k: Knowledge) -> None:
    """The chosen standard point, beside the diagram where the click was."""
    s = k.strings
    all_sites = {site.key: site for site in sites(k)}
    with st.container(border=True, key="point_detail"):
        key = st.selectbox(s.get("points.select"), [None, *all_sites], key="point", help=s.get("points.select_help"),
                           format_func=lambda x: s.get("points.select_none") if x is None
                           else site_name(s, all_sites[x]))
        if key:
            site = all_sites[key]
            facts = "\n\n".join(f"**{label}:** {text}" for label, text in point_facts(k, site))
            st.markdown(f"#### {site.point.code} {site.point.pinyin}\n*{site.point.english}*\n\n{facts}")


def parameters(k: Knowledge, plan: Plan, texts: state.Texts) -> None:
    s = k.strings
    caveat = f'<p class="acu-caveat">{escape(plan.method_caveat)}</p>' if plan.method_caveat else ""
    changed = state.changed_since_last("cards", (plan.region, plan.method, plan.stage),
                                       {c.key: c.value for c in texts.cards})
    st.markdown(f'<h2 class="acu-h">{escape(s.get("panel.parameters"))}</h2>{caveat}'
                + cards_html(s, list(texts.cards), changed), unsafe_allow_html=True)
    st.download_button(s.get("panel.download"), texts.plan_document, key="download",
                       file_name=f"acumap-plan-{plan.region}-{plan.method}-{plan.stage}.json",
                       mime="application/json")


def zone_and_stage(k: Knowledge, plan: Plan, texts: state.Texts, show_points: bool) -> None:
    s = k.strings
    _, table = alternatives.back_view(plan.region, plan.method, plan.stage)
    st.markdown(f'<p class="acu-note">{escape(s.get("panel.diagram_caption"))}</p>{table}{texts.stage}{texts.zone}',
                unsafe_allow_html=True)
    if show_points:
        with st.container(border=True, key="points_in_zone"):
            st.markdown(f"**{s.get('points.in_zone_heading', region=s.get(f'region.{plan.region}'))}**")
            st.caption(s.get("points.reading"))
            listed = points_in_zone(k, plan.region)
            st.markdown(" · ".join(listed) if listed else s.get("points.in_zone_none"))


def depth_panel(k: Knowledge, plan: Plan, texts: state.Texts) -> None:
    s = k.strings
    warnings = "".join(f'<p class="acu-warn">⚠️ {escape(w.text)} [{escape(", ".join(w.sources))}]</p>'
                       for w in plan.warnings)
    st.markdown(f"{panel_heading(s, 'depth')}<p class=\"acu-note\">"
                f"{escape(s.get('depth.caption', region=s.get(f'region.{plan.region}')))}</p>{warnings}",
                unsafe_allow_html=True)
    alt, table = alternatives.depth_view(plan.region, plan.method, plan.stage)
    st.plotly_chart(state.depth_figure(plan.region, plan.method, plan.stage), key="depth_view",
                    config={"displaylogo": False}, alt=alt)
    gap = f"{escape(texts.danger_gap)} " if texts.danger_gap else ""
    sources = "".join(f"<li><b>{escape(name)}</b>: {escape(text)}</li>" for name, text in k.safety.sources.items())
    st.markdown(f'{table}<p class="acu-note">{gap}{escape(k.safety.variability.text)} '
                f"[{k.safety.variability.source}]</p>"
                f"<details><summary>{escape(s.get('depth.sources'))}</summary><ul>{sources}</ul></details>",
                unsafe_allow_html=True)


def panel_heading(s: Strings, panel: str) -> str:
    return f'<h2 class="acu-h">{escape(s.get(f"panel.tab_{panel}"))}</h2>'


def sources_panel(k: Knowledge, texts: state.Texts) -> None:
    s = k.strings
    st.markdown(f'{panel_heading(s, "sources")}<p class="acu-note">{escape(s.get("panel.sources_caption"))}</p>'
                + texts.sources, unsafe_allow_html=True)
    st.markdown("\n".join("- " + s.get("panel.article_line", letter=letter, title=src.title, first=src.first_line,
                                        last=src.last_line) for letter, src in k.sources.items()))


def safety_panel(k: Knowledge) -> None:
    s = k.strings
    st.markdown(panel_heading(s, "safety"), unsafe_allow_html=True)
    tabs = st.tabs([s.get(f"caution_kind.{kind}") for kind in CAUTION_KINDS])
    for tab, kind in zip(tabs, CAUTION_KINDS, strict=True):
        tab.markdown(caution_html(s, caution_items(k, kind)), unsafe_allow_html=True)


def compare_panel(k: Knowledge, plan: Plan, whole_back: bool, build: str) -> None:
    """The same region under another method or stage, side by side, the differences highlighted."""
    s = k.strings
    st.markdown(f'{panel_heading(s, "compare")}<p class="acu-note">{escape(s.get("compare.caption"))}</p>',
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


def render(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    region, method, stage, build, whole_back, show_points = controls(k)
    plan = state.plan(region, method, stage)
    texts = state.texts(region, method, stage)
    if st.session_state.get("point") not in {site.key for site in sites(k)}:
        st.session_state["point"] = None
    selected = st.session_state["point"] if show_points else None

    view = links.View(region, method, stage, build, whole_back, show_points, selected, opened.lang, opened.mode,
                      opened.seed)
    state.keep_link(view, ch.default)
    heading(k, texts)
    state.show_notice()
    st.sidebar.caption(s.get("links.copy"))
    st.sidebar.code(links.link(st.context.url or "", view, ch.default), language=None, wrap_lines=True)

    left, right = st.columns([5, 4], gap="small")
    with left:
        diagram(region, method, stage, whole_back, show_points, selected, build)
    with right:
        if show_points:
            point_detail(k)
        parameters(k, plan, texts)
    zone_and_stage(k, plan, texts, show_points)

    keep_ticks()
    panel = st.segmented_control(s.get("panel.choose"), PANELS, key="panel", default="depth", required=True,
                                 format_func=lambda p: s.get(f"panel.tab_{p}"))
    if panel == "depth":
        depth_panel(k, plan, texts)
    elif panel == "sources":
        sources_panel(k, texts)
    elif panel == "safety":
        safety_panel(k)
    elif panel == "timeline":
        teach.timeline_panel(k, plan)
    elif panel == "course":
        teach.course_panel(k, plan)
    elif panel == "checklist":
        checklist_panel(k)
    elif panel == "protocol":
        yours.panel(k, plan)
    elif panel == "export":
        exporting.export_panel(k, plan, view, ch.default,
                               state.back_figure(region, method, stage, not whole_back, show_points, selected, build))
    else:
        compare_panel(k, plan, whole_back, build)
