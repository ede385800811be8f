"""The charts' text alternatives for the explore screen, worked out once per view: a sentence for the
chart's `alt` and a folded table under it (acumap.charts.alternatives builds both)."""

from __future__ import annotations

import streamlit as st

from acumap.charts import alternatives as alt
from ui import state


def back_view(region: str, method: str, stage: str) -> tuple[str, str]:
    """(alt, table HTML) of the back view."""
    return _back_view(state.current_lang(), region, method, stage)


def depth_view(region: str, method: str, stage: str) -> tuple[str, str]:
    return _depth_view(state.current_lang(), region, method, stage)


# `lang` keys the caches: the texts are in the page's language.
@state.remembered
@st.cache_resource(show_spinner=False, max_entries=512)
def _back_view(lang: str, region: str, method: str, stage: str) -> tuple[str, str]:
    k, plan = state.knowledge_in(lang), state.plan_in(lang, region, method, stage)
    return alt.back_view_alt(k, plan), alt.ALT_CSS + alt.needle_table_html(k, plan)


@state.remembered
@st.cache_resource(show_spinner=False, max_entries=512)
def _depth_view(lang: str, region: str, method: str, stage: str) -> tuple[str, str]:
    k, plan = state.knowledge_in(lang), state.plan_in(lang, region, method, stage)
    return alt.depth_view_alt(k, plan), alt.ALT_CSS + alt.depth_table_html(k, plan)
