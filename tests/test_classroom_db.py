"""The class database unavailable: one error type (StoreError) with one line, and nothing half-written.
Real failures only: a SQLite file locked by another writer, a folder that cannot be made, a PostgreSQL
port with nothing on it, a connection cut in the middle of a transaction, a server stopped and started."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from acumap.classroom import ClassError, Classroom, Settings, StoreError
from acumap.classroom import schema as t
from tests.support import postgres
from tests.support.classdb import Clock
from tests.support.live import free_port

REPO = Path(__file__).resolve().parents[1]


def one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


def test_sqlite_locked_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "classes.sqlite3"
    store = Classroom(Settings(db_url=f"sqlite:///{path}", db_timeout=0.3))
    new = store.create_class()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(StoreError) as exc:
            store.join(new.code, "a")
        assert exc.value.reason == "store.unavailable"
        assert "locked" in one_line(exc)
    finally:
        other.execute("ROLLBACK")
        other.close()
    status = store.status(new.code, new.teacher_key)
    assert status.students == ()
    with store.engine.connect() as conn:
        assert conn.execute(select(t.classes.c.joined)).scalar_one() == 0
    assert store.join(new.code, "a").number == 1  # and it works again once the lock is gone
    store.close()


def test_sqlite_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as exc:
        Classroom(Settings(db_url=f"sqlite:///{blocker / 'state' / 'classes.sqlite3'}"))
    assert "cannot be made" in one_line(exc)


def test_postgresql_with_nothing_listening() -> None:
    url = f"postgresql+psycopg://acumap:s3cret@127.0.0.1:{free_port()}/none"
    with pytest.raises(StoreError) as exc:
        Classroom(Settings(db_url=url, db_timeout=2))
    message = one_line(exc)
    assert "unavailable" in message and "s3cret" not in message


@pytest.fixture
def pg_url() -> str:
    srv = postgres.require()
    name = srv.createdb()
    yield srv.url(name)
    srv.dropdb(name)


def test_postgresql_connection_cut_mid_transaction_writes_nothing(pg_url: str) -> None:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    clock = Clock()
    store = Classroom(Settings(db_url=pg_url), clock=clock)
    new = store.create_class()

    cut = {"armed": False}

    def cutting_clock() -> float:
        # `join` reads the clock between its two writes: cut every other connection to the database there.
        if cut["armed"]:
            cut["armed"] = False
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        return clock()

    store.clock = cutting_clock
    cut["armed"] = True
    with pytest.raises(StoreError) as exc:
        store.join(new.code, "half")
    assert exc.value.reason == "store.unavailable"
    one_line(exc)
    with admin.connect() as conn:
        assert conn.execute(select(t.classes.c.joined)).scalar_one() == 0  # the first write was rolled back
        assert conn.execute(select(t.students)).all() == []
    assert store.join(new.code, "whole").number == 1  # the pool reconnects
    store.close()
    admin.dispose()


def test_postgresql_stopped_then_started(pg_url: str) -> None:
    srv = postgres.require()
    store = Classroom(Settings(db_url=pg_url, db_timeout=2))
    new = store.create_class()
    srv.stop()
    try:
        for call in (lambda: store.view(new.code), lambda: store.join(new.code, "x"), lambda: store.create_class()):
            with pytest.raises(StoreError) as exc:
                call()
            assert exc.value.reason == "store.unavailable"
            assert isinstance(exc.value, ClassError)
            one_line(exc)
    finally:
        srv.start()
    assert store.view(new.code).students == 0  # nothing was written while it was down
    assert store.join(new.code, "back").number == 1
    store.close()


def test_servers_opening_a_new_database_together_make_one_schema(pg_url: str) -> None:
    opened: list[Classroom] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_one() -> None:
        start.wait()
        try:
            opened.append(Classroom(Settings(db_url=pg_url)))
        except BaseException as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == [] and len(opened) == 6
    new = opened[0].create_class()
    assert all(store.view(new.code).code == new.code for store in opened)
    for store in opened:
        store.close()


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_without_postgresql_the_tests_skip_but_fail_under_ci(tmp_path: Path, ci: str, outcome: str) -> None:
    env = {**os.environ, "CI": ci, "ACUMAP_PG_BIN": str(tmp_path / "no-postgresql")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                          "tests/test_classroom.py::test_codes_are_read_without_regard_to_case_or_spaces[postgresql]"],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert outcome in out.stdout, out.stdout[-2000:]
    if ci:
        assert out.returncode != 0 and "PostgreSQL is needed under CI" in out.stdout
    else:
        assert out.returncode == 0 and "PostgreSQL not available" in out.stdout
