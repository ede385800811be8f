"""The live class of issue 16, measured (a phase of bench/load.py): N students answering one question
within 5 s, while every screen polls.

A class is created through the store (acumap.classroom.Classroom, as `python -m acumap class create`
does), on the database the server uses (ACUMAP_CLASS_DB_URL, else SQLite in an ACUMAP_STATE_DIR of its
own). The teacher's projector opens its teacher link (`?mode=present&teach=CODE.KEY`); N students open
the join link `?class=CODE` at once and join with a nickname through the page's own text box and button.
Every screen then polls as the browser would: the page announces its polled fragment (`auto_rerun`) and
each session sends that fragment's auto-rerun every interval (bench/wsclient.py; one session sends one
message at a time, so a poll slower than the interval is followed at once by the next). When all have
joined, the teacher presses "Ask" on the projector; each student, at a moment drawn uniformly within the
first ANSWER_SPREAD s after the question is on the projector, picks a choice on the radio and presses
"Answer" (both inside the polled fragment, so each is a rerun of that fragment alone, as the frontend
sends it). The phase ends when the projector shows every answer, or LIVE_GRACE s after the question.

Checked: no error or refusal on any screen; each answer's own rerun says the answer is in; the store
holds exactly one answer per student, the one picked (none lost, none twice); the projector's count
reaches N of N. Measured: join, answer click (from the click to the last message of its rerun, any poll
of that session still in flight included, as a browser's click waits for it on the server), the
teacher's and the students' polls, the time from the question to the end of the last answer's rerun.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from wsclient import Run, Session

from acumap.classroom import Classroom, load_settings
from acumap.classroom.screens import JOIN, teacher_link
from acumap.classroom.settings import DB_URL, STATE_DIR
from acumap.classroom.store import ROUND_SIZE, round_questions
from acumap.data.strings import Strings
from acumap.teach.quiz import CLICK

# The screens' widget keys (ui/live_student.py, ui/live_teacher.py): when a screen renames one, change it here.
LIVE_NICKNAME = "live_nickname"
LIVE_JOIN = "live_join"
LIVE_CHOICE = "live_choice_{n}"
LIVE_SEND = "live_send_{n}"
LIVE_ASK = "live_ask"

ANSWER_WINDOW = 5.0  # seconds: issue 16's students all answer within this of the question
ANSWER_SPREAD = 4.0  # seconds: the clicks are spread over this much of it (the pick's own rerun comes first)
LIVE_GRACE = 60.0  # seconds after the question before the phase gives up on a missing answer
JOIN_TIMEOUT = 120.0  # seconds for the whole class to join
PROJECTOR_GRACE = 15.0  # seconds, after the last answer, for the projector's polls to count it
SUCCESS, WARNING = 4, 2  # Alert.Format


@contextlib.contextmanager
def class_database() -> Iterator[None]:
    """The servers started inside and this process's store see the same class database: the one
    ACUMAP_CLASS_DB_URL names, else SQLite in a temporary ACUMAP_STATE_DIR (never the user's own)."""
    if os.environ.get(DB_URL):
        yield
        return
    before = os.environ.get(STATE_DIR)
    with tempfile.TemporaryDirectory(prefix="acumap-live-load-") as folder:
        os.environ[STATE_DIR] = folder
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(STATE_DIR, None)
            else:
                os.environ[STATE_DIR] = before


def choice_seed(lang: str = "en") -> int:
    """The first quiz seed whose round opens with a choice question: the one the projector asks first."""
    return next(seed for seed in range(1, 10_000) if round_questions(lang, seed, ROUND_SIZE)[0].kind != CLICK)


@dataclass
class LiveRun:
    students: int
    opens: list[float] = field(default_factory=list)
    joins: list[float] = field(default_factory=list)
    clicks: list[float] = field(default_factory=list)  # answer click -> its rerun's last message
    teacher_polls: list[float] = field(default_factory=list)
    student_polls: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    picked: dict[str, str] = field(default_factory=dict)  # nickname -> the label clicked
    answered: list[float] = field(default_factory=list)  # question on the projector -> the answer's rerun end
    sent_late: int = 0  # answers clicked more than ANSWER_WINDOW s after the question
    stored: int = 0  # answers the store holds for the question
    lost: list[str] = field(default_factory=list)  # nicknames whose answer the store lacks or holds wrong
    doubled: int = 0  # answers held more than once
    projector_count: str = ""  # the projector's last "n of N answered" line


def _problems(run: Run) -> list[str]:
    """Errors and refusals (the live screens show a refusal as a warning) on a run."""
    return [*run.errors, *(body for fmt, body in run.alerts if fmt == WARNING)]


async def _poll_loop(s: Session, who: str, times: list[float], out: LiveRun, stop: asyncio.Event,
                     on_run=None, busy: asyncio.Lock | None = None) -> None:
    """The browser's timer for the page's polled fragment: one auto-rerun every interval."""
    while not stop.is_set():
        if not s.auto_reruns:
            out.errors.append(f"{who}: the page polls nothing (no auto_rerun announced)")
            return
        fragment, every = next(iter(s.auto_reruns.items()))
        began = time.perf_counter()
        async with busy or contextlib.nullcontext():
            run = await s.poll(fragment)
        times.append(run.seconds)
        out.errors.extend(f"{who} poll: {p}" for p in _problems(run))
        if on_run is not None:
            on_run(run)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, every - (time.perf_counter() - began)))


