"""One front door to the session's state (ui/session.py): the screens read and write the app's own
state as one typed object, kept under one session-state key, and the controls' values through named
widget keys; none of them touches st.session_state itself (before, about 120 uses of some 35 bare
string keys were spread over ui/, where a misspelt key silently read None)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from acumap.classroom import Classroom
from tests.support.apptest import opened
from tests.support.classdb import page_store
from ui import session

ROOT = Path(__file__).resolve().parents[1]
FRONT_DOOR = ROOT / "ui" / "session.py"
SCREENS = sorted([*(ROOT / "ui").glob("*.py"), ROOT / "app.py"])
# The widget keys session.py names: a screen uses the name, never the string.
WIDGET_KEYS = (session.REGION, session.METHOD, session.STAGE, session.BUILD, session.WHOLE_BACK, session.SHOW_POINTS,
               session.POINT, session.LANG, session.MODE, session.BACK_VIEW, session.PANEL, session.PROTOCOL_FILE,
               session.LIVE_NICKNAME)


def test_no_screen_touches_st_session_state_but_the_front_door() -> None:
    # `session_state` as a word: st.session_state, a script context's .session_state, `import session_state`
    # (not Streamlit's get_session_state for the query parameters, which ui/state.py uses).
    touching = {path.relative_to(ROOT).as_posix(): n
                for path in SCREENS if path != FRONT_DOOR
                if (n := len(re.findall(r"\bsession_state\b", path.read_text(encoding="utf-8"))))}
    assert touching == {}
    assert re.search(r"\bst\.session_state\b", FRONT_DOOR.read_text(encoding="utf-8"))  # the scan sees a use


def test_no_screen_spells_a_named_widget_key_as_a_string() -> None:
    spelt = re.compile(r"""key\s*=\s*f?["'](""" + "|".join(WIDGET_KEYS) + r""")["']""")
    found = {path.relative_to(ROOT).as_posix(): spelt.findall(path.read_text(encoding="utf-8"))
             for path in SCREENS if path != FRONT_DOOR}
    assert {name: keys for name, keys in found.items() if keys} == {}


def test_a_new_session_starts_from_the_defaults_and_shares_nothing() -> None:
    a, b = session.Session(), session.Session()
    assert (a.lang, a.started, a.opened, a.quiz, a.quiz_focus) == ("en", False, None, None, False)
    assert (a.link.view, a.link.notice, a.link.written) == (None, None, None)
    assert not a.link.check_dropped and not a.link.fresh and a.link.check == {} and a.link.fix == {}
    assert (a.protocol.kept, a.protocol.result, a.protocol.figure) == (None, None, None)
    assert (a.live.teacher, a.live.student, a.live.teacher_error) == (None, None, None)
    a.drawn["x"] = 1
    a.link.fix["whole_back"] = True
    a.before["cards"] = ()
    assert b.drawn == {} and b.link.fix == {} and b.before == {}  # each session its own dicts
    t = session.Teacher(code="ABC", key="k", show_key=True)
    t.hide_key()
    assert not t.show_key and t.reveals == {} and t.link is None
    assert session.Student(code="ABC").key is None


def private_keys(at: AppTest) -> set[str]:
    """The session-state keys of the app's own (a leading underscore), not the controls'."""
    return {str(name) for name in at.session_state if str(name).startswith("_")}


def test_the_app_keeps_its_own_state_as_one_object_that_lives_through_reruns() -> None:
    at = opened({"region": "lumbar", "colour": "red"})  # an unknown parameter: the link has a notice
    kept = at.session_state[session.KEY]
    assert isinstance(kept, session.Session)
    assert kept.started and kept.lang == "en" and kept.link.view is not None and kept.link.view.region == "lumbar"
    assert kept.link.notice and "colour" in kept.link.notice
    assert kept.opened is not None and set(kept.drawn) >= {"acu_heading", "acu_diagram", "acu_panel"}
    at.button_group(key=session.PANEL).set_value("safety").run()
    at.button_group(key=session.LANG).set_value("ru").run()
    assert not at.exception, at.exception
    assert at.session_state[session.KEY] is kept  # changed in place, never replaced
    assert kept.lang == "ru"
    assert private_keys(at) == {session.KEY}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Classroom:
    return page_store(tmp_path, monkeypatch)


def test_every_screen_keeps_its_state_in_the_one_object(store: Classroom) -> None:
    quiz = opened({"mode": "quiz", "seed": "3"})
    assert private_keys(quiz) == {session.KEY}
    assert quiz.session_state[session.KEY].quiz.seed == 3
    present = opened({"mode": "present"})
    present.button(key="live_start").click().run()
    assert not present.exception, present.exception
    assert private_keys(present) == {session.KEY}
    teacher = present.session_state[session.KEY].live.teacher
    assert teacher is not None and teacher.show_key and store.status(teacher.code, teacher.key).state == "open"
    student = opened({"class": teacher.code})
    assert private_keys(student) == {session.KEY}
    me = student.session_state[session.KEY].live.student
    assert me is not None and me.code == teacher.code and me.key is None


# --- state a part of the page cannot run without -------------------------------------------------
NEEDED = {"live class taught": "ui.live_teacher:teacher", "live class followed": "ui.live_student:student"}


def test_no_screen_asserts_its_state() -> None:
    # An assert vanishes under python -O (the part then fails further on, on None) and otherwise says nothing.
    asserting = {path.relative_to(ROOT).as_posix(): n for path in SCREENS
                 if (n := len(re.findall(r"^\s*assert\b", path.read_text(encoding="utf-8"), re.MULTILINE)))}
    assert asserting == {}


@pytest.mark.parametrize("what", sorted(NEEDED))
def test_missing_live_class_is_a_clear_one_line_error(what: str) -> None:
    module, name = NEEDED[what].split(":")
    at = AppTest.from_function(_call_needing, args=(module, name), default_timeout=30).run()
    assert not at.exception, at.exception
    [said] = [m.value for m in at.text]
    assert said == f"Missing: no {what} in this session's state, where this part of the page needs one"


def _call_needing(module: str, name: str) -> None:
    import importlib

    import streamlit as st

    try:
        getattr(importlib.import_module(module), name)()
    except Exception as exc:
        st.text(f"{type(exc).__name__}: {exc}")


def test_a_missing_state_still_raises_under_python_O() -> None:
    # With asserts stripped, the old accessors returned None for the caller to trip over later.
    code = ("from ui import live_student, live_teacher, session\n"
            "for f in (live_teacher.teacher, live_student.student):\n"
            "    try: f(); print('returned')\n"
            "    except session.Missing as exc: print('missing', str(exc).count(chr(10)))\n")
    done = subprocess.run([sys.executable, "-O", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["missing 0", "missing 0"]


def test_the_page_guard_shows_one_line_and_the_way_back_for_a_missing_state() -> None:
    at = AppTest.from_function(_guarded_teacher, default_timeout=30).run()
    assert not at.exception, at.exception
    [line] = [e.value for e in at.error]
    assert line.startswith("Something went wrong while drawing this view.") and "\n" not in line
    assert at.button(key="_error_back").label == "Back to the default view"


def _guarded_teacher() -> None:
    from ui import guard, live_teacher

    with guard.page():
        live_teacher.teacher()
