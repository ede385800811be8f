"""acumap: the page. It only lays out what the acumap package computes; every text comes from
data/strings/en.toml and every number from the planner over data/*.toml. The link (URL) says which
view and which mode to open; each mode is a screen module under ui/."""

from __future__ import annotations

import streamlit as st

from acumap import links
from ui import explore, state

k = state.knowledge_or_stop()
st.set_page_config(page_title="acumap", page_icon="📍", layout="wide",
                   menu_items={"About": f"**{k.strings.get('app.title')}**\n\n{k.strings.get('app.tagline')}"})
choices = links.choices_for(k, k.default_method, state.DEFAULT_BUILD)
opened = state.follow_link(k, choices)
explore.render(k, opened, choices)
