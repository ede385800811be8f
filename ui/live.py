"""What the live class's teacher and student screens share: the one store of this server process,
the page's own address and the one-line message a refusal becomes."""

from __future__ import annotations

import os

import streamlit as st

from acumap.classroom import ClassError, Classroom, Settings, load_settings
from acumap.classroom.screens import base_url, error_line
from acumap.classroom.settings import PUBLIC_URL
from acumap.data.strings import Strings


@st.cache_resource(show_spinner=False, max_entries=4)
def _classroom(settings: Settings) -> Classroom:
    # Keyed by the settings, so a changed environment (tests) gets its own store; a failure is not cached.
    return Classroom(settings)


def classroom() -> Classroom:
    """The store; raises ClassError (SettingsError, StoreError) when it cannot be opened."""
    return _classroom(load_settings())


def base(store: Classroom) -> str:
    """Links point where the browser reached the app, unless the server names its public address."""
    if os.environ.get(PUBLIC_URL):
        return store.settings.public_url
    return base_url(st.context.url or "", store.settings.public_url)


def poll_seconds() -> float:
    try:
        return load_settings().poll_seconds
    except ClassError:
        return 3.0


def refused(s: Strings, exc: ClassError) -> None:
    st.warning(error_line(s, exc), icon="⚠️")


# A polled part reruns every few seconds: Streamlit fades its elements while each run is on, which on a
# busy server makes the question blink and its buttons fail contrast. What it shows is current anyway.
STEADY = ("<style>.st-key-live_poll [data-stale=true],.st-key-live_class [data-stale=true]"
          "{opacity:1 !important;transition:none !important}</style>")


def steady() -> None:
    st.markdown(STEADY, unsafe_allow_html=True)
