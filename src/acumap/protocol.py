"""Your own protocol: an uploaded file of zones, needle points and session parameters, checked
against the same rules as the data files and held beside what the articles say.

Two steps, kept apart:

- `read(name, data)` turns the file's bytes into a plain `Raw` (every entry with where it came
  from: `points[3]` in TOML, `row 5` in CSV). It refuses files over MAX_BYTES, text that is not
  UTF-8, and CSV cells a spreadsheet would run as a formula. Parsing is tomllib or the csv module
  only: no YAML, no pickle, nothing that runs code.
- `validate(k, raw)` checks every entry and reports EVERY problem at once, each with its entry or
  row, its field and the reason. It uses the data loader's checks where they apply: levels
  through `anatomy.level_drop`, zones through the `Zone` model, units through `units`.

`load(k, name, data)` does both. `differences(k, protocol, plan)` lists where the protocol differs
from the articles: needle count, depth beyond the articles' or the standard point's, retention
and every other session parameter given. Every word comes from the strings file (section
[protocol]); never imports Streamlit.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import plotly.graph_objects as go
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from acumap import anatomy as anat
from acumap import units
from acumap.formatting import level_text, span_text
from acumap.loading import Knowledge
from acumap.models import Zone
from acumap.planner import Plan
from acumap.points import cun_to_mm, site_at
from acumap.quantities import BY_TABLE
from acumap.standard_depth import zone_depth
from acumap.strings import Strings

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


# --- reading ---------------------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def _decode(s: Strings, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _Refused([Problem(None, None, s.get("protocol.problem.too_big", size=len(data), limit=MAX_BYTES))])
    if not data.strip():
        raise _Refused([Problem(None, None, s.get("protocol.problem.empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refused([Problem(None, None, s.get("protocol.problem.not_utf8", position=exc.start))]) from None
    if "\x00" in text:
        raise _Refused([Problem(None, None, s.get("protocol.problem.binary"))])
    return text


def _format(name: str, text: str) -> str:
    lower = name.lower()
    if lower.endswith(".toml"):
        return "toml"
    if lower.endswith(".csv"):
        return "csv"
    # No telling extension: a CSV starts with its header row, whose first cell is `kind`.
    return "csv" if text.lstrip().lower().startswith("kind") else "toml"


def _read_toml(s: Strings, text: str) -> Raw:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _Refused([Problem(None, None, s.get("protocol.problem.not_toml", detail=_short(exc)))]) from None
    except RecursionError:
        raise _Refused([Problem(None, None, s.get("protocol.problem.too_deep"))]) from None
    problems: list[Problem] = []
    settings: dict[str, tuple[str, Any]] = {}
    entries: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in KINDS}
    for key, value in doc.items():
        if key in SETTINGS:
            settings[key] = (key, value)
        elif key in KINDS:
            if not isinstance(value, list):
                problems.append(Problem(key, None, s.get("protocol.problem.not_list", kind=key)))
                continue
            entries[key] = [(f"{key}[{i}]", entry) for i, entry in enumerate(value, start=1)]
        else:
            problems.append(Problem(_short(key), None, s.get("protocol.problem.unknown_key",
                                                               known=", ".join((*SETTINGS, *KINDS)))))
    if problems:
        raise _Refused(problems)
    return Raw("toml", settings, entries, text)


def _cell_problem(s: Strings, cell: str) -> str | None:
    if len(cell) > MAX_CELL:
        return s.get("protocol.problem.too_long", limit=MAX_CELL)
    if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell):
        return s.get("protocol.problem.formula")
    return None


def _read_csv(s: Strings, text: str) -> Raw:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _Refused([Problem(None, None, s.get("protocol.problem.not_csv", detail=_short(exc)))]) from None
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise _Refused([Problem(None, None, s.get("protocol.problem.empty"))])
    problems: list[Problem] = []
    _, header = numbered[0]
    header = [h.strip().lower() for h in header]
    for n, name in enumerate(header, start=1):
        if name not in CSV_COLUMNS:
            problems.append(Problem(s.get("protocol.header"), _short(name) or str(n),
                                    s.get("protocol.problem.unknown_column", known=", ".join(CSV_COLUMNS))))
    if "kind" not in header:
        problems.append(Problem(s.get("protocol.header"), "kind", s.get("protocol.problem.no_kind")))
    if len(set(header)) != len(header):
        problems.append(Problem(s.get("protocol.header"), None, s.get("protocol.problem.repeated_column")))
    if problems:
        raise _Refused(problems)
    settings: dict[str, tuple[str, Any]] = {}
    entries: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in KINDS}
    for n, row in numbered[1:]:
        where = s.get("protocol.row", n=n)
        if len(row) > len(header):
            problems.append(Problem(where, None, s.get("protocol.problem.extra_cells", cells=len(row),
                                                         columns=len(header))))
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=False) if cell.strip()}
        bad = [(name, reason) for name, cell in cells.items() if (reason := _cell_problem(s, cell))]
        for name, reason in bad:
            problems.append(Problem(where, name, reason))
        if bad:
            continue
        kind = cells.pop("kind", "")
        if kind not in CSV_KINDS:
            problems.append(Problem(where, "kind", s.get("protocol.problem.unknown_kind", kind=_short(kind),
                                                         known=", ".join(CSV_KINDS))))
            continue
        if kind == "setting":
            name, value = cells.pop("name", ""), cells.pop("value", None)
            if name not in SETTINGS:
                problems.append(Problem(where, "name", s.get("protocol.problem.unknown_setting", name=_short(name),
                                                             known=", ".join(SETTINGS))))
            elif name in settings:
                problems.append(Problem(where, "name", s.get("protocol.problem.setting_twice", name=name)))
            else:
                settings[name] = (where, value)
            problems += [Problem(where, extra, s.get("protocol.problem.not_for_kind", kind=kind)) for extra in cells]
            continue
        target = ENTRY_KINDS[kind]
        entries[target].append((where, _csv_entry(target, cells)))
    return Raw("csv", settings, entries, text, tuple(problems))


def _csv_entry(kind: str, cells: dict[str, str]) -> dict[str, Any]:
    """One CSV row in the shape of the matching TOML entry (pydantic then reads the numbers)."""
    out: dict[str, Any] = dict(cells)
    if kind == "zones":
        if "inner" in out or "outer" in out:
            out["lateral"] = (out.pop("inner", None), out.pop("outer", None))
        out["label"] = out.pop("name", None)
    elif kind == "points":
        out["label"] = out.pop("name", None)
        if "value" in out:
            out["depth"] = out.pop("value")
    elif kind == "parameters":
        out["quantity"] = out.pop("name", None)
    return {k: v for k, v in out.items() if v is not None}


def read(s: Strings, name: str, data: bytes) -> tuple[Raw | None, list[Problem], str]:
    """The file as a Raw, or the problems that stop it from being read; and its text, for showing."""
    text = ""
    try:
        text = _decode(s, data)
        fmt = _format(name, text)
        raw = _read_toml(s, text) if fmt == "toml" else _read_csv(s, text)
    except _Refused as exc:
        return None, exc.problems, text
    return raw, [], text


# --- validating ------------------------------------------------------------------------------------
class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=MAX_CELL)


class _ZoneEntry(_Entry):
    from_: str = Field(alias="from")
    to: str
    lateral: tuple[float, float]
    label: str | None = None


class _PointEntry(_Entry):
    level: str
    x: float = Field(ge=-HALF_WIDTH, le=HALF_WIDTH, allow_inf_nan=False)
    depth: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    unit: str = "mm"
    label: str | None = None


class _ParameterEntry(_Entry):
    quantity: str
    value: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    min: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    unit: str


def _pydantic(exc: ValidationError, where: str, whole: str | None = None) -> list[Problem]:
    """One problem per field pydantic found; `whole` names the field of a check on the whole entry."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or whole
        out.append(Problem(where, loc, err["msg"].removeprefix("Value error, ")))
    return out


