"""acumap: the page. It only lays out what the acumap package computes; every text comes from
data/strings/en.toml and every number from the planner over data/*.toml. The link (URL) says which
view and which mode to open; each mode is a screen module under ui/."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from acumap.teach import links
from ui import explore, guard, live_student, live_teacher, modes, present, quiz, state

# One screen per mode (links.MODES); the mode switch offers no other value.
SCREENS = {"explore": explore.render, "present": present.render, "quiz": quiz.render}

with guard.page():  # an unexpected error: one short message and a way back, details in the server log
    state.start_run()
    live_teacher.claim()  # a teacher link: the key into the session, out of the URL; may name the language
    lang = state.choose_lang()
    k = state.knowledge_or_stop()  # a broken data file stops here with one line
    st.set_page_config(page_title="acumap", page_icon="📍", layout="wide",
                       initial_sidebar_state=modes.sidebar_state(),
                       menu_items={"About": f"**{k.strings.get('app.title')}**\n\n{k.strings.get('app.tagline')}"})
    if live_student.claim(k):  # a join link ?class=CODE: the student screen, not the explore one
        live_student.render(k)
        st.stop()
    choices = links.choices_for(k, k.default_method, state.DEFAULT_BUILD)
    opened = state.follow_link(k, choices)
    mode = modes.switch(k)
    # The screen writes the mode and language shown, not the ones the link opened.
    opened = replace(opened, mode=mode, lang=lang)
    SCREENS[mode](k, opened, choices)
