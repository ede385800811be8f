"""The patient checklist, a lower panel of the explore screen: tick a patient's conditions and see
what each article says of them, with the lines (acumap.plan.checklist does the work)."""

from __future__ import annotations

import streamlit as st

from acumap.data.loading import Knowledge
from acumap.html.explore import note_html, section_html
from acumap.plan import checklist
from ui import session

COLUMNS = 3


def checklist_panel(k: Knowledge) -> None:
    s = k.strings
    st.markdown(section_html(s.get("checklist.heading"), s.get("checklist.caption")), unsafe_allow_html=True)
    items = checklist.conditions(k)
    chosen = []
    with st.container(key="checklist_ticks"):
        columns = st.columns(COLUMNS)
        for i, c in enumerate(items):
            if columns[i % COLUMNS].checkbox(c.label, key=f"{session.TICK}{c.id}"):
                chosen.append(c.id)
    conditions = checklist.ticked(k, chosen)
    st.markdown(note_html(checklist.summary(k, conditions))
                + (checklist.checklist_html(k, conditions) if conditions else ""), unsafe_allow_html=True)


def keep_ticks() -> None:
    """Keep the ticks while another panel is shown (Streamlit drops the value of a widget that is
    not drawn in a run): only the keys already in the session, so no data file is read here."""
    session.keep(*session.keys_starting(session.TICK))
