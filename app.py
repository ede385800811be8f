"""acumap: the page. It only lays out what the acumap package computes; every text comes from
data/strings/en.toml and every number from the planner over data/*.toml."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from acumap import DataError, links, load_knowledge, make_plan
from acumap.depth import depth_view
from acumap.figures import back_view
from acumap.formatting import cite
from acumap.loading import CAUTION_KINDS, Knowledge
from acumap.points import placements, sites
from acumap.presenting import (
    cards_html,
    caution_html,
    caution_items,
    danger_gap_text,
    parameter_cards,
    plan_document,
    point_facts,
    points_in_zone,
    source_blocks,
    sources_html,
)

st.set_page_config(page_title="acumap", page_icon="📍", layout="wide")

DEFAULT_BUILD = "average"
# Controls whose URL parameter Streamlit's own binding keeps (bind="query-params"). The other
# controls are kept in the URL below: the binding would write their on-screen labels ("Both",
# "BL13 Feishu"), which are not the link's values and would change with the language.
BOUND = ("whole_back", "show_points")


# --- cached builders: pure functions of the controls --------------------------------------------
@st.cache_resource(show_spinner=False)
def knowledge() -> Knowledge:
    return load_knowledge()


# Figures are cached as shared objects (cache_resource): nothing changes them after they are built,
# and unpickling a copy from cache_data costs more than building one.
@st.cache_resource(show_spinner=False, max_entries=512)
def back_figure(region: str, method: str, stage: str, focus: bool, points: bool, selected: str | None,
                build: str) -> go.Figure:
    k = knowledge()
    marks = placements(k, region) if points else None
    return back_view(k, make_plan(k, region, method, stage), focus=focus, points=marks, selected=selected,
                     build=build)


@st.cache_resource(show_spinner=False, max_entries=128)
def depth_figure(region: str, method: str, stage: str) -> go.Figure:
    k = knowledge()
    return depth_view(k, make_plan(k, region, method, stage))


def point_clicked() -> None:
    """A click on a standard point opens its detail; clicks on anything else are ignored."""
    chosen = [p.get("customdata") for p in st.session_state["back_view"]["selection"]["points"]]
    keys = [c for c in chosen if isinstance(c, str)]
    if keys:
        st.session_state["point"] = keys[0]


def follow_link(ch: links.Choices) -> links.View:
    """When the URL is new to this session (it opened the page, or it is not the one the page
    last wrote), the controls take its view and the notice names what it ignored."""
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    fix = st.session_state.pop("_link_fix", {})
    for name, value in fix.items():
        st.session_state[name] = value
    st.session_state["_link_fresh"] = bool(fix)
    if {n: v for n, v in raw.items() if n not in BOUND} != st.session_state.get("_link_written"):
        view, ignored = links.read(raw, ch)
        for name in ("region", "method", "stage", "build", "point"):
            st.session_state[name] = getattr(view, name)
        st.session_state["_link_view"] = view
        st.session_state["_link_notice"] = links.notice(s, ignored)
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
    fix = {n: v for n, v in st.session_state.pop("_link_check", {}).items() if st.session_state[n] != v}
    if fix:
        st.session_state["_link_fix"] = fix
        st.rerun()


try:
    k = knowledge()
except DataError as exc:
    # In English and not from the strings file: that file may be the broken one.
    st.error(f"The app cannot start because a data file is broken: {exc}")
    st.stop()
s = k.strings
link_choices = links.choices_for(k, k.default_method, DEFAULT_BUILD)
opened = follow_link(link_choices)

# --- heading ------------------------------------------------------------------------------------
st.title(s.get("app.title"))
st.caption(s.get("app.tagline"))
st.warning(s.get("app.disclaimer"), icon="⚕️")
link_notice = st.empty()  # what the link had to ignore, filled in once the view is known

# --- controls -----------------------------------------------------------------------------------
with st.sidebar:
    st.header(s.get("controls.heading"))
    region = st.radio(s.get("controls.region"), list(k.regions), key="region",
                      format_func=lambda r: s.get(f"region.{r}"))
    method = st.select_slider(s.get("controls.method"), list(k.methods), key="method",
                              format_func=lambda m: s.get(f"method.{m}"), help=s.get("controls.method_help"))
    st.caption(s.get("panel.default_method"))
    stage = st.select_slider(s.get("controls.stage"), list(k.stages), key="stage",
                             format_func=lambda v: s.get(f"stage.{v}"), help=s.get("controls.stage_help"))
    build = st.segmented_control(s.get("controls.build"), list(k.anatomy.builds), key="build",
                                 required=True, format_func=lambda b: s.get(f"build.{b}"),
                                 help=s.get("controls.build_help"))
    whole_back = st.toggle(s.get("controls.whole_back"), key="whole_back", bind="query-params")
    show_points = st.toggle(s.get("points.toggle"), key="show_points", help=s.get("points.toggle_help"),
                            bind="query-params")

plan = make_plan(k, region, method, stage)
all_sites = {site.key: site for site in sites(k)}
if st.session_state.get("point") not in all_sites:
    st.session_state["point"] = None
selected = st.session_state["point"] if show_points else None

# --- the link to this view ----------------------------------------------------------------------
view = links.View(region, method, stage, build, whole_back, show_points, selected, opened.lang, opened.mode,
                  opened.seed)
keep_link(view, link_choices.default)
if st.session_state["_link_notice"]:
    link_notice.info(st.session_state["_link_notice"], icon="🔗")
st.sidebar.caption(s.get("links.copy"))
st.sidebar.code(links.link(st.context.url or "", view, link_choices.default), language=None, wrap_lines=True)

# --- diagram and session parameters -------------------------------------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    st.plotly_chart(back_figure(region, method, stage, not whole_back, show_points, selected, build), key="back_view",
                    on_select=point_clicked, selection_mode="points",
                    config={"displaylogo": False, "scrollZoom": False})
    st.caption(s.get("panel.diagram_caption"))
    with st.container(border=True):
        st.markdown(f"**{s.get('panel.zone')}**")
        st.badge(s.get("panel.interpretation_badge"), color="violet")
        st.write(k.regions[region].zone_reading)
        for ev in k.regions[region].placement:
            st.caption(cite(s, ev))
    if show_points:
        with st.container(border=True, key="points_in_zone"):
            st.markdown(f"**{s.get('points.in_zone_heading', region=s.get(f'region.{region}'))}**")
            st.caption(s.get("points.reading"))
            listed = points_in_zone(k, region)
            st.markdown(" · ".join(listed) if listed else s.get("points.in_zone_none"))

with right:
    st.subheader(s.get("panel.parameters"))
    if plan.method_caveat:
        st.caption(f":material/info: {plan.method_caveat}")
    st.markdown(cards_html(s, parameter_cards(k, plan)), unsafe_allow_html=True)
    with st.container(border=True):
        st.markdown(f"**{s.get('panel.stage', stage=stage)}** — {plan.stage_info.summary}")
        for ev in plan.stage_info.evidence:
            st.caption(cite(s, ev))
        st.badge(s.get("panel.interpretation_badge"), color="violet")
        st.caption(plan.stage_info.interpretation)
        if plan.stage_outside_source:
            st.caption(s.get("stage_panel.outside_source", region=s.get(f"region_part.{region}")))
    st.download_button(s.get("panel.download"), plan_document(k, plan), key="download",
                       file_name=f"acumap-plan-{region}-{method}-{stage}.json", mime="application/json")
    if show_points:
        with st.container(border=True, key="point_detail"):
            key = st.selectbox(s.get("points.select"), [None, *all_sites], key="point",
                               help=s.get("points.select_help"),
                               format_func=lambda x: s.get("points.select_none") if x is None else all_sites[x].name)
            if key:
                site = all_sites[key]
                facts = "\n\n".join(f"**{label}:** {text}" for label, text in point_facts(k, site))
                st.markdown(f"### {site.point.code} {site.point.pinyin}\n*{site.point.english}*\n\n{facts}")

# --- depth view ---------------------------------------------------------------------------------
st.subheader(s.get("depth.heading"))
st.caption(s.get("depth.caption", region=s.get(f"region.{region}")))
for warning in plan.warnings:
    st.error(f"{warning.text} [{', '.join(warning.sources)}]", icon="⚠️")
st.plotly_chart(depth_figure(region, method, stage), key="depth_view", config={"displaylogo": False})
gap = danger_gap_text(k, plan)
if gap:
    st.caption(gap)
st.caption(f"{k.safety.variability.text} [{k.safety.variability.source}]")
st.expander(s.get("depth.sources")).markdown(
    "\n".join(f"- **{name}**: {text}" for name, text in k.safety.sources.items()))

# --- where this comes from ----------------------------------------------------------------------
st.subheader(s.get("panel.sources"))
st.caption(s.get("panel.sources_caption"))
st.markdown(sources_html(s, source_blocks(k, plan)), unsafe_allow_html=True)

# --- safety and preparation ---------------------------------------------------------------------
st.subheader(s.get("panel.cautions"))
tabs = st.tabs([s.get(f"caution_kind.{kind}") for kind in CAUTION_KINDS] + [s.get("panel.articles")])
for tab, kind in zip(tabs, CAUTION_KINDS, strict=False):
    tab.markdown(caution_html(s, caution_items(k, kind)), unsafe_allow_html=True)
tabs[-1].markdown("\n".join("- " + s.get("panel.article_line", letter=letter, title=src.title, first=src.first_line,
                                          last=src.last_line) for letter, src in k.sources.items()))
