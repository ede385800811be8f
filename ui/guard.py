"""No traceback ever reaches a user: an unexpected error in a rerun shows one short message and a
button back to the default view; the details go to the server log. Streamlit's own control flow
(st.stop, st.rerun) derives from BaseException and passes through untouched."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from ui import session

LOG = logging.getLogger("acumap")
# In English and not from the strings file, for when that file is what failed.
FALLBACK = {"errors.unexpected": "Something went wrong while drawing this view.",
            "errors.back": "Back to the default view"}


def _text(key: str) -> str:
    try:
        from ui import state

        return state.knowledge().strings.get(key)
    except Exception:  # the strings themselves may be what is broken
        return FALLBACK[key]


def back_to_default() -> None:
    """Forget this session's view and the link: the next run opens the default view."""
    session.clear()
    try:
        st.query_params.clear()
    except Exception:  # a parameter bound to a widget; the cleared widget state rewrites it
        LOG.warning("could not clear the query parameters", exc_info=True)
    st.rerun()  # the whole page, also when the button is in a part of it that reruns alone (a fragment)


@contextmanager
def page() -> Iterator[None]:
    try:
        yield
    except Exception:
        LOG.exception("unexpected error in a rerun of the page")
        st.error(_text("errors.unexpected"), icon="⚠️")
        st.button(_text("errors.back"), key="_error_back", on_click=back_to_default, type="primary")
