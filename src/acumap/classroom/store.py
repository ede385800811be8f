"""The class store: classes, students, the teacher's steps, questions and answers, over SQLAlchemy Core.

One Classroom object per server process (it holds a connection pool); every call is one transaction,
so a call that fails writes nothing. The teacher's calls take the teacher key; a student's calls take
the student key `join` handed out. Screens poll `view` every `settings.poll_seconds`.

Concurrency: an answer holds a shared lock on its question row (PostgreSQL) while it checks that the
question is still open and writes, and a reveal updates that row, so no answer slips in after a
reveal; joins lock the class row, so the size limit holds. SQLite allows one writer at a time: writers
in one process queue on a lock of their own (SQLite's busy wait sleeps up to 100 ms a try, which made a
burst of 60 answers take seconds), and BEGIN IMMEDIATE with a busy timeout covers another process;
WAL lets readers go on while a writer writes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from acumap.classroom import codes
from acumap.classroom import schema as t
from acumap.classroom.errors import ClassError, StoreError
from acumap.classroom.models import (
    Answer,
    AskedQuestion,
    ClassView,
    Joined,
    NewClass,
    Reveal,
    Score,
    Share,
    Status,
    Step,
    StudentInfo,
)
from acumap.classroom.once import once
from acumap.classroom.settings import Settings, load_settings
from acumap.data.loading import Knowledge, load_knowledge
from acumap.plan.planner import choices
from acumap.teach.links import LANGS
from acumap.teach.quiz import CLICK, Question, make_quiz, score

ROUND_SIZE = 10  # questions in a class's round, as in quiz mode
MAX_SEED = 999_999_999  # the quiz's seeds have up to 9 digits (links.MAX_SEED_DIGITS)
CODE_TRIES = 20  # fresh codes tried before giving up (20^6 codes: a clash is rare)
SCHEMA_LOCK = 0x6163756D6170  # "acumap": the advisory lock held while the tables are checked or made
CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so


_SQLITE_WRITERS: dict[str, threading.Lock] = {}  # one lock per SQLite file, shared by the stores of a process
_SQLITE_WRITERS_LOCK = threading.Lock()


def _sqlite_writer(path: str) -> threading.Lock:
    with _SQLITE_WRITERS_LOCK:
        return _SQLITE_WRITERS.setdefault(path, threading.Lock())


@once(maxsize=4)
def knowledge(lang: str) -> Knowledge:
    return load_knowledge(lang=lang)


@once(maxsize=32)
def round_questions(lang: str, seed: int, size: int) -> tuple[Question, ...]:
    """The quiz round a class asks from: the same seed and size give the same questions."""
    return tuple(make_quiz(knowledge(lang), seed, size))


def _unavailable(exc: Exception, where: str) -> StoreError:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    return StoreError("store.unavailable", f"the class database ({where}) is unavailable: {first[:200]}")


class Classroom:
    def __init__(self, settings: Settings | None = None, clock: Callable[[], float] = time.time):
        self.settings = settings or load_settings()
        self.clock = clock
        url = make_url(self.settings.db_url)
        self.where = url.render_as_string(hide_password=True)
        self._writer = _sqlite_writer(str(Path(url.database or "").resolve())) if self.settings.is_sqlite else None
        self.engine = self._engine()
        self._check_schema()

    # --- opening ----------------------------------------------------------------------------------
    def _engine(self) -> Engine:
        s = self.settings
        if s.is_sqlite:
            path = make_url(s.db_url).database
            if path and path != ":memory:":
                try:
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError("store.unavailable",
                                     f"the class database folder {Path(path).parent} cannot be made: "
                                     f"{exc.strerror or exc}") from exc
            engine = create_engine(s.db_url, connect_args={"timeout": s.db_timeout, "check_same_thread": False})
            busy_ms = int(s.db_timeout * 1000)

            @event.listens_for(engine, "connect")
            def _connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below starts transactions
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.execute("PRAGMA journal_mode = WAL")
                # In WAL mode NORMAL loses no committed write when the process dies, only at a power cut
                # (the last few); FULL waits for the disk at every answer.
                cur.execute("PRAGMA synchronous = NORMAL")
                cur.close()

            @event.listens_for(engine, "begin")
            def _begin(conn: Connection) -> None:
                # A writer takes the lock at the start, so two writers never both read and then collide.
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

            return engine
        return create_engine(s.db_url, pool_pre_ping=True,
                             connect_args={"connect_timeout": max(1, int(s.db_timeout))})

    @contextlib.contextmanager
    def _tx(self, write: bool = True) -> Iterator[Connection]:
        """One transaction; any database failure becomes one StoreError and the transaction is rolled back."""
        try:
            with self._queue(write), self.engine.connect() as conn:
                conn.execution_options(write=write)
                with conn.begin():
                    yield conn
        except ClassError:
            raise
        except DBAPIError as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise _unavailable(exc, self.where) from exc
        except SQLAlchemyError as exc:
            raise _unavailable(exc, self.where) from exc

    @contextlib.contextmanager
    def _queue(self, write: bool) -> Iterator[None]:
        if not write or self._writer is None:
            yield
            return
        if not self._writer.acquire(timeout=self.settings.db_timeout):
            raise StoreError("store.unavailable", f"the class database ({self.where}) is unavailable: "
                             f"busy for more than {self.settings.db_timeout:g} s")
        try:
            yield
        finally:
            self._writer.release()

    def _check_schema(self) -> None:
        with self._tx() as conn:
            if conn.dialect.name == "postgresql":
                # Servers starting together: one makes the tables, the others wait and then find them.
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            if not conn.dialect.has_table(conn, t.meta.name):
                t.metadata.create_all(conn)
                conn.execute(insert(t.meta).values(name="schema_version", value=str(t.SCHEMA_VERSION)))
                return
            found = conn.execute(select(t.meta.c.value).where(t.meta.c.name == "schema_version")).scalar()
        if found != str(t.SCHEMA_VERSION):
            raise StoreError("store.schema", f"the class database ({self.where}) has schema version {found}; "
                             f"this acumap needs version {t.SCHEMA_VERSION}: point ACUMAP_CLASS_DB_URL at a "
                             f"new database or delete the old one")
        self.purge()

    def close(self) -> None:
        self.engine.dispose()

    # --- the teacher ------------------------------------------------------------------------------
    def create_class(self, lang: str = "en", seed: int | None = None, size: int = ROUND_SIZE) -> NewClass:
        """A new class: its join code, join link and the teacher key (shown once; only its hash is kept)."""
        if lang not in LANGS:
            raise ClassError("class.lang", f"unknown language '{str(lang)[:20]}' (choose from {', '.join(LANGS)})")
        seed = secrets.randbelow(MAX_SEED) + 1 if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise ClassError("class.seed", f"the quiz seed must be a whole number from 0 to {MAX_SEED}")
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 50:
            raise ClassError("class.size", "a round has 1 to 50 questions")
        self.purge()
        key = codes.new_key()
        now = self.clock()
        for _ in range(CODE_TRIES):
            code = codes.new_code()
            try:
                with self._tx() as conn:
                    conn.execute(insert(t.classes).values(
                        code=code, key_hash=codes.key_hash(key), lang=lang, seed=seed, size=size, joined=0,
                        created_at=now, expires_at=now + self.settings.expiry_hours * 3600))
            except IntegrityError:
                continue  # the code is taken: draw another
            return NewClass(code, key, self.join_url(code), now + self.settings.expiry_hours * 3600)
        raise StoreError("store.codes", "no free class code was found; try again")

    def join_url(self, code: str) -> str:
        return f"{self.settings.public_url}/?class={code}"

    def set_step(self, code: str, key: str, step: int, region: str, method: str, stage: str,
                 lang: str | None = None) -> Step:
        """The presenter's view, for every student to follow."""
        lang = lang or "en"
        valid = choices(knowledge("en"))
        for name, value in (("region", region), ("method", method), ("stage", stage)):
            if value not in valid[name]:
                raise ClassError("step.bad",
                                 f"unknown {name} '{str(value)[:20]}' (choose from {', '.join(valid[name])})")
        if lang not in LANGS:
            raise ClassError("step.bad", f"unknown language '{str(lang)[:20]}' (choose from {', '.join(LANGS)})")
        if isinstance(step, bool) or not isinstance(step, int) or step < 0:
            raise ClassError("step.bad", "a step is a whole number, 0 or more")
        with self._tx() as conn:
            row = self._teacher(conn, code, key, open_only=True)
            now = self.clock()
            conn.execute(insert(t.steps).values(class_id=row.id, step=step, region=region, method=method,
                                                stage=stage, lang=lang, at=now))
        return Step(step, region, method, stage, lang, now)

    def ask(self, code: str, key: str, index: int | None = None) -> AskedQuestion:
        """Launch question `index` of the class's round (None: the one after the last asked). A question
        still open is closed: answers to it are refused from now on."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key, open_only=True, lock=True)
            last = conn.execute(select(t.questions).where(t.questions.c.class_id == row.id)
                                .order_by(t.questions.c.number.desc()).limit(1)).first()
            if index is None:
                index = 0 if last is None else last.idx + 1
            lang = self._lang(conn, row)
            qs = round_questions(lang, row.seed, row.size)
            if not 0 <= index < len(qs):
                raise ClassError("question.none_left" if index >= len(qs) else "question.bad",
                                 f"the round has questions 1 to {len(qs)}; there is no question {index + 1}")
            now = self.clock()
            if last is not None and last.revealed_at is None and last.closed_at is None:
                conn.execute(update(t.questions).where(t.questions.c.id == last.id).values(closed_at=now))
            number = 1 if last is None else last.number + 1
            conn.execute(insert(t.questions).values(
                class_id=row.id, number=number, seed=row.seed, size=row.size, idx=index, lang=lang,
                question_id=qs[index].id, asked_at=now))
        return AskedQuestion(number, index, row.seed, row.size, lang, qs[index].id, now, False, False)

    def reveal(self, code: str, key: str) -> Reveal:
        """Close the current question to answers and give its distribution, right answer and article lines."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key, open_only=True)
            q = self._current_question(conn, row.id)
            if q is None:
                raise ClassError("question.none", "no question has been asked yet")
            if q.closed_at is not None:
                raise ClassError("question.closed", f"question {q.number} was closed by the next one")
            if q.revealed_at is None:
                # Updating the row waits for answers holding their shared lock, and later answers see it.
                conn.execute(update(t.questions).where(t.questions.c.id == q.id).values(revealed_at=self.clock()))
            rows = conn.execute(select(t.answers).where(t.answers.c.question_id == q.id)).all()
        question = self._question(q)
        shares: tuple[Share, ...]
        if question.target is not None:
            shares = (Share("right", question.correct_text, sum(r.is_right for r in rows), True),
                      Share("wrong", "", sum(not r.is_right for r in rows), False))
        else:
            counts = {c.key: 0 for c in question.choices}
            for r in rows:
                counts[r.choice] = counts.get(r.choice, 0) + 1
            shares = tuple(Share(c.key, c.text, counts[c.key], c.key == question.correct) for c in question.choices)
        clicks = tuple((r.x, r.y, bool(r.is_right)) for r in rows if r.choice is None)
        return Reveal(self._asked(q, True), question, len(rows), sum(r.is_right for r in rows), shares, clicks)

    def end(self, code: str, key: str) -> None:
        """Close the class: students are told so; the teacher can still read and download the results."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key)
            if row.ended_at is None:
                conn.execute(update(t.classes).where(t.classes.c.id == row.id).values(ended_at=self.clock()))

    def delete_class(self, code: str, key: str) -> None:
        """Delete the class and everything in it at once."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key)
            self._delete(conn, [row.id])

    def status(self, code: str, key: str) -> Status:
        with self._tx(write=False) as conn:
            row = self._teacher(conn, code, key)
            studs = self._students(conn, row.id)
            step = self._step(conn, row.id)
            q = self._current_question(conn, row.id)
            answered = self._answered(conn, q.id) if q is not None else 0
            given = self._answers(conn, row.id)
        return Status(row.code, self._state(row), row.lang, row.seed, row.created_at, row.expires_at, row.ended_at,
                      studs, step, self._asked(q) if q is not None else None,
                      self._question(q).prompt if q is not None else None, answered, given)

    def answers(self, code: str, key: str) -> tuple[Answer, ...]:
        with self._tx(write=False) as conn:
            row = self._teacher(conn, code, key)
            return self._answers(conn, row.id)

    def scores(self, code: str, key: str) -> tuple[Score, ...]:
        """Every student, most right answers first (then fewest answered, then who joined first)."""
        status = self.status(code, key)
        right: dict[int, int] = {}
        asked: dict[int, int] = {}
        for a in status.answers:
            asked[a.student] = asked.get(a.student, 0) + 1
            right[a.student] = right.get(a.student, 0) + a.correct
        out = [Score(s.number, s.nickname, right.get(s.number, 0), asked.get(s.number, 0)) for s in status.students]
        return tuple(sorted(out, key=lambda sc: (-sc.right, sc.answered, sc.number)))

    def results_csv(self, code: str, key: str) -> str:
        """One row per answer: student number, nickname, question number and words, the answer, right or not.
        A cell a spreadsheet would take for a formula gets a leading apostrophe."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["student", "nickname", "number", "question", "answer", "correct"])
        for a in self.answers(code, key):
            writer.writerow([a.student, _cell(a.nickname), a.number, _cell(a.prompt), _cell(a.text),
                             "yes" if a.correct else "no"])
        return buf.getvalue()

    # --- a student --------------------------------------------------------------------------------
    def join(self, code: str, nickname: str | None = None) -> Joined:
        """A student joins: no personal data, an optional nickname kept as typed (cut to a length)."""
        name = codes.nickname(nickname)
        key = codes.new_key()
        with self._tx() as conn:
            row = self._class(conn, code, open_only=True, lock=True)
            if row.joined >= self.settings.size_limit:
                raise ClassError("class.full", f"class {row.code} is full ({self.settings.size_limit} students)")
            number = row.joined + 1
            conn.execute(update(t.classes).where(t.classes.c.id == row.id).values(joined=number))
            conn.execute(insert(t.students).values(class_id=row.id, number=number, nickname=name,
                                                   key_hash=codes.key_hash(key), joined_at=self.clock()))
        return Joined(row.code, key, number, name)

    def rejoin(self, code: str, student_key: str) -> Joined:
        """A student comes back by their seat link (a reload, or their server gone and the page reconnected to
        another): the same number, nickname and answers, under a new key. The old key stops working, so a
        second device that opened the same link leaves the first one told to join again, never two phones
        answering as one student unnoticed."""
        key = codes.new_key()
        with self._tx() as conn:
            row = self._class(conn, code, open_only=True, lock=True)
            stud = self._student(conn, row.id, student_key)
            conn.execute(update(t.students).where(t.students.c.id == stud.id).values(key_hash=codes.key_hash(key)))
        return Joined(row.code, key, stud.number, stud.nickname)

    def view(self, code: str, student_key: str | None = None) -> ClassView:
        """What a student's screen shows: the teacher's step and question, how many answered, and (with the
        student key) this student's own answer to it. A closed or expired class raises ClassError, and so
        does a student key the class does not know (never joined, or spent by a rejoin)."""
        with self._tx(write=False) as conn:
            row = self._class(conn, code, open_only=True)
            step = self._step(conn, row.id)
            q = self._current_question(conn, row.id)
            answered = self._answered(conn, q.id) if q is not None else 0
            mine = None
            stud = self._student(conn, row.id, student_key) if student_key else None  # a spent key says so
            if q is not None and stud is not None:
                a = conn.execute(select(t.answers).where(t.answers.c.question_id == q.id,
                                                         t.answers.c.student_id == stud.id)).first()
                if a is not None:
                    mine = a.choice if a.choice is not None else (a.x, a.y)
            joined = row.joined
        return ClassView(row.code, row.lang, step, self._asked(q) if q is not None else None, answered, joined,
                         mine, self.settings.poll_seconds)

    def answer(self, code: str, student_key: str, number: int, given: str | tuple[float, float]) -> bool:
        """Record a student's answer to question `number` (the one on their screen): a choice's key, or a
        click (x, y). Answering again before the reveal replaces the answer. Returns whether it is right;
        refused once the question is revealed or closed."""
        with self._tx() as conn:
            row = self._class(conn, code, open_only=True)
            stud = self._student(conn, row.id, student_key)
            q = conn.execute(select(t.questions).where(t.questions.c.class_id == row.id,
                                                       t.questions.c.number == number)
                             .with_for_update(read=True)).first()
            if q is None:
                raise ClassError("question.unknown", f"question {number} has not been asked")
            if q.revealed_at is not None:
                raise ClassError("answer.revealed", f"question {number} has been revealed: answers are closed")
            if q.closed_at is not None:
                raise ClassError("answer.closed", f"question {number} is closed: the class has moved on")
            question = self._question(q)
            if question.kind == CLICK:
                if isinstance(given, str):
                    raise ClassError("answer.bad", f"question {number} takes a click (x, y)")
                try:
                    x, y = (float(v) for v in given)
                except (TypeError, ValueError) as exc:
                    raise ClassError("answer.bad", f"question {number} takes a click (x, y)") from exc
                if not (abs(x) < 1e6 and abs(y) < 1e6):
                    raise ClassError("answer.bad", "a click lies on the drawing")
                values: dict[str, Any] = {"choice": None, "x": x, "y": y}
            else:
                if not isinstance(given, str):
                    raise ClassError("answer.bad", f"question {number} takes one of its choices")
                values = {"choice": given, "x": None, "y": None}
            try:
                right = score(question, (values["x"], values["y"]) if values["choice"] is None else given).right
            except ValueError as exc:
                raise ClassError("answer.bad", f"'{str(given)[:40]}' is not a choice of question {number}") from exc
            values.update(is_right=right, at=self.clock())
            ins = (pg_dialect.insert if conn.dialect.name == "postgresql" else sqlite_dialect.insert)(t.answers)
            conn.execute(ins.values(question_id=q.id, student_id=stud.id, **values)
                         .on_conflict_do_update(index_elements=["question_id", "student_id"], set_=values))
        return right

    # --- housekeeping -----------------------------------------------------------------------------
    def purge(self) -> int:
        """Delete classes (with their students, steps, questions and answers) older than the retention
        period; the number deleted."""
        cutoff = self.clock() - self.settings.retention_days * 86400
        with self._tx() as conn:
            ids = list(conn.execute(select(t.classes.c.id).where(t.classes.c.created_at < cutoff)).scalars())
            self._delete(conn, ids)
        return len(ids)

    # --- inside -----------------------------------------------------------------------------------
    def _delete(self, conn: Connection, ids: list[int]) -> None:
        if not ids:
            return
        qids = select(t.questions.c.id).where(t.questions.c.class_id.in_(ids))
        conn.execute(delete(t.answers).where(t.answers.c.question_id.in_(qids)))
        for table in (t.questions, t.steps, t.students):
            conn.execute(delete(table).where(table.c.class_id.in_(ids)))
        conn.execute(delete(t.classes).where(t.classes.c.id.in_(ids)))

    def _state(self, row: Any) -> str:
        if row.ended_at is not None:
            return "ended"
        return "expired" if self.clock() >= row.expires_at else "open"

    def _class(self, conn: Connection, code: str, open_only: bool = False, lock: bool = False) -> Any:
        code = codes.read_code(code)
        query = select(t.classes).where(t.classes.c.code == code)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise ClassError("class.unknown", f"there is no class {code}")
        if open_only:
            self._require_open(row)
        return row

    def _require_open(self, row: Any) -> None:
        state = self._state(row)
        if state != "open":
            raise ClassError(f"class.{state}", f"class {row.code} has {state}")

    def _teacher(self, conn: Connection, code: str, key: str, open_only: bool = False, lock: bool = False) -> Any:
        row = self._class(conn, code, lock=lock)
        if not codes.key_matches(key or "", row.key_hash):
            raise ClassError("key.wrong", f"wrong teacher key for class {row.code}")
        if open_only:
            self._require_open(row)
        return row

    def _student(self, conn: Connection, class_id: int, key: str) -> Any:
        stud = conn.execute(select(t.students).where(t.students.c.key_hash == codes.key_hash(key or ""))).first()
        if stud is None or stud.class_id != class_id:
            raise ClassError("student.unknown", "this student has not joined the class")
        return stud

    def _lang(self, conn: Connection, row: Any) -> str:
        """The language questions are asked in: the teacher's latest step's, else the class's."""
        step = self._step(conn, row.id)
        return step.lang if step is not None else row.lang

    def _step(self, conn: Connection, class_id: int) -> Step | None:
        s = conn.execute(select(t.steps).where(t.steps.c.class_id == class_id)
                         .order_by(t.steps.c.id.desc()).limit(1)).first()
        return Step(s.step, s.region, s.method, s.stage, s.lang, s.at) if s is not None else None

    def _current_question(self, conn: Connection, class_id: int) -> Any:
        return conn.execute(select(t.questions).where(t.questions.c.class_id == class_id)
                            .order_by(t.questions.c.number.desc()).limit(1)).first()

    def _answered(self, conn: Connection, question_row_id: int) -> int:
        return conn.execute(select(func.count()).select_from(t.answers)
                            .where(t.answers.c.question_id == question_row_id)).scalar_one()

    def _students(self, conn: Connection, class_id: int) -> tuple[StudentInfo, ...]:
        rows = conn.execute(select(t.students.c.number, t.students.c.nickname, t.students.c.joined_at)
                            .where(t.students.c.class_id == class_id).order_by(t.students.c.number)).all()
        return tuple(StudentInfo(r.number, r.nickname, r.joined_at) for r in rows)

    def _answers(self, conn: Connection, class_id: int) -> tuple[Answer, ...]:
        rows = conn.execute(
            select(t.answers.c.choice, t.answers.c.x, t.answers.c.y, t.answers.c.is_right, t.answers.c.at,
                   t.students.c.number.label("student"), t.students.c.nickname,
                   t.questions.c.number, t.questions.c.seed, t.questions.c.size, t.questions.c.idx,
                   t.questions.c.lang, t.questions.c.question_id)
            .join(t.students, t.students.c.id == t.answers.c.student_id)
            .join(t.questions, t.questions.c.id == t.answers.c.question_id)
            .where(t.questions.c.class_id == class_id)
            .order_by(t.questions.c.number, t.students.c.number)).all()
        out = []
        for r in rows:
            q = self._question(r)
            if r.choice is None:
                text = f"({r.x:g}, {r.y:g})"
            else:
                text = next((c.text for c in q.choices if c.key == r.choice), r.choice)
            out.append(Answer(r.student, r.nickname, r.number, r.question_id, q.prompt, r.choice,
                              (r.x, r.y) if r.choice is None else None, text, bool(r.is_right), r.at))
        return tuple(out)

    def _question(self, q: Any) -> Question:
        question = round_questions(q.lang, q.seed, q.size)[q.idx]
        if question.id != q.question_id:
            raise StoreError("store.quiz", f"question {q.question_id} is no longer in the quiz round it was "
                             f"asked from (the data changed)")
        return question

    def _asked(self, q: Any, revealed: bool = False) -> AskedQuestion:
        return AskedQuestion(q.number, q.idx, q.seed, q.size, q.lang, q.question_id, q.asked_at,
                             revealed or q.revealed_at is not None, q.closed_at is not None)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(CSV_FORMULA) else text
