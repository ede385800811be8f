"""No traceback ever reaches a user: an unexpected error in a rerun shows one short message and a
button back to the default view; the details go to the server log. Streamlit's own control flow
(st.stop, st.rerun) derives from BaseException and passes through untouched."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st

from ui import session

P = ParamSpec("P")

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


def _said() -> None:
    st.error(_text("errors.unexpected"), icon="⚠️")
    st.button(_text("errors.back"), key="_error_back", on_click=back_to_default, type="primary")


@contextmanager
def page() -> Iterator[None]:
    try:
        ss = session.get()
        if ss.failed:  # a callback of the last interaction failed: one line above the page, once
            ss.failed = False
            _said()
        yield
    except Exception:
        LOG.exception("unexpected error in a rerun of the page")
        _said()


def callback(act: Callable[P, None]) -> Callable[P, None]:
    """A button's or a control's callback, guarded like the page. Streamlit runs callbacks before the
    page and would print an error in one above it as a traceback; here it goes to the server log and
    the next run shows the one line and the way back."""
    @functools.wraps(act)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            act(*args, **kwargs)
        except Exception:
            LOG.exception("unexpected error in a callback")
            session.get().failed = True
    return guarded
