"""A Streamlit session driven at the websocket level, as the browser's frontend drives it: connect to
`/_stcore/stream`, send `BackMsg.rerun_script` (a `ClientState` with the query string and the
widget states), read `ForwardMsg`s until `script_finished`. No browser, so one process can hold
dozens of sessions against one server. Used by bench/load.py and tests/browser/test_sessions.py.

Widget ids come from the first run's deltas (each widget element carries its id and its options'
labels); a control is set by key with the label the page shows ("Lumbar", "III"), as the widget
state carries formatted labels in Streamlit 1.67. The query string the page writes
(`page_info_changed`) is sent back with the next rerun, as the frontend does, so the page's link
handling sees its own URL.

A button is pressed by passing its key with True (a trigger, sent once, as the frontend does); a
chart drawn with `on_select` is clicked by passing its key with a Click. After each run only the
states of the widgets that run drew are kept, as the frontend drops the others.

Fragments (st.fragment): every element a fragment draws arrives in a delta carrying that fragment's
id, and the frontend sends a change of a widget drawn there as a rerun of that fragment alone
(`rerun_script.fragment_id`); `run_in(fragment, ...)` does the same (`fragment_of(key)` names a
widget's fragment). A fragment drawn with `run_every` announces itself with an `auto_rerun` message;
the browser then sends, on its own timer, `rerun_script` with that fragment id, `is_auto_rerun` and
the current widget states. This client has no timer: `poll(fragment)` sends that message once, and
the caller decides when (`auto_reruns` holds the announced fragments and their intervals). After a
fragment's run only that fragment's widgets not drawn again are dropped."""

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
FRAGMENT_OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
OK = {ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY"), FRAGMENT_OK}
ERROR_ALERT = 1  # Alert.Format.ERROR


@dataclass
class Widget:
    id: str
    kind: str  # "radio", "select_slider", "slider", "checkbox", "button", "chart_select", "text_input"
    options: list[str]
    disabled: bool = False
    label: str = ""
    fragment: str = ""  # the id of the fragment that drew it ("" outside any)


@dataclass(frozen=True)
class Click:
    """A click on one marker of a chart drawn with `on_select`: what the frontend reports."""

    curve: int
    index: int
    x: float
    y: float


@dataclass
class Run:
    seconds: float
    messages: int
    bytes: int
    charts: dict[str, dict]  # key -> Plotly figure JSON
    texts: list[str]  # markdown and HTML bodies
    errors: list[str]  # exceptions and error alerts shown
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body) of every alert shown
    keys: set[str] = field(default_factory=set)  # the widgets this run drew
    fragment: bool = False  # the server ran one fragment alone, not the whole page

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
    auto_reruns: dict[str, float] = field(default_factory=dict)  # fragment id -> seconds between its reruns

    async def __aenter__(self) -> Session:
        target = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = await connect(target, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT,
                                additional_headers=self.headers or None)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, **controls: str | bool | float | Click) -> Run:
        """One rerun with the controls set (by key, to the label shown; True presses a button); the
        first call opens the page."""
        return await self._rerun("", False, controls)

    async def run_in(self, fragment: str, **controls: str | bool | float | Click) -> Run:
        """A change of widgets a fragment drew: a rerun of that fragment alone, as the frontend sends it."""
        return await self._rerun(fragment, False, controls)

    async def poll(self, fragment: str) -> Run:
        """What the browser's timer sends for a fragment drawn with `run_every`: one auto-rerun of it."""
        return await self._rerun(fragment, True, {})

    def fragment_of(self, key: str) -> str:
        return self.widgets[key].fragment

    async def _rerun(self, fragment: str, auto: bool, controls: dict) -> Run:
        for key, value in controls.items():
            self.values[key] = self._state(key, value)
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = ""
        msg.rerun_script.fragment_id = fragment
        msg.rerun_script.is_auto_rerun = auto
        msg.rerun_script.widget_states.widgets.extend(self.values.values())
        started = time.perf_counter()
        assert self.ws is not None
        await self.ws.send(msg.SerializeToString())
        for key in [k for k, v in self.values.items() if v.WhichOneof("value") == "trigger_value"]:
            del self.values[key]  # a press is sent once
        run = await self._read(started, fragment)
        # A fragment's run redraws only that fragment: the widgets elsewhere stay on the page.
        for key in [k for k in self.values if k not in run.keys
                    and (not fragment or key in self.widgets and self.widgets[key].fragment == fragment)]:
            del self.values[key]
        return run

    def _state(self, key: str, value: str | bool | float | Click) -> WidgetState:
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
        elif w.kind == "text_input":
            state.string_value = str(value)
        elif w.kind == "button":
            state.trigger_value = bool(value)
        elif w.kind == "chart_select" and isinstance(value, Click):
            point = {"x": value.x, "y": value.y, "curve_number": value.curve, "point_number": value.index,
                     "point_index": value.index}
            selection = {"selection": {"points": [point], "point_indices": [value.index], "box": [], "lasso": []}}
            # Encoded twice, as the frontend does: Streamlit decodes the widget's JSON to a string, which
            # the chart's own deserializer decodes again.
            state.json_value = json.dumps(json.dumps(selection))
        else:
            raise ValueError(f"cannot set a {w.kind}")
        return state

    async def _read(self, started: float, fragment: str = "") -> Run:
        assert self.ws is not None
        charts: dict[str, dict] = {}
        texts: list[str] = []
        errors: list[str] = []
        alerts: list[tuple[int, str]] = []
        keys: set[str] = set()
        announced: dict[str, float] = {}
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
                self._element(fm.delta.new_element, charts, texts, errors, alerts, keys, fm.delta.fragment_id)
            elif kind == "auto_rerun":
                announced[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for gone in fm.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(gone, None)
            elif kind == "script_finished":
                if fm.script_finished == EARLY:
                    continue  # the page asked for another run (st.rerun): wait for it to finish
                if fm.script_finished not in OK:
                    errors.append(f"script finished with status {fm.script_finished}")
                if not fragment and fm.script_finished in OK:
                    self.auto_reruns.clear()  # a whole run announces again every fragment still polled
                self.auto_reruns.update(announced)
                return Run(time.perf_counter() - started, count, size, charts, texts, errors, alerts, keys,
                           fm.script_finished == FRAGMENT_OK)

    def _element(self, el, charts: dict, texts: list, errors: list, alerts: list, keys: set,
                 fragment: str = "") -> None:
        kind = el.WhichOneof("type")

        def add(*args) -> None:  # a widget, with the fragment that drew it
            keys.add(self._widget(*args, fragment=fragment))

        if kind == "exception":
            errors.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "alert":
            alerts.append((el.alert.format, el.alert.body))
            if el.alert.format == ERROR_ALERT:
                errors.append(el.alert.body)
        elif kind == "markdown":
            texts.append(el.markdown.body)
        elif kind == "html":  # the explore screen's text blocks (st.html)
            texts.append(el.html.body)
        elif kind == "plotly_chart":
            charts[el.plotly_chart.id.rsplit("-", 1)[-1]] = json.loads(el.plotly_chart.spec)
            if el.plotly_chart.selection_mode:  # drawn with on_select: a widget a click sets
                add(el.plotly_chart.id, "chart_select", [])
        elif kind == "radio":
            add(el.radio.id, "radio", list(el.radio.options), el.radio.disabled, el.radio.label)
        elif kind == "slider":
            add(el.slider.id, "select_slider" if el.slider.options else "slider",
                list(el.slider.options), el.slider.disabled, el.slider.label)
        elif kind == "checkbox":
            add(el.checkbox.id, "checkbox", [], el.checkbox.disabled, el.checkbox.label)
        elif kind == "button":
            add(el.button.id, "button", [], el.button.disabled, el.button.label)
        elif kind == "text_input":
            add(el.text_input.id, "text_input", [], el.text_input.disabled, el.text_input.label)

    def _widget(self, wid: str, kind: str, options: list[str], disabled: bool = False, label: str = "",
                fragment: str = "") -> str:
        key = wid.rsplit("-", 1)[-1]
        self.widgets[key] = Widget(wid, kind, options, disabled, label, fragment)
        return key


async def _recv(ws: ClientConnection) -> bytes:
    import asyncio

    data = await asyncio.wait_for(ws.recv(), TIMEOUT)
    return data if isinstance(data, bytes) else data.encode()
