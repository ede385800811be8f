"""The "Your protocol" panel: upload a protocol file, see it over the back view, and a table of where
it differs from the articles. Reading and checking are acumap.protocol's; this module keeps the
session's last good upload and draws. Everything from the file is escaped before it reaches HTML,
and the file itself is shown back as text (st.code), never as HTML.

Session state: `_protocol` the last good Protocol (drawn on the back view), `_protocol_result` the
last upload's Result (its problems and text). A bad upload changes only `_protocol_result`."""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from acumap import protocol as proto
from acumap.figures import overlay_traces
from acumap.loading import Knowledge
from acumap.planner import Plan
from ui import state

SHOWN_TEXT = 20_000  # characters of the uploaded file shown back
TABLE_CSS = (
    "<style>.acu-yours{border-collapse:collapse;width:100%}.acu-yours th,.acu-yours td{text-align:left;"
    "padding:0.3rem 0.6rem;border-bottom:1px solid rgba(49,51,63,0.15)}"
    ".acu-yours tr.acu-diff{background:#fff0d9}</style>"
)


def uploaded() -> None:
    """The uploader's on_change: runs before the page, so the back view shows the new overlay in the
    same rerun. A bad file keeps the last good upload.

    An emptied uploader only forgets the last upload's problems, never the overlay: a browser that
    replaces a file first removes the old one (a rerun with no file), then sends the new one, so a
    removal cannot be told from the first half of a replacement. The overlay goes with the
    "Remove my protocol" button only."""
    file = st.session_state.get("protocol_file")
    if file is None:
        st.session_state.pop("_protocol_result", None)
        return
    result = proto.load(state.knowledge(), file.name, file.getvalue())
    st.session_state["_protocol_result"] = result
    if result.ok:
        st.session_state["_protocol"] = result.protocol


def clear() -> None:
    st.session_state.pop("_protocol", None)
    st.session_state.pop("_protocol_result", None)


def show_region() -> None:
    """The button's on_click: the page shows the protocol's region (before the region control is drawn)."""
    p = current()
    if p is not None:
        st.session_state["region"] = p.region


def current() -> proto.Protocol | None:
    return st.session_state.get("_protocol")


def with_overlay(k: Knowledge, fig: go.Figure) -> go.Figure:
    """The back view with this session's protocol drawn over it; the cached figure is never changed.
    The combined figure is kept for the session until the view or the protocol changes."""
    p = current()
    if p is None:
        return fig
    kept = st.session_state.get("_protocol_fig")
    if kept is not None and kept[0] is fig and kept[1] is p:
        return kept[2]
    combined = go.Figure(fig.to_dict())
    combined.add_traces(overlay_traces(k, p))
    combined = state.finished(combined)
    st.session_state["_protocol_fig"] = (fig, p, combined)
    return combined


def _table(k: Knowledge, rows: list[proto.Difference]) -> str:
    s = k.strings
    head = "".join(f'<th scope="col">{escape(s.get(f"protocol.column_{c}"))}</th>'
                   for c in ("what", "yours", "articles", "verdict"))
    body = "".join(
        f'<tr class="{"acu-diff" if r.differs else ""}"><th scope="row">{escape(r.what)}</th>'
        f"<td>{escape(r.yours)}</td><td>{escape(r.articles)}</td><td>{escape(r.verdict)}</td></tr>"
        for r in rows)
    return f'{TABLE_CSS}<table class="acu-yours"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def panel(k: Knowledge, plan: Plan) -> None:
    s = k.strings
    st.markdown(f'<h2 class="acu-h">{escape(s.get("protocol.heading"))}</h2>'
                f'<p class="acu-note">{escape(s.get("protocol.caption"))}</p>', unsafe_allow_html=True)
    st.file_uploader(s.get("protocol.upload"), type=["toml", "csv"], key="protocol_file", on_change=uploaded,
                     help=s.get("protocol.upload_help"))
    result: proto.Result | None = st.session_state.get("_protocol_result")
    p = current()
    if result is not None and not result.ok:
        items = "".join(f"<li>{escape(line)}</li>" for line in proto.problems_text(s, result.problems))
        st.markdown(f'<div class="acu-protocol-problems" role="alert"><p class="acu-warn">'
                    f'{escape(s.get("protocol.problems", count=len(result.problems)))}</p><ul>{items}</ul></div>',
                    unsafe_allow_html=True)
        if p is not None:
            st.info(s.get("protocol.kept", name=p.name or s.get("protocol.default_name")))
    if p is not None:
        name = p.name or s.get("protocol.default_name")
        region = s.get(f"region.{p.region}")
        compared = state.plan(p.region, plan.method, plan.stage)
        rows = proto.differences(k, p, compared)
        shown = s.get("protocol.shown", name=name, region=region, zones=len(p.zones), points=len(p.points),
                      parameters=len(p.parameters))
        vs = s.get("protocol.compared", region=region, method=s.get(f"method.{plan.method}"), stage=plan.stage)
        table = _table(k, rows) if rows else ""
        if not any(r.differs for r in rows):
            table += f'<p class="acu-note">{escape(s.get("protocol.no_differences"))}</p>'
        st.markdown(f'<p class="acu-note acu-protocol-shown">{escape(shown)}<br>{escape(vs)}</p>{table}',
                    unsafe_allow_html=True)
        if p.region != plan.region:  # drawn where the view is not: its legend entries alone would show
            theirs = s.get(f"region.{p.region}")
            st.info(s.get("protocol.other_region", theirs=theirs, shown=s.get(f"region.{plan.region}")))
            st.button(s.get("protocol.show_region", region=theirs), key="protocol_region", on_click=show_region)
        st.button(s.get("protocol.clear"), key="protocol_clear", on_click=clear)
    if result is not None and result.text:
        with st.expander(s.get("protocol.file_text")):
            st.code(result.text[:SHOWN_TEXT], language=None)
