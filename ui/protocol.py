"""The "Your protocol" panel: upload a protocol file, see it over the back view, and a table of where
it differs from the articles. Reading and checking are acumap.protocol's, the HTML (everything from
the file escaped) acumap.html.protocol's; this module keeps the session's last good upload and
draws. The file itself is shown back as text (st.code), never as HTML.

Session state (ui/session.py's YourProtocol): `kept` the last good Protocol (drawn on the back view),
`result` the last upload's Result (its problems and text). A bad upload changes only `result`."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from acumap import protocol as proto
from acumap.charts.figures import overlay_traces
from acumap.data.loading import Knowledge
from acumap.html import protocol as protocol_html
from acumap.plan.planner import Plan
from ui import session, state

SHOWN_TEXT = 20_000  # characters of the uploaded file shown back


def uploaded() -> None:
    """The uploader's on_change: runs before the page, so the back view shows the new overlay in the
    same rerun. A bad file keeps the last good upload.

    An emptied uploader only forgets the last upload's problems, never the overlay: a browser that
    replaces a file first removes the old one (a rerun with no file), then sends the new one, so a
    removal cannot be told from the first half of a replacement. The overlay goes with the
    "Remove my protocol" button only."""
    yours = session.get().protocol
    file = session.value(session.PROTOCOL_FILE, None)
    if file is None:
        yours.result = None
        return
    result = proto.load(state.knowledge(), file.name, file.getvalue())
    yours.result = result
    if result.ok:
        yours.kept = result.protocol


def clear() -> None:
    yours = session.get().protocol
    yours.kept = None
    yours.result = None


def show_region() -> None:
    """The button's on_click: the page shows the protocol's region (before the region control is drawn)."""
    p = current()
    if p is not None:
        session.set_value(session.REGION, p.region)


def current() -> proto.Protocol | None:
    return session.get().protocol.kept


def with_overlay(k: Knowledge, fig: go.Figure) -> go.Figure:
    """The back view with this session's protocol drawn over it; the cached figure is never changed.
    The combined figure is kept for the session until the view or the protocol changes."""
    p = current()
    if p is None:
        return fig
    kept = session.get().protocol.figure
    if kept is not None and kept[0] is fig and kept[1] is p:
        return kept[2]
    combined = go.Figure(fig.to_dict())
    combined.add_traces(overlay_traces(k, p))
    combined = state.finished(combined)
    session.get().protocol.figure = (fig, p, combined)
    return combined


def panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    st.markdown(protocol_html.heading_html(s), unsafe_allow_html=True)
    st.file_uploader(s.get("protocol.upload"), type=["toml", "csv"], key=session.PROTOCOL_FILE, on_change=uploaded,
                     help=s.get("protocol.upload_help"))
    result = session.get().protocol.result
    p = current()
    if result is not None and not result.ok:
        st.markdown(protocol_html.problems_html(s, result.problems), unsafe_allow_html=True)
        if p is not None:
            st.info(s.get("protocol.kept", name=p.name or s.get("protocol.default_name")))
    if p is not None:
        rows = proto.differences(k, p, state.plan(p.region, plan.method, plan.stage))
        st.markdown(protocol_html.shown_html(s, p, plan, rows), unsafe_allow_html=True)
        if p.region != plan.region:  # drawn where the view is not: its legend entries alone would show
            theirs = s.get(f"region.{p.region}")
            st.info(s.get("protocol.other_region", theirs=theirs, shown=s.get(f"region.{plan.region}")))
            st.button(s.get("protocol.show_region", region=theirs), key="protocol_region", on_click=show_region)
        st.button(s.get("protocol.clear"), key="protocol_clear", on_click=clear)
    if result is not None and result.text:
        with st.expander(s.get("protocol.file_text")):
            st.code(result.text[:SHOWN_TEXT], language=None)
