"""A student's screen in a live class, opened by the join link `?class=CODE` on a phone: an optional
nickname, then the teacher's current step (region, method, stage, language) and question, polled
every ACUMAP_CLASS_POLL_SECONDS inside one fragment, not a page-wide rerun. "Explore on my own"
leaves for the explore screen and "Back to the class" (in the sidebar there) returns."""

from __future__ import annotations

import functools

import streamlit as st

from acumap.classroom import ClassError
from acumap.classroom.models import Joined
from acumap.classroom.screens import JOIN, SEAT, student_name
from acumap.classroom.store import round_questions
from acumap.data.loading import Knowledge
from acumap.teach import lesson
from acumap.teach.quiz import CLICK, score
from ui import alternatives, guard, live, present, quiz, session, state


def claim(k: Knowledge) -> bool:
    """Before the link is followed: True when this run draws the student screen. A student exploring
    on their own gets "Back to the class" in the sidebar."""
    asked = st.query_params.get_all(JOIN)
    live_state = session.get().live
    me = live_state.student
    if asked:
        if me is None or me.code != asked[0]:
            me = session.Student(code=asked[0])
            live_state.student = me
        if me.key is None:
            take_seat(me)
        me.following = True
        state.session_started()  # "Explore on my own" then opens the explore screen the link names
        return True
    if me is not None and me.key:
        st.sidebar.button(k.strings.get("live.back"), key="live_back", on_click=back, type="primary")
    return False


def student() -> session.Student:
    """The class this session follows (set by claim before any of the below runs)."""
    return session.need(session.get().live.student, "live class followed")


def take_seat(me: session.Student) -> None:
    """A join link with this student's seat (`&seat=KEY`): back in the class as the same student."""
    seat = st.query_params.get(SEAT)
    if not seat:
        return
    try:
        seated(me, live.classroom().rejoin(me.code, seat))
    except ClassError as exc:
        if exc.reason == "student.unknown":  # spent or never valid; a store out of reach may work on a reload
            st.query_params.pop(SEAT, None)
        session.get().live.student_error = exc


def seated(me: session.Student, joined: Joined) -> None:
    me.code, me.key, me.number, me.nickname = joined.code, joined.student_key, joined.number, joined.nickname
    st.query_params[SEAT] = joined.student_key


@guard.callback
def leave() -> None:
    student().following = False
    del st.query_params[JOIN]
    st.query_params.pop(SEAT, None)


@guard.callback
def back() -> None:
    me = student()
    me.following = True
    st.query_params[JOIN] = me.code
    if me.key:
        st.query_params[SEAT] = me.key


@guard.callback
def join(k: Knowledge) -> None:
    me = student()
    try:
        joined = live.classroom().join(me.code, session.value(session.LIVE_NICKNAME, None))
    except ClassError as exc:
        session.get().live.student_error = exc
        return
    seated(me, joined)


def render(k: Knowledge) -> None:
    s = k.strings
    me = student()
    st.subheader(s.get("live.joining_code", code=me.code[:20]))
    if me.key is None:
        live_state = session.get().live
        error, live_state.student_error = live_state.student_error, None
        try:
            live.classroom().view(me.code)  # a closed, expired or unknown class says so before the form
        except ClassError as exc:
            error = exc
        if error is not None:
            live.refused(s, error)
        if error is None or error.reason in ("student.unknown", "student.moved"):
            st.text_input(s.get("live.nickname"), key=session.LIVE_NICKNAME, max_chars=40)
            st.button(s.get("live.join"), key="live_join", on_click=join, args=(k,), type="primary")
    else:
        follow(k)
    st.button(s.get("live.explore"), key="live_explore", on_click=leave)


def seen(view) -> object:
    """What a full run of the student screen drew: the teacher's step (its time), or the refusal's reason."""
    if isinstance(view, ClassError):
        return view.reason
    return view.step.at if view.step is not None else None


