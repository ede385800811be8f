"""Your own protocol's types and limits: what reading a file gives (Raw), what checking it gives
(a Protocol, or its Problems), and the limits both hold it to. See protocol.py for the steps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from acumap.data.models import Zone
from acumap.data.strings import Strings

MAX_BYTES = 1_000_000  # the same 1 MB as server.maxUploadSize in .streamlit/config.toml
MAX_ENTRIES = 300  # zones + points + parameters (CSV rows): far more than any protocol needs
MAX_CELL = 200  # characters in one CSV cell or TOML text
MAX_SHOWN = 80  # characters of a bad value repeated in a problem
HALF_WIDTH = 12.0  # B-cun either side of the midline that the back view draws
KINDS = ("zones", "points", "parameters")
CSV_COLUMNS = ("kind", "name", "value", "min", "max", "unit", "from", "to", "inner", "outer", "level", "x")
ENTRY_KINDS = {"zone": "zones", "point": "points", "parameter": "parameters"}  # a CSV row's kind -> its entries
CSV_KINDS = ("setting", *ENTRY_KINDS)
SETTINGS = ("name", "region")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
DEPTH_UNITS = ("mm", "cm")


# --- what comes out --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: where (an entry or a row; None for the whole file), the
    field, and why. str() is one line."""

    where: str | None
    field: str | None
    reason: str

    def text(self, s: Strings) -> str:
        parts = [p for p in (self.where, s.get("protocol.field", field=self.field) if self.field else None) if p]
        return ": ".join([*parts, " ".join(self.reason.split())])


@dataclass(frozen=True)
class Raw:
    """A file as read, before any check: its settings, and each kind's entries with where they came
    from. `text` is the decoded file, for showing it back (escaped) beside the problems."""

    format: str
    settings: dict[str, tuple[str, Any]]  # name -> (where, value)
    entries: dict[str, list[tuple[str, Any]]]  # kind -> [(where, entry)]
    text: str
    problems: tuple[Problem, ...] = ()  # rows left out while reading (a formula cell, an unknown kind)


@dataclass(frozen=True)
class Point:
    where: str
    level: str
    x: float
    y: float  # drawing y (minus the drop below C7)
    depth_mm: float | None
    label: str | None


@dataclass(frozen=True)
class Parameter:
    where: str
    table: str  # a quantity's table name in data/session.toml (needles, depth, retention ...)
    min: float | None  # in the plan's unit of that quantity
    max: float | None
    given: str  # the unit the file used


@dataclass(frozen=True)
class Protocol:
    name: str | None
    region: str
    zones: tuple[Zone, ...]
    points: tuple[Point, ...]
    parameters: dict[str, Parameter]
    format: str

    @property
    def needles(self) -> tuple[float | None, float | None] | None:
        """The needle count: the `needles` parameter, else one needle per point; None if neither."""
        p = self.parameters.get("needles")
        if p is not None:
            return p.min, p.max
        return (float(len(self.points)),) * 2 if self.points else None


@dataclass(frozen=True)
class Result:
    protocol: Protocol | None
    problems: tuple[Problem, ...]
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.protocol is not None and not self.problems


def short(value: Any) -> str:
    """A bad value as a problem repeats it: cut at MAX_SHOWN characters."""
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def problems_text(s: Strings, problems: Sequence[Problem]) -> list[str]:
    return [p.text(s) for p in problems]
