"""The mode switch (explore, present, quiz), kept in the URL as `mode` like every other control,
and what the three screens share around it."""

from __future__ import annotations

import streamlit as st

from acumap.data.loading import Knowledge
from acumap.teach import links
from ui import session, state


def sidebar_state() -> str:
    """The sidebar starts collapsed in presenter mode. Read from the URL before anything is drawn:
    st.query_params sends nothing to the page, so set_page_config may still come after it."""
    return "collapsed" if st.query_params.get_all("mode") == ["present"] else "auto"


def switch(k: Knowledge) -> str:
    s = k.strings
    st.sidebar.segmented_control(s.get("languages.label"), links.LANGS, key=session.LANG, required=True,
                                 format_func=lambda lang: s.get(f"languages.{lang}"))
    return st.sidebar.segmented_control(s.get("modes.label"), links.MODES, key=session.MODE, required=True,
                                        format_func=lambda m: s.get(f"modes.{m}"), help=s.get("modes.help"))


def keep(*names: str) -> None:
    """Keep the values of controls this screen does not draw, for when the explore screen is back
    (Streamlit drops the value of a widget that is not drawn in a run)."""
    session.keep(*names)


def link_and_notice(k: Knowledge, view: links.View, ch: links.Choices, notice) -> None:
    """Write the view into the URL, show what the link had to ignore, and the link in the sidebar."""
    state.keep_link(view, ch.default)
    state.show_notice(notice)
    st.sidebar.caption(k.strings.get("links.copy"))
    st.sidebar.code(links.link(st.context.url or "", view, ch.default), language=None, wrap_lines=True)
