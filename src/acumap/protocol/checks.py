"""Checking a read protocol: every entry checked and EVERY problem reported at once, each with its
entry or row, its field and the reason. The data loader's checks are used where they apply: levels
through `anatomy.level_drop`, zones through the `Zone` model, units through `units`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from acumap.data import anatomy as anat
from acumap.data import units
from acumap.data.loading import Knowledge
from acumap.data.models import Zone
from acumap.data.quantities import BY_TABLE
from acumap.protocol.types import (
    DEPTH_UNITS,
    HALF_WIDTH,
    MAX_CELL,
    MAX_ENTRIES,
    Parameter,
    Point,
    Problem,
    Protocol,
    Raw,
    Result,
    short,
)


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
        problems.append(Problem(where, "unit", k.strings.get("protocol.problem.depth_unit", unit=short(unit),
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
                                                         quantity=short(quantity), known=", ".join(BY_TABLE))))
    if spec is not None and isinstance(unit, str) and not units.compatible(unit, spec.unit):
        problems.append(Problem(where, "unit", s.get("protocol.problem.unit", unit=short(unit),
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
            problems.append(Problem(where, None, s.get("protocol.problem.unknown_region", region=short(value),
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