def follow(k: Knowledge) -> None:
    """The teacher's step is drawn by a full run (the figure is sent only when the step changes); the
    fragment polls the store, draws the question and starts a full run when the step or the class changed."""
    s = k.strings
    me = student()
    try:
        view = live.classroom().view(me.code, me.key)
    except ClassError as exc:
        if exc.reason == "student.unknown":  # this seat was taken again elsewhere: the join form, with why
            me.key = None
            st.query_params.pop(SEAT, None)
            session.get().live.student_error = ClassError("student.moved", "this seat was opened on another device")
            st.rerun()
        me.seen = seen(exc)
        live.refused(s, exc)
        return
    me.seen = seen(view)
    step = view.step
    if step is not None and step.lang != state.current_lang():
        session.set_value(session.LANG, step.lang)  # the page's language follows the teacher's
        st.rerun()
    st.text(s.get("live.you_are", name=student_name(s, me.nickname, me.number)))
    live.steady()
    st.fragment(poll, run_every=live.poll_seconds())(k)
    if step is None:
        st.info(s.get("live.waiting"))
        return
    plan = state.plan(step.region, step.method, step.stage)
    with st.container(key="live_step"):
        head = s.get("live.follow_heading", region=s.get(f"region.{step.region}"),
                     method=s.get(f"method.{step.method}"), stage=step.stage)
        st.markdown(f"**{head}**")
        # The presenter's own figure: the teacher's page has just built it, so it comes from the cache.
        st.plotly_chart(present.figure(step.lang, step.region, step.method, step.stage, state.DEFAULT_BUILD),
                        key="live_view", config={"displaylogo": False, "scrollZoom": False, "staticPlot": True},
                        alt=alternatives.back_view(step.region, step.method, step.stage)[0])
        st.markdown(present.CSS + present.numbers_html(s, lesson.key_numbers(k, plan), "", ""),
                    unsafe_allow_html=True)


def poll(k: Knowledge) -> None:
    me = student()
    try:
        view = live.classroom().view(me.code, me.key)
    except ClassError as exc:
        view = exc
    if seen(view) != me.seen:
        st.rerun(scope="app")
    if not isinstance(view, ClassError) and view.question is not None:
        with st.container(key="live_poll"):
            question_block(k, view)


def send(number: int, given) -> None:
    me = student()
    try:
        live.classroom().answer(me.code, me.key, number, given)
    except ClassError as exc:
        session.get().live.answer_error = exc


@guard.callback
def send_choice(number: int, key: str) -> None:
    if session.value(key, None) is not None:
        send(number, session.value(key))


@guard.callback
def send_click(number: int, key: str) -> None:
    points = session.selected_points(key)
    spots = [(p["x"], p["y"]) for p in points if "x" in p and "y" in p]
    if spots:
        send(number, spots[0])


def question_block(k: Knowledge, view) -> None:
    s = k.strings
    asked = view.question
    q = round_questions(asked.lang, asked.seed, asked.size)[asked.index]
    with st.container(border=True, key="live_question"):
        live_state = session.get().live
        error, live_state.answer_error = live_state.answer_error, None
        if error is not None:
            live.refused(s, error)
        if asked.accepts_answers:
            if q.kind == CLICK:
                st.markdown(f"**{s.get('live.question', n=asked.number, prompt=q.prompt)}**")
                st.caption(s.get("live.click_hint"))
                key = f"live_click_{asked.number}"
                quiz.fitted(quiz.canvas(state.current_lang(), state.DEFAULT_BUILD), key,
                            selection_mode="points", on_select=functools.partial(send_click, asked.number, key),
                            config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False},
                            alt=s.get("alt.quiz_canvas"))
                if view.mine is not None:
                    st.success(s.get("live.your_click"))
            else:
                texts = {c.key: c.text for c in q.choices}
                key = f"live_choice_{asked.number}"
                st.radio(s.get("live.question", n=asked.number, prompt=q.prompt), list(texts), index=None,
                         key=key, format_func=texts.__getitem__)
                st.button(s.get("live.answer"), key=f"live_send_{asked.number}", type="primary",
                          on_click=send_choice, args=(asked.number, key))
                if isinstance(view.mine, str):
                    st.success(s.get("live.your_answer", answer=texts.get(view.mine, view.mine)))
        elif asked.revealed:
            st.markdown(f"**{s.get('live.question', n=asked.number, prompt=q.prompt)}**")
            if view.mine is None:
                st.info(s.get("live.no_answer"))
            else:
                result = score(q, view.mine)
                (st.success if result.right else st.error)(
                    s.get("live.right") if result.right else s.get("live.wrong", correct=result.correct))
            st.markdown(s.get("live.sources") + "\n" + "\n".join(f"- {c}" for c in q.cites) if q.cites
                        else s.get("live.none_states"))
