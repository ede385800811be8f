"""The live class store (acumap.classroom) against real databases: every test runs on SQLite and on a
private PostgreSQL from Debian's package (tests/support/postgres.py). Nothing is mocked."""

from __future__ import annotations

import csv
import hashlib
import io
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from acumap.classroom import ClassError, Classroom, StoreError, codes, join_qr_svg
from acumap.classroom import schema as t
from acumap.classroom.codes import ALPHABET, CODE_LENGTH, NICKNAME_MAX
from acumap.classroom.store import round_questions
from acumap.teach.quiz import CLICK, Question
from tests.support.classdb import Clock, clock_fixture, db_url_fixture, store_fixture, stores_fixture  # noqa: F401 (fixtures)

SEED, SIZE = 7, 10


def choice_index(lang: str = "en") -> int:
    return next(i for i, q in enumerate(round_questions(lang, SEED, SIZE)) if q.kind != CLICK)


def click_index() -> int:
    return next(i for i, q in enumerate(round_questions("en", SEED, SIZE)) if q.kind == CLICK)


def wrong_key(q: Question) -> str:
    return next(c.key for c in q.choices if c.key != q.correct)


def inside(q: Question) -> tuple[float, float]:
    """A point of the drawing inside the question's zone, found on a grid."""
    for xi in range(-60, 61):
        for yi in range(0, -400, -1):
            if q.target.contains(xi / 10, yi / 10):
                return xi / 10, yi / 10
    raise AssertionError("no point inside the zone")


def rows(store: Classroom, table) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(table)).all()


def reason(exc: pytest.ExceptionInfo[ClassError]) -> str:
    assert "\n" not in str(exc.value)
    return exc.value.reason


