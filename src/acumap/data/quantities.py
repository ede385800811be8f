"""The quantities a session plan reports: where their facts live and in which unit they are given."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuantitySpec:
    key: str  # key in the plan JSON
    table: str  # array name in data/session.toml
    unit: str  # unit of the plan JSON
    display_unit: str  # unit shown on screen


QUANTITIES: tuple[QuantitySpec, ...] = (
    QuantitySpec("needles", "needles", "needles", "needles"),
    QuantitySpec("depth_mm", "depth", "mm", "mm"),
    QuantitySpec("retention_s", "retention", "s", "min"),
    QuantitySpec("session_min", "session_length", "min", "min"),
    QuantitySpec("course_sessions", "course_sessions", "sessions", "sessions"),
    QuantitySpec("sessions_per_day", "sessions_per_day", "sessions/day", "sessions/day"),
    QuantitySpec("courses_per_year", "courses_per_year", "courses/year", "courses/year"),
    QuantitySpec("break_days", "break", "days", "days"),
)

BY_KEY = {q.key: q for q in QUANTITIES}
BY_TABLE = {q.table: q for q in QUANTITIES}
