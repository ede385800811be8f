"""The live class's screens headless with AppTest, each test on a private SQLite file
(ACUMAP_STATE_DIR in a temp folder): "Start a class" in presenter mode, the teacher link, a student
joining and following a step, a question answered and revealed, and the one-line refusals — a closed or
expired class, an unknown code, the database unavailable (explore mode still works), a wrong teacher key
(no step, no reveal, no results) and a nickname with HTML and Markdown kept literal."""

from __future__ import annotations

import re
import string
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from acumap import load_knowledge
from acumap.classroom import Classroom
from acumap.classroom.screens import markdown_literal
from acumap.classroom.store import round_questions
from acumap.teach import lesson
from acumap.teach.quiz import CLICK
from tests.support.apptest import blocks, opened
from tests.support.classdb import page_store
from ui import session

APP = str(Path(__file__).resolve().parents[1] / "app.py")
EN = load_knowledge().strings


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Classroom:
    return page_store(tmp_path, monkeypatch)


def texts(at: AppTest) -> str:
    parts = [m.value for m in blocks(at)] + [t.value for t in at.text] + [c.value for c in at.code]
    parts += [e.value for kind in ("warning", "info", "success", "error", "subheader", "caption") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def teacher(store: Classroom) -> AppTest:
    at = opened({"mode": "present"})
    at.button(key="live_start").click().run()
    assert not at.exception, at.exception
    return at


def the_class(at: AppTest) -> tuple[str, str]:
    link = next(c.value for c in at.code if "teach=" in c.value)
    code, key = link.split("teach=")[1].split(".")
    return code, key


def test_start_a_class_shows_code_link_qr_and_the_teacher_link_once(store: Classroom) -> None:
    at = teacher(store)
    code, key = the_class(at)
    status = store.status(code, key)  # the key shown is the one the store takes
    assert status.state == "open"
    shown = texts(at)
    assert f"/?class={code}" in shown and '<div class="acu-qr" role="img"' in shown and "<svg" in shown
    # The presenter's step went to the class when the class started.
    k = load_knowledge()
    assert status.step is not None
    assert status.step.step == lesson.step_index(k, status.step.region, status.step.method) + 1
    at.button(key="live_key_done").click().run()
    assert "teach=" not in texts(at)  # shown once
    assert f"/?class={code}" in texts(at)


def test_a_teacher_link_reopens_the_teacher_screen_and_leaves_the_url(store: Classroom) -> None:
    new = store.create_class()
    at = opened({"mode": "present", "teach": f"{new.code}.{new.teacher_key}"})
    assert "teach" not in at.query_params
    assert EN.get("live.heading", code=new.code) in texts(at)
    assert store.status(new.code, new.teacher_key).step is not None


def test_a_teacher_link_reopened_mid_class_opens_at_the_class_step_not_the_first(store: Classroom) -> None:
    k = load_knowledge()
    step = lesson.steps(k)[3]
    new = store.create_class()
    store.set_step(new.code, new.teacher_key, 4, step.region, step.method, "III", "en")
    before = store.status(new.code, new.teacher_key).step
    at = opened({"mode": "present", "teach": f"{new.code}.{new.teacher_key}"})
    assert not at.exception, at.exception
    assert at.query_params.get("step") == "4" and at.query_params.get("stage") == "III"
    after = store.status(new.code, new.teacher_key).step
    assert (after.step, after.region, after.method, after.stage) == (4, step.region, step.method, "III"), after
    assert after.at == before.at  # nothing new was sent: the students stay where they were
    # A link that names its own step still opens there.
    at = opened({"mode": "present", "step": "2", "teach": f"{new.code}.{new.teacher_key}"})
    assert store.status(new.code, new.teacher_key).step.step == 2


def test_a_teacher_link_reopens_in_the_language_it_was_made_in(store: Classroom) -> None:
    ru = load_knowledge(lang="ru").strings
    at = opened({"mode": "present", "lang": "ru"})
    at.button(key="live_start").click().run()
    assert not at.exception, at.exception
    link = next(c.value for c in at.code if "teach=" in c.value)
    assert "lang=ru" in link
    code, key = the_class(at)
    reopened = opened(dict(parse_qsl(urlsplit(link).query)))
    assert reopened.session_state[session.KEY].lang == "ru"
    assert ru.get("live.heading", code=code) in texts(reopened)
    assert reopened.query_params.get("lang") == "ru" and "teach" not in reopened.query_params
    assert store.status(code, key).step.lang == "ru"  # the students stay in it too


def test_a_teacher_link_reopens_in_the_language_the_class_switched_to(store: Classroom) -> None:
    # Issue 29: made in English, switched to Russian mid-class; the link (lang=en) reopens in Russian, where
    # the students are, at the class's step, and sends them nothing.
    ru = load_knowledge(lang="ru").strings
    at = opened({"mode": "present", "lang": "en"})
    at.button(key="live_start").click().run()
    link = next(c.value for c in at.code if "teach=" in c.value)
    assert "lang=en" in link
    code, key = the_class(at)
    third = lesson.steps(load_knowledge())[2]
    store.set_step(code, key, 3, third.region, third.method, "II", "ru")
    before = store.status(code, key).step
    reopened = opened(dict(parse_qsl(urlsplit(link).query)))
    assert not reopened.exception, reopened.exception
    assert reopened.query_params.get("lang") == "ru" and reopened.query_params.get("step") == "3"
    assert reopened.session_state[session.KEY].lang == "ru"
    assert ru.get("live.heading", code=code) in texts(reopened)
    assert store.status(code, key).step == before


def test_a_teacher_link_without_a_language_resumes_the_class_language(store: Classroom) -> None:
    # A link made before teacher links carried `lang`: the language of the class's step, else of the class.
    ru = load_knowledge(lang="ru").strings
    new = store.create_class(lang="ru")
    at = opened({"mode": "present", "teach": f"{new.code}.{new.teacher_key}"})
    assert ru.get("live.heading", code=new.code) in texts(at)
    store.set_step(new.code, new.teacher_key, 2, "lumbar", "sedative", "I", "en")
    at = opened({"mode": "present", "teach": f"{new.code}.{new.teacher_key}"})
    assert EN.get("live.heading", code=new.code) in texts(at)
    assert store.status(new.code, new.teacher_key).step.lang == "en"


def test_a_wrong_teacher_key_gets_one_line_and_no_step_reveal_or_results(store: Classroom) -> None:
    new = store.create_class()
    joined = store.join(new.code, "Ann")
    store.ask(new.code, new.teacher_key, 0)
    at = opened({"mode": "present", "teach": f"{new.code}.not-the-key"})
    assert EN.get("live.error.key_wrong") in texts(at)
    assert store.status(new.code, new.teacher_key).step is None  # no step was sent
    keys = {b.key for b in at.button}
    assert not keys & {"live_reveal", "live_ask", "live_end", "live_delete"}
    assert not at.get("download_button") and not at.table
    assert joined.nickname not in texts(at)


def test_a_student_joins_follows_the_step_and_answers(store: Classroom) -> None:
    new = store.create_class(seed=7)
    at = opened({"class": new.code})
    at.text_input(key="live_nickname").set_value("Ann").run()
    at.button(key="live_join").click().run()
    assert not at.exception, at.exception
    assert EN.get("live.waiting") in texts(at)
    store.set_step(new.code, new.teacher_key, 3, "lumbar", "sedative", "III", "en")
    index = next(i for i, q in enumerate(round_questions("en", 7, 10)) if q.kind != CLICK)
    q = round_questions("en", 7, 10)[index]
    store.ask(new.code, new.teacher_key, index)
    at.run()
    shown = texts(at)
    assert EN.get("live.follow_heading", region=EN.get("region.lumbar"), method=EN.get("method.sedative"),
                  stage="III") in shown
    assert at.get("plotly_chart")
    at.radio(key="live_choice_1").set_value(q.correct).run()
    at.button(key="live_send_1").click().run()
    assert store.status(new.code, new.teacher_key).answered == 1
    store.reveal(new.code, new.teacher_key)
    at.run()
    assert EN.get("live.right") in texts(at)


def test_the_student_screen_follows_the_teachers_language(store: Classroom) -> None:
    new = store.create_class()
    at = opened({"class": new.code})
    at.button(key="live_join").click().run()
    store.set_step(new.code, new.teacher_key, 1, "cervical", "sedative", "II", "ru")
    at.run()
    ru = load_knowledge(lang="ru").strings
    assert ru.get("live.follow_heading", region=ru.get("region.cervical"), method=ru.get("method.sedative"),
                  stage="II") in texts(at)


def test_a_nickname_with_html_and_markdown_is_shown_literally(store: Classroom) -> None:
    new = store.create_class()
    nick = "<b>**Bo**</b> [x](http://e)"
    at = opened({"class": new.code})
    at.text_input(key="live_nickname").set_value(nick).run()
    at.button(key="live_join").click().run()
    assert any(t.value == EN.get("live.you_are", name=nick) for t in at.text)  # st.text: never markup
    assert all(nick not in m.value for m in blocks(at))
    teach = opened({"mode": "present", "teach": f"{new.code}.{new.teacher_key}"})
    # A table cell is read as Markdown: the nickname goes in escaped, so the page shows it as typed.
    assert markdown_literal(nick) in teach.table[0].value.index


@given(st.text(max_size=60))
def test_markdown_literal_escapes_every_mark_and_keeps_the_text(text: str) -> None:
    got = markdown_literal(text)
    assert re.sub(r"\\(.)", r"\1", got, flags=re.S) == text  # undoing the escapes gives the nickname back
    plain = re.sub(r"\\.", "", got, flags=re.S)
    assert not any(c in string.punctuation for c in plain)  # no mark is left for Markdown to read


@pytest.mark.parametrize("how", ["ended", "expired"])
def test_a_closed_or_expired_class_tells_the_student_in_one_line(store: Classroom, how: str) -> None:
    if how == "ended":
        new = store.create_class()
        store.end(new.code, new.teacher_key)
    else:
        past = Classroom(store.settings, clock=lambda: time.time() - 13 * 3600)  # 12 hours is the default
        new = past.create_class()
    at = opened({"class": new.code})
    assert EN.get(f"live.error.class_{how}") in texts(at)
    assert not [t for t in at.text_input if t.key == "live_nickname"]
    at.button(key="live_explore").click().run()
    assert not at.exception and at.get("plotly_chart")  # explore mode


def test_a_joined_student_is_told_when_the_class_ends(store: Classroom) -> None:
    new = store.create_class()
    at = opened({"class": new.code})
    at.button(key="live_join").click().run()
    store.end(new.code, new.teacher_key)
    at.run()
    assert EN.get("live.error.class_ended") in texts(at)


def test_an_unknown_code_says_so(store: Classroom) -> None:
    at = opened({"class": "AAAAAA"})
    assert EN.get("live.error.class_unknown") in texts(at)
    at = opened({"class": "<i>0</i>"})
    assert EN.get("live.error.code_malformed") in texts(at)


def test_explore_then_back_to_the_class(store: Classroom) -> None:
    new = store.create_class()
    at = opened({"class": new.code})
    at.button(key="live_join").click().run()
    at.button(key="live_explore").click().run()
    assert "class" not in at.query_params and "seat" not in at.query_params and at.get("plotly_chart")
    at.button(key="live_back").click().run()
    assert at.query_params["class"] == new.code and seat_of(at)
    assert EN.get("live.waiting") in texts(at)
    assert store.status(new.code, new.teacher_key).students[0].number == 1
    assert len(store.status(new.code, new.teacher_key).students) == 1  # rejoined, not joined again


def seat_of(at: AppTest) -> str:
    return at.query_params["seat"][0] if isinstance(at.query_params["seat"], list) else at.query_params["seat"]


def test_a_joined_student_s_link_takes_the_same_seat_again_and_the_old_page_is_told(store: Classroom) -> None:
    """A reload, or a page reconnected to another server after its own went down, opens the same link in a
    new session: the student is back as themselves, with their answer. The page that held the seat before
    (a second phone on a shared link) is told so and offered the join form."""
    new = store.create_class(seed=7)
    first = opened({"class": new.code})
    first.text_input(key="live_nickname").set_value("Bo").run()
    first.button(key="live_join").click().run()
    seat = seat_of(first)
    assert first.query_params["class"] in (new.code, [new.code])
    index = next(i for i, q in enumerate(round_questions("en", 7, 10)) if q.kind != CLICK)
    q = round_questions("en", 7, 10)[index]
    store.ask(new.code, new.teacher_key, index)
    first.run()
    first.radio(key="live_choice_1").set_value(q.correct).run()
    first.button(key="live_send_1").click().run()

    again = opened({"class": new.code, "seat": seat})  # a new session on the same link
    assert not again.exception, again.exception
    shown = texts(again)
    assert EN.get("live.you_are", name="Bo") in shown
    assert EN.get("live.your_answer", answer=next(c.text for c in q.choices if c.key == q.correct)) in shown
    assert "live_join" not in [b.key for b in again.button]
    assert seat_of(again) != seat  # the spent key is out of the address bar
    status = store.status(new.code, new.teacher_key)
    assert [(x.number, x.nickname) for x in status.students] == [(1, "Bo")] and status.answered == 1

    first.run()  # the page that held the seat before
    assert not first.exception, first.exception
    assert EN.get("live.error.student_moved") in texts(first)
    assert "live_join" in [b.key for b in first.button]
    assert "seat" not in first.query_params


def test_a_seat_link_that_is_not_a_seat_is_one_line_and_the_join_form(store: Classroom) -> None:
    new = store.create_class()
    at = opened({"class": new.code, "seat": "not-a-key"})
    assert not at.exception, at.exception
    assert EN.get("live.error.student_unknown") in texts(at)
    assert "live_join" in [b.key for b in at.button] and "seat" not in at.query_params
    at.button(key="live_join").click().run()
    assert len(store.status(new.code, new.teacher_key).students) == 1 and seat_of(at)


def test_the_database_unavailable_is_one_line_and_explore_still_works(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ACUMAP_STATE_DIR", str(blocker / "state"))  # its folder cannot be made
    monkeypatch.delenv("ACUMAP_CLASS_DB_URL", raising=False)
    at = opened({"class": "AAAAAA"})
    assert EN.get("live.error.store_unavailable") in texts(at)
    at = opened({"mode": "present"})
    at.button(key="live_start").click().run()
    assert not at.exception
    assert EN.get("live.error.store_unavailable") in texts(at)
    assert at.get("plotly_chart")  # the presenter's view is still there
    at = opened({"region": "lumbar"})
    assert at.get("plotly_chart") and EN.get("live.error.store_unavailable") not in texts(at)
    assert not blocker.with_name("state").exists()


def test_an_unexpected_error_in_a_button_is_one_line_and_the_way_back_not_a_traceback(
        store: Classroom, monkeypatch: pytest.MonkeyPatch) -> None:
    # A callback runs before the page and outside its guard: Streamlit showed such an error as a traceback.
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the store")

    at = teacher(store)
    monkeypatch.setattr(Classroom, "end", broken)
    at.button(key="live_end").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [EN.get("errors.unexpected")]
    assert "_error_back" in {b.key for b in at.button}
    assert at.get("plotly_chart")  # the presenter's page is still drawn under the line
    at.run()  # said once: the next run is the page alone
    assert not at.error

    new = store.create_class(seed=7)
    monkeypatch.setattr(Classroom, "join", broken)
    at = opened({"class": new.code})
    at.button(key="live_join").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [EN.get("errors.unexpected")]
