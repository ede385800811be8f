"""The class store's settings, read from environment variables with defaults.

A bad value raises SettingsError naming the variable, the value and what it must be, in one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from acumap.classroom.errors import SettingsError

DB_URL = "ACUMAP_CLASS_DB_URL"  # a PostgreSQL (or SQLite) URL; unset: SQLite in the state folder
STATE_DIR = "ACUMAP_STATE_DIR"
EXPIRY_HOURS = "ACUMAP_CLASS_EXPIRY_HOURS"
RETENTION_DAYS = "ACUMAP_CLASS_RETENTION_DAYS"
SIZE_LIMIT = "ACUMAP_CLASS_SIZE_LIMIT"
POLL_SECONDS = "ACUMAP_CLASS_POLL_SECONDS"
DB_TIMEOUT = "ACUMAP_CLASS_DB_TIMEOUT"
PUBLIC_URL = "ACUMAP_PUBLIC_URL"

DB_FILE = "classes.sqlite3"
MAX_POLL = 3.0  # seconds: the issue asks for a student's screen to follow the teacher within 3 s

T = TypeVar("T", int, float)


@dataclass(frozen=True)
class Settings:
    db_url: str  # where classes are kept
    expiry_hours: float = 12.0  # a class closes by itself this long after it starts
    retention_days: float = 7.0  # classes and their answers are deleted this long after they start
    size_limit: int = 200  # students in one class
    poll_seconds: float = 1.0  # how often a screen asks the store for the teacher's step
    db_timeout: float = 10.0  # seconds to wait for a connection or a locked SQLite file
    public_url: str = "http://localhost:8501"  # the base of a join link

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


def default_state_dir(env: Mapping[str, str]) -> Path:
    """$ACUMAP_STATE_DIR, else $XDG_STATE_HOME/acumap, else ~/.local/state/acumap."""
    if env.get(STATE_DIR):
        return Path(env[STATE_DIR]).expanduser()
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "acumap"


def _number(env: Mapping[str, str], name: str, kind: Callable[[str], T], default: T, low: T, high: T,
            what: str) -> T:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value != value or not low <= value <= high:  # value != value: NaN
        raise SettingsError("settings.bad", f"{name}={raw[:40]!r}: must be {what} from {low} to {high}")
    return value


def db_url_from(raw: str) -> str:
    """A plain postgresql:// URL means the psycopg 3 driver, the one this package pins."""
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    raw_url = env.get(DB_URL, "").strip()
    if raw_url:
        url = db_url_from(raw_url)
        if not (url.startswith("postgresql+psycopg://") or url.startswith("sqlite:///")):
            raise SettingsError("settings.bad", f"{DB_URL}: must start with postgresql:// or sqlite:///")
    else:
        url = f"sqlite:///{default_state_dir(env) / DB_FILE}"
    expiry = _number(env, EXPIRY_HOURS, float, 12.0, 0.1, 24.0 * 30, "a number of hours")
    retention = _number(env, RETENTION_DAYS, float, 7.0, 0.1, 3650.0, "a number of days")
    if retention * 24 < expiry:
        raise SettingsError("settings.bad", f"{RETENTION_DAYS}={retention:g} days is shorter than "
                            f"{EXPIRY_HOURS}={expiry:g} hours: live classes would be deleted")
    public = env.get(PUBLIC_URL, "").strip() or "http://localhost:8501"
    if not public.startswith(("http://", "https://")):
        raise SettingsError("settings.bad", f"{PUBLIC_URL}={public[:40]!r}: must start with http:// or https://")
    return Settings(
        db_url=url, expiry_hours=expiry, retention_days=retention,
        size_limit=_number(env, SIZE_LIMIT, int, 200, 1, 10000, "a whole number"),
        poll_seconds=_number(env, POLL_SECONDS, float, 1.0, 0.2, MAX_POLL, "a number of seconds"),
        db_timeout=_number(env, DB_TIMEOUT, float, 10.0, 0.1, 600.0, "a number of seconds"),
        public_url=public.rstrip("/"),
    )
