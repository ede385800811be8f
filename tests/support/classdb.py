"""The class store's test databases: SQLite in a temporary folder, and a fresh schema (as empty as a new
database) on the run's private PostgreSQL (tests/support/postgres.py). `stores` opens Classroom objects on
one database, as separate servers would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from acumap.classroom import Classroom, Settings, load_settings
from tests.support import postgres

BACKENDS = ["sqlite", "postgresql"]


class Clock:
    """A settable clock: tests move time on instead of waiting hours."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'state' / 'classes.sqlite3'}"
        return
    srv = postgres.require()
    name, url = srv.fresh_schema()
    try:
        yield url
    finally:
        srv.drop_schema(name)


@pytest.fixture(params=BACKENDS, name="db_url")
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@pytest.fixture(name="clock")
def clock_fixture() -> Clock:
    return Clock()


@pytest.fixture(name="stores")
def stores_fixture(db_url: str, clock: Clock) -> Iterator[Callable[..., Classroom]]:
    """Open a Classroom on the test's database: stores(size_limit=3) overrides a setting."""
    opened: list[Classroom] = []

    def make(**overrides: object) -> Classroom:
        settings = replace(Settings(db_url=db_url, public_url="http://class.test"), **overrides)
        store = Classroom(settings, clock=clock)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture(name="store")
def store_fixture(stores: Callable[..., Classroom]) -> Classroom:
    return stores()


def page_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Classroom:
    """The store the page opens (ui/live.py reads the environment): an SQLite file in a temp folder, with no
    database URL from the machine's environment."""
    monkeypatch.setenv("ACUMAP_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("ACUMAP_CLASS_DB_URL", raising=False)
    return Classroom(load_settings())
