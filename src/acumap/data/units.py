"""Unit conversion between what an article says (cm, h, weeks) and what the plan reports."""

from __future__ import annotations

# unit -> (dimension, size in the dimension's base unit). Counts convert only to themselves.
_UNITS: dict[str, tuple[str, float]] = {
    "mm": ("length", 1.0),
    "cm": ("length", 10.0),
    "s": ("time", 1.0),
    "min": ("time", 60.0),
    "h": ("time", 3600.0),
    "days": ("calendar", 1.0),
    "weeks": ("calendar", 7.0),
    "needles": ("needles", 1.0),
    "sessions": ("sessions", 1.0),
    "courses/year": ("courses/year", 1.0),
    "sessions/day": ("sessions/day", 1.0),
}


def known(unit: str) -> bool:
    return unit in _UNITS


def compatible(a: str, b: str) -> bool:
    return known(a) and known(b) and _UNITS[a][0] == _UNITS[b][0]


def convert(value: float | None, from_unit: str, to_unit: str) -> float | None:
    if value is None:
        return None
    if not compatible(from_unit, to_unit):
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    result = value * _UNITS[from_unit][1] / _UNITS[to_unit][1]
    # Keep whole numbers whole so the JSON reads 1200, not 1200.0000000001.
    return float(round(result, 6))
