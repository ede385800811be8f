"""The class store's settings from environment variables: defaults, and one line for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from acumap.classroom import SettingsError, load_settings
from acumap.classroom.settings import MAX_POLL


def test_defaults(tmp_path: Path) -> None:
    s = load_settings({"ACUMAP_STATE_DIR": str(tmp_path / "state")})
    assert s.db_url == f"sqlite:///{tmp_path / 'state' / 'classes.sqlite3'}"
    assert (s.expiry_hours, s.retention_days, s.size_limit, s.poll_seconds) == (12.0, 7.0, 200, 1.0)
    assert s.public_url == "http://localhost:8501"
    assert s.is_sqlite


def test_xdg_state_home_without_a_state_dir(tmp_path: Path) -> None:
    s = load_settings({"XDG_STATE_HOME": str(tmp_path)})
    assert s.db_url == f"sqlite:///{tmp_path / 'acumap' / 'classes.sqlite3'}"


def test_values_are_read() -> None:
    s = load_settings({
        "ACUMAP_CLASS_DB_URL": "postgresql://u:p@db:5432/acumap", "ACUMAP_CLASS_EXPIRY_HOURS": "2",
        "ACUMAP_CLASS_RETENTION_DAYS": "1.5", "ACUMAP_CLASS_SIZE_LIMIT": "30", "ACUMAP_CLASS_POLL_SECONDS": "0.5",
        "ACUMAP_PUBLIC_URL": "https://class.example.org/", "ACUMAP_CLASS_DB_TIMEOUT": "3",
    })
    assert s.db_url == "postgresql+psycopg://u:p@db:5432/acumap"  # the driver this package pins
    assert (s.expiry_hours, s.retention_days, s.size_limit, s.poll_seconds, s.db_timeout) == (2, 1.5, 30, 0.5, 3)
    assert s.public_url == "https://class.example.org"
    assert not s.is_sqlite


@pytest.mark.parametrize(("name", "value", "says"), [
    ("ACUMAP_CLASS_SIZE_LIMIT", "lots", "must be a whole number from 1 to 10000"),
    ("ACUMAP_CLASS_SIZE_LIMIT", "0", "must be a whole number from 1 to 10000"),
    ("ACUMAP_CLASS_SIZE_LIMIT", "2.5", "must be a whole number"),
    ("ACUMAP_CLASS_EXPIRY_HOURS", "-1", "must be a number of hours"),
    ("ACUMAP_CLASS_EXPIRY_HOURS", "nan", "must be a number of hours"),
    ("ACUMAP_CLASS_RETENTION_DAYS", "inf", "must be a number of days"),
    ("ACUMAP_CLASS_POLL_SECONDS", "5", f"from 0.2 to {MAX_POLL}"),
    ("ACUMAP_CLASS_DB_URL", "mysql://x/y", "must start with postgresql:// or sqlite:///"),
    ("ACUMAP_PUBLIC_URL", "javascript:alert(1)", "must start with http:// or https://"),
    ("ACUMAP_CLASS_RETENTION_DAYS", "0.25", "live classes would be deleted"),
])
def test_a_bad_value_is_one_line_naming_the_variable(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError) as exc:
        load_settings({name: value})
    message = str(exc.value)
    assert name in message and says in message and "\n" not in message
    assert exc.value.status == 1
