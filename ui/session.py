"""The one door to this browser session's state. Every screen goes through here, never through
st.session_state itself:

- the app's own state is one typed object, `Session` (`get()`), kept under one session-state key and
  changed in place, so it lasts through reruns and fragments;
- the controls' values stay where Streamlit keeps them, under their widget keys (Streamlit owns those:
  it sets them from the browser and drops the value of a widget not drawn in a run); the keys are
  named once, below, and read and written with `value`, `set_value` and `keep`."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from acumap import protocol as proto
from acumap.teach import links
from acumap.teach.quiz import Round

KEY = "_acumap"  # the session-state key the Session object lives under
T = TypeVar("T")

# --- the widget keys (Streamlit's) -------------------------------------------------------------
REGION, METHOD, STAGE, BUILD = "region", "method", "stage", "build"
WHOLE_BACK, SHOW_POINTS, POINT = "whole_back", "show_points", "point"
LANG, MODE = "lang", "mode"
# The controls a link sets, named as links.View's fields.
LINKED = (REGION, METHOD, STAGE, BUILD, POINT, MODE, LANG)
BACK_VIEW = "back_view"  # the explore screen's back view (its selection: a click on a point)
PANEL = "panel"  # the explore screen's choice of lower panel
PROTOCOL_FILE = "protocol_file"  # "Your protocol" file uploader
LIVE_NICKNAME = "live_nickname"  # a student's nickname before joining
TICK = "tick_"  # the patient checklist's ticks: tick_<condition id>


# --- the app's own state -------------------------------------------------------------------------
@dataclass
class Link:
    """The link to the view (the URL both ways): ui/state.py's follow_link and keep_link."""

    view: links.View | None = None  # the view the last link read opened
    notice: str | None = None  # what that link had to ignore, shown until the user moves on
    check_dropped: bool = False  # the page opened with no query: the browser checks it had none
    fresh: bool = False  # this full run read a link: the notice stays
    shown: links.View | None = None  # the view last written into the URL
    written: dict[str, list[str]] | None = None  # the query last written
    check: dict[str, Any] = field(default_factory=dict)  # repeated bound parameters, to set to the link's rule
    fix: dict[str, Any] = field(default_factory=dict)  # those to set on the next run (read once)


@dataclass
class YourProtocol:
    """"Your protocol": the last good upload (drawn on the back view), the last upload's result, and the
    back view with the protocol over it (the figure it was made from, the protocol, the combined one)."""

    kept: proto.Protocol | None = None
    result: proto.Result | None = None
    figure: tuple[Any, proto.Protocol, Any] | None = None


@dataclass
class Teacher:
    """A live class this session teaches: its code and teacher key (kept only here)."""

    code: str
    key: str
    show_key: bool  # the teacher link is shown (once, after "Start a class")
    link: str | None = None  # the address students join at, as the class was started
    sent: tuple | None = None  # the step last sent to the students
    reveals: dict[int, Any] = field(default_factory=dict)  # each revealed question's answers, by number
    drawn: tuple | None = None  # the class's state the teacher's controls were last drawn from

    def hide_key(self) -> None:
        self.show_key = False


@dataclass
class Student:
    """A live class this session follows as a student (from its join link)."""

    code: str
    key: str | None = None  # None until joined
    number: int = 0
    nickname: str = ""
    following: bool = True  # on the student screen, not exploring on their own
    seen: object = None  # what the last full run of the student screen drew (ui/live_student.seen)


@dataclass
class Live:
    teacher: Teacher | None = None
    student: Student | None = None
    # A refusal kept by a callback for the next run to show in one line (each read once).
    teacher_error: str | None = None
    student_error: Exception | None = None
    answer_error: Exception | None = None


@dataclass
class Session:
    """All the app keeps for one browser session, besides the controls' values."""

    lang: str = "en"  # the language of this run's page (state.choose_lang)
    started: bool = False  # this session has drawn a page (its next click is not a restarted server's)
    failed: bool = False  # a callback failed unexpectedly: the next run says so in one line (guard.callback)
    opened: links.View | None = None  # the explore screen's view as its last full run opened it
    drawn: dict[str, Hashable] = field(default_factory=dict)  # each explore part's signature when last drawn
    before: dict[str, tuple] = field(default_factory=dict)  # state.changed_since_last's memory, by name
    memo: dict[Hashable, Any] = field(default_factory=dict)  # state.remembered's lookups since the last full run
    quiz: Round | None = None
    quiz_focus: bool = False  # put the focus back on the question in the next run (read once)
    link: Link = field(default_factory=Link)
    protocol: YourProtocol = field(default_factory=YourProtocol)
    live: Live = field(default_factory=Live)


class Missing(RuntimeError):
    """A part of the page ran without the state it is drawn from: a bug, never the user's doing. Raised, not
    asserted (an assert vanishes under python -O): str() is one line for the server log, and the page's
    guard (ui/guard.py) shows its own one line and the way back to the default view."""


def need(found: T | None, what: str) -> T:
    """`found`, which this part of the page cannot run without; Missing, naming `what`, if it is None."""
    if found is None:
        raise Missing(f"no {what} in this session's state, where this part of the page needs one")
    return found


def get() -> Session:
    """This session's state, made on its first run."""
    ss = st.session_state.get(KEY)
    if not isinstance(ss, Session):
        ss = Session()
        st.session_state[KEY] = ss
    return ss


def clear() -> None:
    """Forget everything: the app's state and every control's value."""
    for name in list(st.session_state.keys()):
        del st.session_state[name]


# --- the controls' values ------------------------------------------------------------------------
_REQUIRED = object()


def value(key: str, default: Any = _REQUIRED) -> Any:
    """A control's value; without a default, one that must be there (KeyError otherwise)."""
    if default is _REQUIRED:
        return st.session_state[key]
    return st.session_state.get(key, default)


def set_value(key: str, new: Any) -> None:
    """Set a control's value (before the control is drawn in this run, as Streamlit requires)."""
    st.session_state[key] = new


def has_value(key: str) -> bool:
    return key in st.session_state


def keep(*keys: str) -> None:
    """Keep the values of controls a run does not draw (Streamlit drops the value of a widget not
    drawn in a run, unless it is written back)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def keys_starting(prefix: str) -> list[str]:
    """The widget keys in the session that start with `prefix` (the checklist's ticks)."""
    return [n for n in st.session_state if str(n).startswith(prefix)]


def selected_points(key: str) -> list[dict]:
    """The points selected on a chart drawn with on_select (a click)."""
    return st.session_state[key]["selection"]["points"]


def browser_sent_controls() -> bool:
    """Whether the browser sent the state of controls it shows: never on a page load, always on a
    click. Streamlit has no public way to ask, so this reads its session state and says False if
    that ever moves."""
    try:
        ctx = get_script_run_ctx()
        return bool(ctx.session_state._state._new_widget_state.states)
    except AttributeError:
        return False