def _level(k: Knowledge, where: str, name: str, level: str) -> tuple[float | None, Problem | None]:
    try:
        return anat.level_drop(k.anatomy, level), None
    except ValueError as exc:
        return None, Problem(where, name, str(exc))


def _in_field_order(raw: Any, problems: list[Problem]) -> list[Problem]:
    """One entry's problems in the order its fields stand in the file."""
    order = list(raw) if isinstance(raw, dict) else []
    return sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order))


def _levels(k: Knowledge, where: str, raw: Any, names: Sequence[str]) -> tuple[dict[str, float], list[Problem]]:
    """The entry's level fields that are text, each checked on its own, so that an unknown level is
    reported beside the entry's other problems (a wrong type or length is pydantic's to report)."""
    drops: dict[str, float] = {}
    problems: list[Problem] = []
    for name in names:
        value = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(value, str) and len(value) <= MAX_CELL:
            drop, problem = _level(k, where, name, value)
            if problem:
                problems.append(problem)
            elif drop is not None:
                drops[name] = drop
    return drops, problems


def _zone(k: Knowledge, where: str, raw: Any) -> tuple[Zone | None, list[Problem]]:
    drops, problems = _levels(k, where, raw, ("from", "to"))
    try:
        _ZoneEntry.model_validate(raw)
    except ValidationError as exc:
        problems += _pydantic(exc, where)
    zone = None
    band = {n: raw[n] for n in ("from", "to", "lateral") if n in raw} if isinstance(raw, dict) else raw
    try:
        zone = Zone.model_validate(band)
    except ValidationError as exc:
        # Only the band check is new here: the fields' own errors came from the entry above.
        seen = {p.field for p in problems}
        problems += [p for p in _pydantic(exc, where, "lateral") if p.field not in seen]
    if "from" in drops and "to" in drops and drops["from"] >= drops["to"]:
        problems.append(Problem(where, "from", k.strings.get("protocol.problem.zone_order", top=raw["from"],
                                                               bottom=raw["to"])))
    if zone is not None and zone.lateral[1] > HALF_WIDTH:
        limit = k.strings.number(HALF_WIDTH)
        problems.append(Problem(where, "lateral", k.strings.get("protocol.problem.too_wide", limit=limit)))
    return (None if problems else zone), _in_field_order(raw, problems)