@dataclass
class _Class:
    """What the projector's and the students' tasks share: who has joined or given up, who has answered
    or given up, and when the question was on the projector."""

    students: int
    go: asyncio.Event = field(default_factory=asyncio.Event)  # every phone opens the link now
    all_joined: asyncio.Event = field(default_factory=asyncio.Event)  # every student joined or gave up
    asked: asyncio.Event = field(default_factory=asyncio.Event)
    all_answered: asyncio.Event = field(default_factory=asyncio.Event)  # every student answered or gave up
    stop: asyncio.Event = field(default_factory=asyncio.Event)  # the question is over: polls end
    asked_at: float = float("inf")
    joined: int = 0
    join_settled: int = 0
    answer_settled: int = 0

    def settle_join(self, ok: bool) -> None:
        self.joined += ok
        self.join_settled += 1
        if self.join_settled == self.students:
            self.all_joined.set()

    def settle_answer(self) -> None:
        self.answer_settled += 1
        if self.answer_settled == self.students:
            self.all_answered.set()


async def _first(*events: asyncio.Event) -> None:
    waits = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


async def _student(i: int, url: str, code: str, headers: dict, s_: Strings, out: LiveRun, c: _Class,
                   seed: int) -> None:
    rnd = random.Random(seed)
    who = f"student {i + 1}"
    nickname = f"load-{i + 1}"
    choice, send = LIVE_CHOICE.format(n=1), LIVE_SEND.format(n=1)
    joined = answered = False
    try:
        async with Session(url, query=f"{JOIN}={code}", headers=headers) as s:
            await c.go.wait()
            run = await s.run()
            out.opens.append(run.seconds)
            if _problems(run) or LIVE_JOIN not in run.keys:
                out.errors.append(f"{who} open: {'; '.join(_problems(run)) or 'no join button'}")
                return
            run = await s.run(**{LIVE_NICKNAME: nickname, LIVE_JOIN: True})
            out.joins.append(run.seconds)
            if _problems(run) or not s.auto_reruns:
                out.errors.append(f"{who} join: {'; '.join(_problems(run)) or 'no polled part after joining'}")
                return
            joined = True
            c.settle_join(True)
            busy = asyncio.Lock()  # one message at a time on this connection: a click waits for a poll in flight
            shown = asyncio.Event()

            def polled(run: Run) -> None:
                if choice in run.keys:
                    shown.set()

            poller = asyncio.create_task(_poll_loop(s, who, out.student_polls, out, c.stop, polled, busy))
            try:
                await _first(c.asked, c.stop)
                if not c.asked.is_set():
                    return  # the class never got to its question (an error said why)
                await asyncio.sleep(max(0.0, c.asked_at + rnd.uniform(0.0, ANSWER_SPREAD) - time.perf_counter()))
                try:  # answered as soon as the question is on the phone, if it was not by then
                    await asyncio.wait_for(shown.wait(), max(0.0, c.asked_at + LIVE_GRACE - time.perf_counter()))
                except TimeoutError:
                    out.errors.append(f"{who}: question 1 never reached this phone")
                    return
                label = rnd.choice(s.widgets[choice].options)
                async with busy:
                    run = await s.run_in(s.fragment_of(choice), **{choice: label})
                    out.errors.extend(f"{who} pick: {p}" for p in _problems(run))
                    clicked = time.perf_counter()
                    run = await s.run_in(s.fragment_of(send), **{send: True})
                done = time.perf_counter()
                out.clicks.append(done - clicked)
                out.answered.append(done - c.asked_at)
                out.sent_late += clicked - c.asked_at > ANSWER_WINDOW
                out.picked[nickname] = label
                out.errors.extend(f"{who} answer: {p}" for p in _problems(run))
                if not run.fragment:
                    out.errors.append(f"{who} answer: the click reran the whole page, not its polled part")
                if (SUCCESS, s_.get("live.your_answer", answer=label)) not in run.alerts:
                    out.errors.append(f"{who} answer: the page does not say the answer is in ({run.alerts})")
                answered = True
                c.settle_answer()
                await c.stop.wait()  # polling on, as the phone does, until the question is over
            finally:
                if not c.stop.is_set():  # this student gave up early: its timer stops
                    poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller
    except Exception as exc:  # a dropped connection, a timeout: counted, never fatal to the run
        out.errors.append(f"{who}: {type(exc).__name__}: {exc}")
    finally:
        if not joined:
            c.settle_join(False)
        if not answered:
            c.settle_answer()


