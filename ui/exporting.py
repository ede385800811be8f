"""The explore screen's Export panel (the plan's JSON button stays beside the cards): the plan as
CSV, the back view as PNG or SVG and the one-page session card as PDF. A lower panel rather than a
popover by the cards: five elements fewer on every rerun of the page. Images and the card are made
only when their button is pressed (the download button's data is a callable, run on a worker
thread), so a rerun never pays for kaleido or Chromium; a download does not rerun the page."""

from __future__ import annotations

from datetime import date
from html import escape

import plotly.graph_objects as go
import streamlit as st

from acumap.data.loading import Knowledge
from acumap.html.explore import section_html
from acumap.output import card, exports
from acumap.plan.planner import Plan
from acumap.teach import links


def export_panel(k: Knowledge, plan: Plan, view: links.View, default: links.View, figure: go.Figure) -> None:
    """`figure`: the back view as shown, built once for this run; the callables keep it (they may not
    call Streamlit, and run after the script has finished)."""
    s = k.strings
    url = links.link(st.context.url or "", view, default)
    st.markdown(section_html(s.get("export.heading"), s.get("export.help")), unsafe_allow_html=True)
    # The images and the card are drawn by Chromium; the app runs without it, and says so in one line.
    missing = card.find_chromium() is None
    if missing:
        st.markdown(f'<p class="acu-note acu-no-chromium">{escape(s.get("export.no_chromium"))}</p>',
                    unsafe_allow_html=True)
    with st.container(key="export", horizontal=True):
        st.download_button(s.get("export.button_csv"), lambda: exports.plan_csv(k, plan), key="export_csv",
                           on_click="ignore", file_name=exports.file_name(plan, "plan", "csv"),
                           mime=exports.MIME["csv"])
        for fmt in exports.IMAGE_FORMATS:
            st.download_button(s.get(f"export.button_{fmt}"), _image(figure, fmt), key=f"export_{fmt}",
                               on_click="ignore", file_name=exports.file_name(plan, "back-view", fmt),
                               mime=exports.MIME[fmt], disabled=missing)
        st.download_button(s.get("export.button_pdf"), lambda: card.session_card(k, plan, figure, url, date.today()),
                           key="export_pdf", on_click="ignore", file_name=exports.file_name(plan, "card", "pdf"),
                           mime=exports.MIME["pdf"], disabled=missing)


def _image(figure: go.Figure, fmt: str):
    return lambda: exports.back_view_file(figure, fmt)