def _point(k: Knowledge, where: str, raw: Any) -> tuple[Point | None, list[Problem]]:
    drops, problems = _levels(k, where, raw, ("level",))
    unit = raw.get("unit", "mm") if isinstance(raw, dict) else "mm"
    if isinstance(unit, str) and len(unit) <= MAX_CELL and unit not in DEPTH_UNITS:
        problems.append(Problem(where, "unit", k.strings.get("protocol.problem.depth_unit", unit=_short(unit),
                                                               known=", ".join(DEPTH_UNITS))))
    try:
        entry = _PointEntry.model_validate(raw)
    except ValidationError as exc:
        problems += _pydantic(exc, where)
    if problems or "level" not in drops:
        return None, _in_field_order(raw, problems)
    depth = units.convert(entry.depth, entry.unit, "mm")
    return Point(where, entry.level, entry.x, -drops["level"], depth, entry.label), []


def _parameter(k: Knowledge, where: str, raw: Any) -> tuple[Parameter | None, list[Problem]]:
    s = k.strings
    problems = []
    quantity, unit = (raw.get("quantity"), raw.get("unit")) if isinstance(raw, dict) else (None, None)
    spec = BY_TABLE.get(quantity) if isinstance(quantity, str) else None
    if isinstance(quantity, str) and spec is None:
        problems.append(Problem(where, "quantity", s.get("protocol.problem.unknown_quantity",
                                                         quantity=_short(quantity), known=", ".join(BY_TABLE))))
    if spec is not None and isinstance(unit, str) and not units.compatible(unit, spec.unit):
        problems.append(Problem(where, "unit", s.get("protocol.problem.unit", unit=_short(unit),
                                                     quantity=spec.table, expected=spec.unit)))
    try:
        entry = _ParameterEntry.model_validate(raw)
    except ValidationError as exc:
        return None, problems + _pydantic(exc, where)
    if spec is None or problems:
        return None, problems
    low, high = (entry.value, entry.value) if entry.value is not None else (entry.min, entry.max)
    if entry.value is not None and (entry.min is not None or entry.max is not None):
        problems.append(Problem(where, "value", s.get("protocol.problem.value_and_range")))
    elif low is None and high is None:
        problems.append(Problem(where, "value", s.get("protocol.problem.no_value")))
    elif low is not None and high is not None and low > high:
        problems.append(Problem(where, "min", s.get("protocol.problem.min_above_max", min=s.number(low),
                                                    max=s.number(high))))
    if spec.table == "needles":
        for v in (low, high):
            if v is not None and v != math.floor(v):
                problems.append(Problem(where, "value", s.get("protocol.problem.whole_needles")))
                break
    if problems:
        return None, problems
    return Parameter(where, spec.table, units.convert(low, entry.unit, spec.unit),
                     units.convert(high, entry.unit, spec.unit), entry.unit), []