# --- start, join, follow ------------------------------------------------------------------------
def test_a_class_has_a_short_code_a_link_and_a_key_kept_only_as_a_hash(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    assert len(new.code) == CODE_LENGTH and set(new.code) <= set(ALPHABET)
    assert new.join_url == f"http://class.test/?class={new.code}"
    [row] = rows(store, t.classes)
    assert row.key_hash == hashlib.sha256(new.teacher_key.encode()).hexdigest()
    assert new.teacher_key not in repr(tuple(row))
    assert len(new.teacher_key) >= 32
    # Look-alikes are left out of the alphabet, and codes differ.
    assert not set("0O1IL2Z5S8BUVDQ6G") & set(ALPHABET)
    assert len({store.create_class().code for _ in range(20)}) == 20


def test_codes_are_read_without_regard_to_case_or_spaces(store: Classroom) -> None:
    new = store.create_class()
    typed = " ".join([new.code[:3].lower(), new.code[3:]])
    assert store.join(typed, "a").code == new.code


def test_a_student_follows_the_teacher_from_another_server(stores: Callable[..., Classroom]) -> None:
    teacher_side, student_side = stores(), stores()  # two servers on one database
    new = teacher_side.create_class(lang="ru", seed=SEED)
    me = student_side.join(new.code, "Маша")
    assert student_side.view(new.code).step is None
    assert student_side.view(new.code).lang == "ru"
    teacher_side.set_step(new.code, new.teacher_key, 3, "thoracic", "sedative", "II", "ru")
    seen = student_side.view(new.code, me.student_key)
    assert (seen.step.step, seen.step.region, seen.step.method, seen.step.stage, seen.step.lang) == \
        (3, "thoracic", "sedative", "II", "ru")
    teacher_side.set_step(new.code, new.teacher_key, 4, "lumbar", "exciting", "IV", "en")
    assert student_side.view(new.code).step.region == "lumbar"
    assert seen.poll_seconds <= 3
    assert seen.students == 1


def test_a_student_back_by_their_seat_on_another_server_keeps_number_name_and_answers(
        stores: Callable[..., Classroom]) -> None:
    dead, alive = stores(), stores()  # the student's server goes; the page reconnects to the other one
    new = alive.create_class(seed=SEED)
    ann, bo = dead.join(new.code, "Ann"), dead.join(new.code, "Bo")
    spent = alive.rejoin(new.code, ann.student_key)
    with pytest.raises(ClassError) as exc:
        alive.view(new.code, ann.student_key)  # before any question too
    assert reason(exc) == "student.unknown"
    ann = spent
    idx = choice_index()
    alive.ask(new.code, new.teacher_key, idx)
    q = round_questions("en", SEED, SIZE)[idx]
    dead.answer(new.code, bo.student_key, 1, q.correct)
    back = alive.rejoin(new.code, bo.student_key)
    assert (back.code, back.number, back.nickname) == (new.code, 2, "Bo")
    assert back.student_key != bo.student_key
    assert alive.view(new.code, back.student_key).mine == q.correct  # their answer is still theirs
    assert alive.view(new.code).students == 2  # no new student
    alive.answer(new.code, back.student_key, 1, wrong_key(q))  # answering again replaces it, as before
    assert [(s.nickname, s.answered) for s in alive.scores(new.code, new.teacher_key)] == [("Ann", 0), ("Bo", 1)]
    # The old key is spent: a second phone on the same seat link leaves the first one told to join again.
    for call in (lambda: alive.view(new.code, bo.student_key), lambda: alive.rejoin(new.code, bo.student_key),
                 lambda: alive.answer(new.code, bo.student_key, 1, q.correct)):
        with pytest.raises(ClassError) as exc:
            call()
        assert reason(exc) == "student.unknown"
    with pytest.raises(ClassError) as exc:
        alive.rejoin(new.code, ann.student_key + "x")
    assert reason(exc) == "student.unknown"
    alive.end(new.code, new.teacher_key)
    with pytest.raises(ClassError) as exc:
        alive.rejoin(new.code, ann.student_key)
    assert reason(exc) == "class.ended"


def test_a_bad_step_is_refused(store: Classroom) -> None:
    new = store.create_class()
    for args in [(0, "neck", "sedative", "II"), (0, "lumbar", "both", "II"), (0, "lumbar", "sedative", "V"),
                 (-1, "lumbar", "sedative", "II")]:
        with pytest.raises(ClassError) as exc:
            store.set_step(new.code, new.teacher_key, *args)
        assert reason(exc) == "step.bad"
    assert rows(store, t.steps) == []


def test_a_bad_language_seed_or_round_size_is_refused(store: Classroom) -> None:
    for kwargs, why in [({"lang": "de"}, "class.lang"), ({"lang": "<b>"}, "class.lang"),
                        ({"seed": -1}, "class.seed"), ({"seed": 10**10}, "class.seed"), ({"seed": "7"}, "class.seed"),
                        ({"size": 0}, "class.size"), ({"size": 51}, "class.size")]:
        with pytest.raises(ClassError) as exc:
            store.create_class(**kwargs)
        assert reason(exc) == why
    assert rows(store, t.classes) == []


# --- ask, answer, reveal -------------------------------------------------------------------------
def test_a_question_round_trip_with_scores_and_csv(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    ann, bob = store.join(new.code, "Ann"), store.join(new.code, "=HYPERLINK(\"x\")")
    idx = choice_index()
    asked = store.ask(new.code, new.teacher_key, idx)
    q = round_questions("en", SEED, SIZE)[idx]
    assert asked.question_id == q.id and asked.number == 1 and asked.accepts_answers
    assert store.answer(new.code, ann.student_key, 1, q.correct) is True
    assert store.answer(new.code, bob.student_key, 1, wrong_key(q)) is False
    assert store.view(new.code).answered == 2
    assert store.view(new.code, ann.student_key).mine == q.correct
    shown = store.reveal(new.code, new.teacher_key)
    assert shown.answered == 2 and shown.right == 1
    assert {s.key: s.count for s in shown.shares}[q.correct] == 1
    assert [s.key for s in shown.shares if s.right] == [q.correct]
    assert shown.question.cites == q.cites
    scores = store.scores(new.code, new.teacher_key)
    assert [(s.nickname, s.right, s.answered) for s in scores] == [("Ann", 1, 1), ("=HYPERLINK(\"x\")", 0, 1)]
    table = list(csv.DictReader(io.StringIO(store.results_csv(new.code, new.teacher_key))))
    assert [r["nickname"] for r in table] == ["Ann", "'=HYPERLINK(\"x\")"]  # no formula for a spreadsheet
    assert [r["correct"] for r in table] == ["yes", "no"]
    assert table[0]["question"] == q.prompt
    assert table[0]["answer"] == next(c.text for c in q.choices if c.key == q.correct)


def test_the_next_question_follows_and_the_round_ends(store: Classroom) -> None:
    new = store.create_class(seed=SEED, size=2)
    assert store.ask(new.code, new.teacher_key).index == 0
    assert store.ask(new.code, new.teacher_key).index == 1
    with pytest.raises(ClassError) as exc:
        store.ask(new.code, new.teacher_key)
    assert reason(exc) == "question.none_left"


def test_a_click_question_is_scored_by_the_quiz(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    ann, bob = store.join(new.code), store.join(new.code)
    idx = click_index()
    store.ask(new.code, new.teacher_key, idx)
    q = round_questions("en", SEED, SIZE)[idx]
    assert store.answer(new.code, ann.student_key, 1, inside(q)) is True
    assert store.answer(new.code, bob.student_key, 1, (40.0, 5.0)) is False
    with pytest.raises(ClassError) as exc:
        store.answer(new.code, bob.student_key, 1, "A")
    assert reason(exc) == "answer.bad"
    shown = store.reveal(new.code, new.teacher_key)
    assert [(s.key, s.count) for s in shown.shares] == [("right", 1), ("wrong", 1)]
    assert sorted(c[2] for c in shown.clicks) == [False, True]


def test_the_same_student_answering_twice_counts_once_the_last_answer(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    me = store.join(new.code, "twice")
    idx = choice_index()
    q = round_questions("en", SEED, SIZE)[idx]
    store.ask(new.code, new.teacher_key, idx)
    store.answer(new.code, me.student_key, 1, wrong_key(q))
    store.answer(new.code, me.student_key, 1, q.correct)
    assert len(rows(store, t.answers)) == 1
    shown = store.reveal(new.code, new.teacher_key)
    assert shown.answered == 1 and shown.right == 1


def test_answers_after_the_reveal_or_after_the_next_question_are_refused(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    me, late = store.join(new.code), store.join(new.code)
    idx = choice_index()
    q = round_questions("en", SEED, SIZE)[idx]
    store.ask(new.code, new.teacher_key, idx)
    store.answer(new.code, me.student_key, 1, q.correct)
    store.reveal(new.code, new.teacher_key)
    for student, given in ((me, wrong_key(q)), (late, q.correct)):
        with pytest.raises(ClassError) as exc:
            store.answer(new.code, student.student_key, 1, given)
        assert reason(exc) == "answer.revealed"
        assert "revealed" in str(exc.value)
    assert [(a.choice, a.correct) for a in store.answers(new.code, new.teacher_key)] == [(q.correct, True)]
    store.ask(new.code, new.teacher_key)  # question 2, left open, then question 3 closes it
    store.ask(new.code, new.teacher_key)
    with pytest.raises(ClassError) as exc:
        store.answer(new.code, late.student_key, 2, round_questions("en", SEED, SIZE)[idx + 1].choices[0].key
                     if round_questions("en", SEED, SIZE)[idx + 1].choices else (0.0, 0.0))
    assert reason(exc) == "answer.closed"
    with pytest.raises(ClassError) as exc:
        store.answer(new.code, late.student_key, 9, "A")
    assert reason(exc) == "question.unknown"


def test_a_choice_from_elsewhere_or_a_stranger_is_refused(store: Classroom) -> None:
    new, other = store.create_class(seed=SEED), store.create_class(seed=SEED)
    me, stranger = store.join(new.code), store.join(other.code)
    idx = choice_index()
    store.ask(new.code, new.teacher_key, idx)
    for given in ("no such choice", (1.0, 2.0), "x" * 10_000):
        with pytest.raises(ClassError) as exc:
            store.answer(new.code, me.student_key, 1, given)
        assert reason(exc) == "answer.bad"
        assert len(str(exc.value)) < 200
    for key in (stranger.student_key, "", "forged"):
        with pytest.raises(ClassError) as exc:
            store.answer(new.code, key, 1, "A")
        assert reason(exc) == "student.unknown"
    assert rows(store, t.answers) == []


# --- bad input and abuse ------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["", "ABC", "0OIL12", "AAAAAAA", "<b>AC</b>", "x" * 10_000, "ÄCEFHJ"])
def test_a_malformed_code_is_said_so(store: Classroom, code: str) -> None:
    for call in (lambda: store.view(code), lambda: store.join(code, "a")):
        with pytest.raises(ClassError) as exc:
            call()
        assert reason(exc) == "code.malformed"
        assert len(str(exc.value)) < 120


def test_an_unknown_code_is_said_so(store: Classroom) -> None:
    store.create_class()
    code = next(c for c in ("ACEFHJ", "KMNPRT") if rows(store, t.classes)[0].code != c)
    for call in (lambda: store.view(code), lambda: store.join(code), lambda: store.status(code, "k")):
        with pytest.raises(ClassError) as exc:
            call()
        assert reason(exc) == "class.unknown"
        assert str(exc.value) == f"there is no class {code}"


def test_a_wrong_teacher_key_gets_no_step_question_reveal_or_results(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    me = store.join(new.code)
    store.ask(new.code, new.teacher_key, choice_index())
    calls = {
        "step": lambda k: store.set_step(new.code, k, 1, "lumbar", "sedative", "II"),
        "ask": lambda k: store.ask(new.code, k),
        "reveal": lambda k: store.reveal(new.code, k),
        "status": lambda k: store.status(new.code, k),
        "results": lambda k: store.results_csv(new.code, k),
        "scores": lambda k: store.scores(new.code, k),
        "end": lambda k: store.end(new.code, k),
        "delete": lambda k: store.delete_class(new.code, k),
    }
    for name, call in calls.items():
        for key in ("", new.teacher_key[:-1], new.teacher_key + "x", me.student_key, None):
            with pytest.raises(ClassError) as exc:
                call(key)
            assert reason(exc) == "key.wrong", name
    status = store.status(new.code, new.teacher_key)
    assert status.state == "open" and status.step is None and not status.question.revealed
    assert len(rows(store, t.questions)) == 1


@pytest.mark.parametrize("nick", [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "**bold** _it_ [link](javascript:alert(1)) # head",
    "\u202eevil\u202c \u200f\u05e9\u05dc\u05d5\u05dd\u200e",
    "x" * 10_240,
])
def test_a_nickname_is_stored_literally_cut_to_a_length(store: Classroom, nick: str) -> None:
    new = store.create_class()
    me = store.join(new.code, nick)
    assert me.nickname == nick[:NICKNAME_MAX]
    [s] = store.status(new.code, new.teacher_key).students
    assert s.nickname == nick[:NICKNAME_MAX]
    assert rows(store, t.students)[0].nickname == nick[:NICKNAME_MAX]


def test_an_ended_class_tells_a_student_so_and_keeps_its_results_for_the_teacher(store: Classroom) -> None:
    new = store.create_class(seed=SEED)
    me = store.join(new.code, "a")
    store.ask(new.code, new.teacher_key, choice_index())
    store.end(new.code, new.teacher_key)
    for call in (lambda: store.view(new.code), lambda: store.join(new.code),
                 lambda: store.answer(new.code, me.student_key, 1, "A"),
                 lambda: store.ask(new.code, new.teacher_key),
                 lambda: store.set_step(new.code, new.teacher_key, 0, "lumbar", "sedative", "II")):
        with pytest.raises(ClassError) as exc:
            call()
        assert reason(exc) == "class.ended"
        assert str(exc.value) == f"class {new.code} has ended"
    assert store.status(new.code, new.teacher_key).state == "ended"
    assert store.results_csv(new.code, new.teacher_key).startswith("student,nickname,number,question,answer,correct")


def test_a_class_expires_after_the_expiry_period(stores: Callable[..., Classroom], clock: Clock) -> None:
    store = stores(expiry_hours=12.0)
    new = store.create_class()
    clock.now += 12 * 3600 - 1
    store.join(new.code)
    clock.now += 2
    with pytest.raises(ClassError) as exc:
        store.view(new.code)
    assert reason(exc) == "class.expired"
    assert store.status(new.code, new.teacher_key).state == "expired"


def test_a_full_class_says_so(stores: Callable[..., Classroom]) -> None:
    store = stores(size_limit=3)
    new = store.create_class()
    for i in range(3):
        store.join(new.code, f"s{i}")
    with pytest.raises(ClassError) as exc:
        store.join(new.code, "one too many")
    assert reason(exc) == "class.full"
    assert "full (3 students)" in str(exc.value)
    assert len(rows(store, t.students)) == 3


def test_joins_at_once_never_pass_the_size_limit(stores: Callable[..., Classroom]) -> None:
    limit, tries = 10, 25
    servers = [stores(size_limit=limit) for _ in range(tries)]
    new = servers[0].create_class()
    outcomes: list[str] = []
    start = threading.Barrier(tries)

    def go(server: Classroom) -> None:
        start.wait()
        try:
            server.join(new.code)
            outcomes.append("joined")
        except ClassError as exc:
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=go, args=(s,)) for s in servers]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(outcomes).count("joined") == limit
    assert outcomes.count("class.full") == tries - limit
    numbers = sorted(r.number for r in rows(servers[0], t.students))
    assert numbers == list(range(1, limit + 1))


def test_sixty_answers_within_a_second_none_lost(stores: Callable[..., Classroom]) -> None:
    n = 60
    teacher = stores()
    new = teacher.create_class(seed=SEED)
    idx = choice_index()
    q = round_questions("en", SEED, SIZE)[idx]
    students = [teacher.join(new.code, f"s{i}") for i in range(n)]
    teacher.ask(new.code, new.teacher_key, idx)
    servers = [stores() for _ in range(n)]  # each thread on its own connection pool
    start = threading.Barrier(n)
    errors: list[BaseException] = []
    keys = [c.key for c in q.choices]

    def go(i: int) -> None:
        start.wait()
        try:
            servers[i].answer(new.code, students[i].student_key, 1, keys[i % len(keys)])
        except BaseException as exc:  # noqa: BLE001 - any failure is a lost answer
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    began = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    took = time.monotonic() - began
    assert errors == []
    shown = teacher.reveal(new.code, new.teacher_key)
    assert shown.answered == n
    assert sum(s.count for s in shown.shares) == n
    assert len(rows(teacher, t.answers)) == n
    assert took < 30, f"60 answers took {took:.1f} s"


def test_answers_racing_a_reveal_are_counted_or_refused_never_lost(stores: Callable[..., Classroom]) -> None:
    n = 30
    teacher = stores()
    new = teacher.create_class(seed=SEED)
    idx = choice_index()
    q = round_questions("en", SEED, SIZE)[idx]
    students = [teacher.join(new.code) for _ in range(n)]
    teacher.ask(new.code, new.teacher_key, idx)
    servers = [stores() for _ in range(n + 1)]
    start = threading.Barrier(n + 1)
    accepted: list[int] = []
    refused: list[int] = []
    shown = []

    def student(i: int) -> None:
        start.wait()
        try:
            servers[i].answer(new.code, students[i].student_key, 1, q.correct)
            accepted.append(i)
        except ClassError as exc:
            assert exc.reason == "answer.revealed"
            refused.append(i)

    def reveal() -> None:
        start.wait()
        shown.append(servers[n].reveal(new.code, new.teacher_key))

    threads = [threading.Thread(target=student, args=(i,)) for i in range(n)] + [threading.Thread(target=reveal)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert len(accepted) + len(refused) == n
    # The reveal's count is final: every accepted answer is in it and nothing came after it.
    assert shown[0].answered == len(accepted) == len(rows(teacher, t.answers))


# --- end, delete, retention ---------------------------------------------------------------------
def test_the_teacher_deletes_a_class_at_once(store: Classroom) -> None:
    new, kept = store.create_class(seed=SEED), store.create_class(seed=SEED)
    me = store.join(new.code)
    store.join(kept.code)
    store.set_step(new.code, new.teacher_key, 0, "lumbar", "sedative", "II")
    store.ask(new.code, new.teacher_key, choice_index())
    store.answer(new.code, me.student_key, 1, round_questions("en", SEED, SIZE)[choice_index()].correct)
    store.delete_class(new.code, new.teacher_key)
    with pytest.raises(ClassError) as exc:
        store.view(new.code)
    assert reason(exc) == "class.unknown"
    assert [r.code for r in rows(store, t.classes)] == [kept.code]
    assert len(rows(store, t.students)) == 1
    assert rows(store, t.steps) == rows(store, t.questions) == rows(store, t.answers) == []


def test_classes_past_the_retention_period_are_deleted(stores: Callable[..., Classroom], clock: Clock) -> None:
    store = stores(retention_days=7.0)
    old = store.create_class(seed=SEED)
    me = store.join(old.code)
    store.ask(old.code, old.teacher_key, choice_index())
    store.answer(old.code, me.student_key, 1, round_questions("en", SEED, SIZE)[choice_index()].correct)
    clock.now += 3 * 86400
    younger = store.create_class()
    clock.now += 4 * 86400 + 1
    assert store.purge() == 1
    assert [r.code for r in rows(store, t.classes)] == [younger.code]
    assert rows(store, t.students) == rows(store, t.questions) == rows(store, t.answers) == []
    clock.now += 3 * 86400 + 1
    stores(retention_days=7.0)  # opening a store purges too
    assert rows(store, t.classes) == []


# --- the database ---------------------------------------------------------------------------------
def test_a_schema_of_another_version_is_refused_with_a_clear_message(stores: Callable[..., Classroom]) -> None:
    store = stores()
    with store.engine.begin() as conn:
        conn.execute(update(t.meta).where(t.meta.c.name == "schema_version").values(value="99"))
    with pytest.raises(StoreError) as exc:
        stores()
    assert reason(exc) == "store.schema"
    assert "schema version 99" in str(exc.value) and f"needs version {t.SCHEMA_VERSION}" in str(exc.value)


def test_opening_the_same_database_twice_keeps_its_classes(stores: Callable[..., Classroom]) -> None:
    new = stores().create_class()
    assert stores().view(new.code).code == new.code


def test_the_qr_code_holds_the_join_link_as_svg(store: Classroom) -> None:
    new = store.create_class()
    svg = join_qr_svg(new.join_url)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg != join_qr_svg(new.join_url + "X")


def test_a_key_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    # `python -m acumap class status CODE --key KEY` took a key starting with "-" for an option (seen as a
    # 1-in-64 failure of tests/test_classroom_cli.py); the draw that gave one is drawn again.
    drawn = iter(["-starts-with-a-dash", "Ok-key"])
    monkeypatch.setattr(codes.secrets, "token_urlsafe", lambda n: next(drawn))
    assert codes.new_key() == "Ok-key"
