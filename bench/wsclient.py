"""A Streamlit session driven at the websocket level, as the browser's frontend drives it: connect to
`/_stcore/stream`, send `BackMsg.rerun_script` (a `ClientState` with the query string and the
widget states), read `ForwardMsg`s until `script_finished`. No browser, so one process can hold
dozens of sessions against one server. Used by bench/load.py and tests/browser/test_sessions.py.

Widget ids come from the first run's deltas (each widget element carries its id and its options'
labels); a control is set by key with the label the page shows ("Lumbar", "III"), as the widget
state carries formatted labels in Streamlit 1.67. The query string the page writes
(`page_info_changed`) is sent back with the next rerun, as the frontend does, so the page's link
handling sees its own URL."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

TIMEOUT = 60.0  # seconds for one run to finish
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
# A whole run, or one of only the page's parts a control changes (st.fragment).
OK = {ForwardMsg.ScriptFinishedStatus.Value(n) for n in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")}
ERROR_ALERT = 1  # Alert.Format.ERROR


@dataclass
class Widget:
    id: str
    kind: str  # "radio", "select_slider", "slider", "checkbox"
    options: list[str]


@dataclass
class Run:
    seconds: float
    messages: int
    bytes: int
    charts: dict[str, dict]  # key -> Plotly figure JSON
    texts: list[str]  # markdown bodies
    errors: list[str]  # exceptions and error alerts shown

    @property
    def view_title(self) -> str:
        """acumap's back-view title, the page text beside the diagram ("" when this run did not redraw it:
        a control change reruns only the parts it changes)."""
        for text in self.texts:
            if 'class="acu-view-title"' in text:
                head = text[text.index('class="acu-view-title"'):]
                return re.sub(r"<[^>]*>", "", head[head.index(">") + 1:head.index("</p>")])
        return ""


@dataclass
class Session:
    url: str  # http://127.0.0.1:PORT
    query: str = ""
    # Sent with the websocket's upgrade request: behind nginx, the browser's route cookie (deploy/nginx.conf).
    headers: dict[str, str] = field(default_factory=dict)
    ws: ClientConnection | None = None
    widgets: dict[str, Widget] = field(default_factory=dict)
    values: dict[str, WidgetState] = field(default_factory=dict)

    async def __aenter__(self) -> Session:
        target = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = await connect(target, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT,
                                additional_headers=self.headers or None)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, **controls: str | bool | float) -> Run:
        """One rerun with the controls set (by key, to the label shown); the first call opens the page."""
        for key, value in controls.items():
            self.values[key] = self._state(key, value)
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.widget_states.widgets.extend(self.values.values())
        started = time.perf_counter()
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        return await self._read(started)

    def _state(self, key: str, value: str | bool | float) -> WidgetState:
        w = self.widgets[key]
        state = WidgetState(id=w.id)
        if w.kind == "radio":
            state.string_value = str(value)
        elif w.kind == "select_slider":
            state.string_array_value.data.append(str(value))
        elif w.kind == "slider":
            state.double_array_value.data.append(float(value))
        elif w.kind == "checkbox":
            state.bool_value = bool(value)
        else:
            raise ValueError(f"cannot set a {w.kind}")
        return state

    async def _read(self, started: float) -> Run:
        assert self.ws is not None
        charts: dict[str, dict] = {}
        texts: list[str] = []
        errors: list[str] = []
        count = size = 0
        while True:
            raw = await _recv(self.ws)
            count += 1
            size += len(raw)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._element(fm.delta.new_element, charts, texts, errors)
            elif kind == "script_finished":
                if fm.script_finished == EARLY:
                    continue  # the page asked for another run (st.rerun): wait for it to finish
                if fm.script_finished not in OK:
                    errors.append(f"script finished with status {fm.script_finished}")
                return Run(time.perf_counter() - started, count, size, charts, texts, errors)

    def _element(self, el, charts: dict, texts: list, errors: list) -> None:
        kind = el.WhichOneof("type")
        if kind == "exception":
            errors.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "alert" and el.alert.format == ERROR_ALERT:
            errors.append(el.alert.body)
        elif kind == "markdown":
            texts.append(el.markdown.body)
        elif kind == "plotly_chart":
            charts[el.plotly_chart.id.rsplit("-", 1)[-1]] = json.loads(el.plotly_chart.spec)
        elif kind == "radio":
            self._widget(el.radio.id, "radio", list(el.radio.options))
        elif kind == "slider":
            self._widget(el.slider.id, "select_slider" if el.slider.options else "slider", list(el.slider.options))
        elif kind == "checkbox":
            self._widget(el.checkbox.id, "checkbox", [])

    def _widget(self, wid: str, kind: str, options: list[str]) -> None:
        key = wid.rsplit("-", 1)[-1]
        self.widgets[key] = Widget(wid, kind, options)


async def _recv(ws: ClientConnection) -> bytes:
    import asyncio

    data = await asyncio.wait_for(ws.recv(), TIMEOUT)
    return data if isinstance(data, bytes) else data.encode()