def validate(k: Knowledge, raw: Raw) -> Result:
    """Every entry checked; every problem reported, in file order."""
    s = k.strings
    problems: list[Problem] = []
    total = sum(len(v) for v in raw.entries.values())
    if total > MAX_ENTRIES:
        return Result(None, (Problem(None, None, s.get("protocol.problem.too_many", count=total,
                                                       limit=MAX_ENTRIES)),), raw.text)
    if total == 0:
        problems.append(Problem(None, None, s.get("protocol.problem.nothing")))
    name = None
    if "name" in raw.settings:
        where, value = raw.settings["name"]
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_CELL:
            problems.append(Problem(where, None, s.get("protocol.problem.bad_name", limit=MAX_CELL)))
        else:
            name = value.strip()
    region = None
    if "region" not in raw.settings:
        problems.append(Problem(None, "region", s.get("protocol.problem.no_region", known=", ".join(k.regions))))
    else:
        where, value = raw.settings["region"]
        if not isinstance(value, str) or value not in k.regions:
            problems.append(Problem(where, None, s.get("protocol.problem.unknown_region", region=_short(value),
                                                       known=", ".join(k.regions))))
        else:
            region = value
    zones: list[Zone] = []
    points: list[Point] = []
    parameters: dict[str, Parameter] = {}
    for where, entry in raw.entries["zones"]:
        zone, found = _zone(k, where, entry)
        problems += found
        if zone:
            zones.append(zone)
    for where, entry in raw.entries["points"]:
        point, found = _point(k, where, entry)
        problems += found
        if point:
            points.append(point)
    for where, entry in raw.entries["parameters"]:
        param, found = _parameter(k, where, entry)
        problems += found
        if param and param.table in parameters:
            problems.append(Problem(where, "quantity", s.get("protocol.problem.quantity_twice",
                                                             quantity=param.table,
                                                             first=parameters[param.table].where)))
        elif param:
            parameters[param.table] = param
    if problems or region is None:
        # In file order: settings and whole-file problems first, then each entry or row where it stands.
        order = {where: n for n, where in enumerate(w for entries in raw.entries.values() for w, _ in entries)}
        if raw.format == "csv":
            order = {where: int(where.rsplit(" ", 1)[-1]) for where in order}
        problems.sort(key=lambda p: order.get(p.where, -1) if p.where else -1)
        return Result(None, tuple(problems), raw.text)
    return Result(Protocol(name, region, tuple(zones), tuple(points), parameters, raw.format), (), raw.text)


def load(k: Knowledge, name: str, data: bytes) -> Result:
    """Read and validate an uploaded file. Never raises on its content."""
    raw, problems, text = read(k.strings, name, data)
    if raw is None:
        return Result(None, tuple(problems), text)
    checked = validate(k, raw)
    if raw.problems:  # rows refused while reading come first, then everything validation found
        return Result(None, raw.problems + checked.problems, raw.text)
    return checked


# --- where it differs from the articles ------------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    what: str
    yours: str
    articles: str
    verdict: str
    differs: bool = field(default=True)


def _verdict(s: Strings, yours: tuple[float | None, float | None], theirs: tuple[float | None, float | None],
             kind: str) -> tuple[str, bool]:
    """How a range stands against the articles': above, below, outside, within or not stated."""
    low, high = yours
    a_low, a_high = theirs
    if a_low is None and a_high is None:
        return s.get("protocol.verdict.not_stated"), True
    above = high is not None and a_high is not None and high > a_high
    below = low is not None and a_low is not None and low < a_low
    if above and below:
        return s.get("protocol.verdict.wider"), True
    if above:
        return s.get(f"protocol.verdict.{kind}_above"), True
    if below:
        return s.get(f"protocol.verdict.{kind}_below"), True
    return s.get("protocol.verdict.within"), False


def _kind(table: str) -> str:
    """Which words a verdict uses: deeper/shallower, longer/shorter or more/fewer."""
    unit = BY_TABLE[table].unit
    if table == "depth":
        return "depth"
    return "length" if units.compatible(unit, "s") or units.compatible(unit, "days") else "count"