async def measure_live(url: str, students: int, seed: int, s_: Strings, headers_for=None) -> LiveRun:
    """One live class of `students` against the server(s) at `url`; `headers_for()` gives each new
    browser's headers (a route cookie behind nginx)."""
    out = LiveRun(students)
    store = await asyncio.to_thread(Classroom, load_settings())
    try:
        new = await asyncio.to_thread(store.create_class, "en", choice_seed("en"))
        return await _run_class(url, new, students, seed, s_, out, store, headers_for)
    finally:
        store.close()


async def _headers(headers_for) -> dict:
    return await asyncio.to_thread(headers_for) if headers_for else {}


async def _run_class(url: str, new, students: int, seed: int, s_: Strings, out: LiveRun, store: Classroom,
                     headers_for) -> LiveRun:
    link = teacher_link("", new.code, new.teacher_key, "en").lstrip("/?")
    c = _Class(students)
    async with Session(url, query=link, headers=await _headers(headers_for)) as teacher:
        run = await teacher.run()
        if _problems(run) or LIVE_ASK not in run.keys or not teacher.auto_reruns:
            out.errors.append(f"projector open: {'; '.join(_problems(run)) or 'no class board or Ask button'}")
            return out
        tasks = [asyncio.create_task(_student(i, url, new.code, await _headers(headers_for), s_, out, c,
                                              seed * 10_000 + i))
                 for i in range(students)]
        await asyncio.sleep(0.5 + 0.02 * students)  # every student connected before any opens the page
        busy = asyncio.Lock()
        counts = {s_.get("live.answered_question", number=1, n=n, of=students) for n in range(students + 1)}
        full = s_.get("live.answered_question", number=1, n=students, of=students)
        shown_full = asyncio.Event()

        def board(run: Run) -> None:
            line = next((t for t in run.texts if t in counts), None)
            if line:
                out.projector_count = line
                if line == full:
                    shown_full.set()

        c.go.set()
        poller = asyncio.create_task(_poll_loop(teacher, "projector", out.teacher_polls, out, c.stop, board, busy))
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(c.all_joined.wait(), JOIN_TIMEOUT)
            if c.joined < students:
                out.errors.append(f"only {c.joined} of {students} students joined")
            else:
                async with busy:
                    run = await teacher.run(**{LIVE_ASK: True})
                out.errors.extend(f"projector ask: {p}" for p in _problems(run))
                c.asked_at = time.perf_counter()
                c.asked.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(c.all_answered.wait(), LIVE_GRACE)
                with contextlib.suppress(TimeoutError):  # the projector's next polls count the last answers
                    await asyncio.wait_for(shown_full.wait(), PROJECTOR_GRACE)
                if out.projector_count != full:
                    out.errors.append(f"the projector shows {out.projector_count!r}, not {full!r}")
        finally:
            c.stop.set()
            await poller
            await asyncio.gather(*tasks, return_exceptions=True)
    status = await asyncio.to_thread(store.status, new.code, new.teacher_key)
    check_store(out, [a for a in status.answers if a.number == 1])
    return out


def check_store(out: LiveRun, given: list) -> None:
    """Every answer a student clicked is in the store once, as picked (acumap.classroom.Answer rows)."""
    out.stored = len(given)
    names = [a.nickname for a in given]
    out.doubled = len(names) - len(set(names))
    held = {a.nickname: a.text for a in given}
    out.lost = [name for name, label in out.picked.items() if held.get(name) != label]
    if out.lost:
        out.errors.append(f"{len(out.lost)} answers lost or wrong in the store: {', '.join(out.lost[:5])}")
    if out.doubled:
        out.errors.append(f"{out.doubled} answers held twice")
