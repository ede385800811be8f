"""The teacher's side of a live class, under presenter mode: "Start a class", then on the projector the
join code, link and QR code, how many students joined and answered (polled in one fragment every
ACUMAP_CLASS_POLL_SECONDS, not a page-wide rerun), the question controls, the reveal, the scores, the
results as CSV, "End the class" and "Delete". Each presenter step is sent to the students as it is shown.

The teacher key stays in this session; it is shown once, as a teacher link that reopens this screen.
A wrong key gets one line and nothing else: no step, reveal or results."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from acumap.classroom import ClassError
from acumap.classroom.screens import (
    TEACH,
    error_line,
    join_link,
    markdown_literal,
    qr_html,
    read_teach,
    reveal_lines,
    student_name,
    teacher_link,
)
from acumap.classroom.store import ROUND_SIZE, round_questions
from acumap.data.loading import Knowledge
from ui import guard, live, session, state


def claim() -> None:
    """Before the language is chosen and the link followed: a teacher link's key goes into the session
    and out of the URL (the projected address must not show it)."""
    asked = st.query_params.get_all(TEACH)
    if not asked:
        return
    found = read_teach(asked[0])
    del st.query_params[TEACH]
    if found is not None:
        session.get().live.teacher = session.Teacher(code=found[0], key=found[1], show_key=False)
        if not any(name in st.query_params for name in ("step", "region", "method")):
            resume(*found)


def resume(code: str, key: str) -> None:
    """A teacher link reopened mid-class (the teacher's server died, or another device) opens the presenter
    at the class's step, stage and language, not at the first step, which it would send to every student."""
    try:
        status = live.classroom().status(code, key)
    except ClassError:
        return  # a wrong key or a database gone: the screen says so in one line
    step = status.step
    # The class's language now, over the one the link was made in: a teacher who switched language
    # mid-class comes back in it, as the students' phones are (a link made before links carried `lang`
    # takes it too).
    st.query_params["lang"] = status.lang if step is None else step.lang
    if step is not None:
        st.query_params["step"] = str(step.step)
        if "stage" not in st.query_params:  # and at its stage: a step alone opens at stage I
            st.query_params["stage"] = step.stage
        # Already sent: the students' pages are not redrawn unless the presenter shows something else.
        teacher().sent = (step.step - 1, step.region, step.method, step.stage, step.lang)


@guard.callback
def start(k: Knowledge) -> None:
    try:
        store = live.classroom()
        new = store.create_class(lang=state.current_lang())
    except ClassError as exc:
        session.get().live.teacher_error = error_line(k.strings, exc)
        return
    session.get().live.teacher = session.Teacher(code=new.code, key=new.teacher_key, show_key=True,
                                                 link=live.base(store))


def teacher() -> session.Teacher:
    """The class this session teaches (the screen's parts below run only when there is one)."""
    return session.need(session.get().live.teacher, "live class taught")


def taken_error() -> str | None:
    """The refusal a callback kept for this run, read once."""
    live_state = session.get().live
    error, live_state.teacher_error = live_state.teacher_error, None
    return error


def send_step(k: Knowledge, t: session.Teacher, index: int, region: str, method: str, stage: str) -> None:
    """The presenter's step reaches the students: sent once each time it changes."""
    now = (index, region, method, stage, state.current_lang())
    if t.sent == now:
        return
    t.sent = now
    try:
        live.classroom().set_step(t.code, t.key, index + 1, region, method, stage, state.current_lang())
    except ClassError as exc:
        session.get().live.teacher_error = error_line(k.strings, exc)


def render(k: Knowledge, index: int, region: str, method: str, stage: str) -> None:
    s = k.strings
    t = session.get().live.teacher
    with st.container(key="live_teacher"):
        if t is None:
            st.button(s.get("live.start"), key="live_start", on_click=start, args=(k,))
            st.caption(s.get("live.start_help"))
        else:
            send_step(k, t, index, region, method, stage)
        error = taken_error()
        if error:
            st.warning(error, icon="⚠️")
        if t is None:
            return
        if t.show_key:
            with st.container(border=True, key="live_key"):
                st.caption(s.get("live.teacher_link"))
                st.code(teacher_link(t.link, t.code, t.key, state.current_lang()), language=None, wrap_lines=True)
                st.button(s.get("live.teacher_link_done"), key="live_key_done", on_click=t.hide_key)
        try:  # a wrong key or a database gone: one line, and no class screen under it
            store = live.classroom()
            t.drawn = shape(store.status(t.code, t.key))
        except ClassError as exc:
            if not error:
                live.refused(s, exc)
            return
        url = join_link(t.link or live.base(store), t.code)
        left, right = st.columns([1, 2], gap="medium")
        with left:
            st.markdown(qr_html(url, s.get("live.qr_alt", url=url)), unsafe_allow_html=True)
            st.markdown(f"### {s.get('live.join_with', code=t.code)}")
            st.code(url, language=None, wrap_lines=True)
        live.steady()
        with right:
            # Only what students change is polled: a list the teacher has open must not close under a poll.
            st.fragment(board, run_every=live.poll_seconds())(k)
            # Not a fragment of its own: a click in a second fragment beside a polled one was seen lost in
            # Chromium (the part stopped answering); a click here reruns the page, which outranks a poll.
            controls(k)


@guard.callback
def act(k: Knowledge, what: str, *args) -> None:
    """A button's call to the store; a refusal is kept for the next run to show in one line."""
    t = teacher()
    live_state = session.get().live
    try:
        store = live.classroom()
        if what == "ask":
            store.ask(t.code, t.key, session.value(args[0], None))
        elif what == "reveal":
            got = store.reveal(t.code, t.key)
            t.reveals[got.asked.number] = got
        elif what == "end":
            store.end(t.code, t.key)
        elif what == "delete":
            store.delete_class(t.code, t.key)
            live_state.teacher = None
            live_state.teacher_error = k.strings.get("live.deleted")
    except ClassError as exc:
        live_state.teacher_error = error_line(k.strings, exc)


def status_or_line(k: Knowledge) -> tuple[Any, Any]:
    """The store and the class's status, or (None, None) after its one line was shown."""
    t = session.get().live.teacher
    if t is None:  # deleted in another part of the page
        st.rerun(scope="app")
    try:
        store = live.classroom()
        return store, store.status(t.code, t.key)
    except ClassError as exc:
        live.refused(k.strings, exc)
        return None, None


def shape(status: Any) -> tuple:
    """What the teacher's controls are drawn from: the class's state and where its question stands."""
    q = status.question
    return status.state, None if q is None else (q.number, q.accepts_answers, q.revealed)


def board(k: Knowledge) -> None:
    """What the students change, polled: who joined, how many answered, the scores. When the class
    moved without this page (a question asked or the class ended from the command line, or it
    expired), the whole page is drawn again, so the controls under the board show it too."""
    s = k.strings
    store, status = status_or_line(k)
    if status is None:
        return
    t = teacher()
    if shape(status) != t.drawn:
        t.drawn = shape(status)
        st.rerun(scope="app")
    with st.container(key="live_class"):
        st.subheader(s.get("live.heading", code=status.code))
        st.markdown(s.get("live.students", n=len(status.students)))
        if status.state != "open":
            st.info(error_line(s, ClassError(f"class.{status.state}", status.state))
                    if status.state == "expired" else s.get("live.ended"))
        elif status.question is not None:
            st.markdown(s.get("live.answered_question", number=status.question.number, n=status.answered,
                              of=len(status.students)))
        if status.students:
            scores(k, store)


def controls(k: Knowledge) -> None:
    """What the teacher changes, redrawn only when the teacher acts: the question, the reveal, the end."""
    s = k.strings
    t = session.get().live.teacher
    store, status = status_or_line(k)
    if status is None:
        return
    error = taken_error()
    if error:
        st.warning(error, icon="⚠️")
    if status.state == "open":
        question(k, t, status)
        st.button(s.get("live.end"), key="live_end", on_click=act, args=(k, "end"))
    # Made when clicked, so it holds the answers given by then, not those when this part last ran.
    st.download_button(s.get("live.download"), lambda: store.results_csv(t.code, t.key),
                       file_name=f"class-{t.code}.csv", mime="text/csv", key="live_csv", on_click="ignore")
    st.button(s.get("live.delete"), key="live_delete", on_click=act, args=(k, "delete"))


def question(k: Knowledge, t: session.Teacher, status) -> None:
    s = k.strings
    asked = status.question
    if asked is not None:
        q = round_questions(asked.lang, asked.seed, asked.size)[asked.index]
        with st.container(border=True, key="live_current"):
            st.markdown(f"**{s.get('live.question', n=asked.number, prompt=q.prompt)}**")
            if asked.accepts_answers:
                st.button(s.get("live.reveal"), key="live_reveal", type="primary", on_click=act, args=(k, "reveal"))
            elif asked.revealed:
                reveal = t.reveals.get(asked.number)
                if reveal is None:  # revealed before a reload: the store gives it again
                    act(k, "reveal")
                    reveal = t.reveals.get(asked.number)
                if reveal is not None:
                    st.success(s.get("live.revealed_right", answer=reveal.question.correct_text))
                    st.markdown("\n".join(f"- {line}" for line in reveal_lines(s, reveal)))
                    cites = reveal.question.cites
                    st.markdown(s.get("live.sources") + "\n" + "\n".join(f"- {c}" for c in cites) if cites
                                else s.get("live.none_states"))
    lang = status.step.lang if status.step is not None else status.lang
    qs = round_questions(lang, status.seed, asked.size if asked is not None else ROUND_SIZE)
    start = 0 if asked is None else asked.index + 1
    if start >= len(qs):
        st.caption(s.get("live.no_questions_left"))
        return
    key = f"live_pick_{0 if asked is None else asked.number}"
    st.selectbox(s.get("live.pick"), list(range(len(qs))), index=start, key=key,
                 format_func=lambda i: s.get("live.pick_item", n=i + 1, prompt=qs[i].prompt))
    st.button(s.get("live.ask") if asked is None else s.get("live.ask_next"), key="live_ask",
              type="primary" if asked is None or not asked.accepts_answers else "secondary",
              on_click=act, args=(k, "ask", key))


def scores(k: Knowledge, store) -> None:
    s = k.strings
    t = teacher()
    got = store.scores(t.code, t.key)
    st.markdown(f"**{s.get('live.scores')}**")
    st.table(pd.DataFrame({
        s.get("live.column_student"): [markdown_literal(student_name(s, sc.nickname, sc.number)) for sc in got],
        s.get("live.column_right"): [sc.right for sc in got],
        s.get("live.column_answered"): [sc.answered for sc in got],
    }).set_index(s.get("live.column_student")))