def differences(k: Knowledge, protocol: Protocol, plan: Plan) -> list[Difference]:
    """Each quantity the protocol gives, against the plan's (the protocol's region under the page's
    method and stage), then each point deeper than the standard point it stands on or than the
    usual depth of the zone's standard points."""
    s = k.strings
    out: list[Difference] = []
    for spec in BY_TABLE.values():
        if spec.table == "needles":
            given = protocol.needles
        else:
            p = protocol.parameters.get(spec.table)
            given = (p.min, p.max) if p else None
        if spec.table == "depth":
            depths = [pt.depth_mm for pt in protocol.points if pt.depth_mm is not None]
            depths += [v for v in given or () if v is not None]
            given = (min(depths), max(depths)) if depths else given
        if given is None:
            continue
        q = plan.quantities[spec.key]
        theirs = (q.min, q.max) if q is not None else (None, None)
        verdict, differs = _verdict(s, given, theirs, _kind(spec.table))
        articles = span_text(s, *theirs, spec.unit, spec.display_unit) if theirs != (None, None) else \
            s.get("value.not_stated")
        out.append(Difference(s.get(f"quantity.{spec.key}"), span_text(s, *given, spec.unit, spec.display_unit),
                              articles, verdict, differs))
    usual = zone_depth(k, plan)
    depth = protocol.parameters.get("depth")
    if usual is not None and depth is not None and depth.max is not None and depth.max > usual.mm[1]:
        out.append(Difference(s.get("quantity.depth_mm"), span_text(s, depth.max, depth.max, "mm", "mm"),
                              s.get("protocol.zone_points", codes=", ".join(usual.codes), mm=s.number(usual.mm[1])),
                              s.get("protocol.verdict.deeper_than_zone_points")))
    for pt in protocol.points:
        if pt.depth_mm is None:
            continue
        label = s.get("protocol.point", where=pt.label or pt.where, level=level_text(s, pt.level), x=s.number(pt.x))
        site = site_at(k, pt.level, pt.x)
        if site is not None:
            limit = cun_to_mm(k, site.point.depth_cun[1])
            if pt.depth_mm > limit:
                out.append(Difference(label, span_text(s, pt.depth_mm, pt.depth_mm, "mm", "mm"),
                                      s.get("protocol.standard_point", code=site.point.code,
                                            cun=s.number(site.point.depth_cun[1]), mm=s.number(limit)),
                                      s.get("protocol.verdict.deeper_than_point")))
        elif usual is not None and pt.depth_mm > usual.mm[1]:
            out.append(Difference(label, span_text(s, pt.depth_mm, pt.depth_mm, "mm", "mm"),
                                  s.get("protocol.zone_points", codes=", ".join(usual.codes),
                                        mm=s.number(usual.mm[1])),
                                  s.get("protocol.verdict.deeper_than_zone_points")))
    return out


def problems_text(s: Strings, problems: Sequence[Problem]) -> list[str]:
    return [p.text(s) for p in problems]


# --- drawn over the back view ------------------------------------------------------------------------
OVERLAY_COLOUR = "#0b6e69"  # teal: none of the articles' zone or needle colours
OVERLAY_SYMBOL = "x"


def overlay_traces(k: Knowledge, protocol: Protocol) -> list[go.Scatter]:
    """The protocol's zones (dashed outlines, lightly filled, mirrored like the articles' zones) and
    its needles (crosses), each in the legend under the protocol's name, so it reads as yours."""
    s = k.strings
    name = escape(protocol.name or s.get("protocol.default_name"))
    traces = []
    xs: list[float | None] = []
    ys: list[float | None] = []
    for zone in protocol.zones:
        top = anat.level_drop(k.anatomy, zone.from_)
        bottom = anat.level_drop(k.anatomy, zone.to)
        inner, outer = zone.lateral
        sides = [(-outer, outer)] if inner == 0 else [(inner, outer), (-outer, -inner)]
        for a, b in sides:
            xs += [a, b, b, a, a, None]
            ys += [-top, -top, -bottom, -bottom, -top, None]
    if xs:
        label = s.get("protocol.legend_zone", name=name)
        traces.append(go.Scatter(
            x=xs[:-1], y=ys[:-1], mode="lines", fill="toself", fillcolor="rgba(11,110,105,0.08)",
            line={"color": OVERLAY_COLOUR, "width": 2, "dash": "dash"}, name=label, text=label,
            hoveron="fills", hoverinfo="text", showlegend=True, legendgroup="protocol",
        ))
    if protocol.points:
        hovers = [s.get("protocol.point_hover", name=name, where=escape(p.label or p.where),
                        level=escape(level_text(s, p.level)), x=s.number(p.x),
                        depth=span_text(s, p.depth_mm, p.depth_mm, "mm", "mm") if p.depth_mm is not None
                        else s.get("protocol.depth_not_given"))
                  for p in protocol.points]
        traces.append(go.Scatter(
            x=[p.x for p in protocol.points], y=[p.y for p in protocol.points], mode="markers",
            marker={"color": OVERLAY_COLOUR, "size": 11, "symbol": OVERLAY_SYMBOL, "line": {"color": "white",
                                                                                             "width": 1}},
            name=s.get("protocol.legend_points", name=name), text=hovers, hoverinfo="text", showlegend=True,
            legendgroup="protocol",
        ))
    return traces
