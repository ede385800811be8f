"""Reading data/*.toml into typed, cross-checked objects.

Any problem raises DataError naming the file, the entry and the field, so the app can show one
clear line instead of a traceback.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from acumap.data import anatomy as anat
from acumap.data import units
from acumap.data.errors import DataError
from acumap.data.models import (
    Anatomy,
    CautionItem,
    Caveat,
    Claim,
    CunRule,
    Evidence,
    Method,
    Prose,
    Region,
    Safety,
    Source,
    Stage,
    StandardPoint,
    Zone,
)
from acumap.data.paths import data_dir as default_data_dir
from acumap.data.quantities import BY_KEY, BY_TABLE
from acumap.data.strings import Strings

CAUTION_KINDS = ("contraindications", "side_effects", "preparation")

M = TypeVar("M", bound=BaseModel)


class _SourceNames(BaseModel):
    names: dict[str, Prose]


@dataclass(frozen=True)
class ChecklistRules:
    """data/checklist.toml: which articles' contraindications ask only for caution or a limit, and
    which conditions a listed side effect bears on."""

    caution_only: frozenset[tuple[str, str, int]]  # (item, source, line)
    side_effect_risks: dict[str, tuple[str, ...]]  # condition -> side effect ids


@dataclass(frozen=True, eq=False)
class Knowledge:
    """Everything the data files say, checked. Compared and hashed by identity, so what is worked
    out from one loading (the point sites, say) can be cached against it."""

    data_dir: Path
    seed_file: str
    sources: dict[str, Source]
    stages: dict[str, Stage]
    methods: dict[str, Method]
    regions: dict[str, Region]
    facts: dict[str, tuple[Claim, ...]]  # table name in session.toml -> statements
    caveats: tuple[Caveat, ...]
    cautions: dict[str, tuple[CautionItem, ...]]
    anatomy: Anatomy
    strings: Strings
    points: tuple[StandardPoint, ...]
    point_sources: dict[str, str]
    cun: CunRule
    safety: Safety
    checklist: ChecklistRules

    @property
    def default_method(self) -> str:
        return next(key for key, m in self.methods.items() if m.default)

    def components(self, method: str) -> tuple[str, ...]:
        """The plain methods a method stands for: combined -> (sedative, exciting)."""
        return self.methods[method].combines or (method,)

    def all_evidence(self) -> list[tuple[str, Evidence]]:
        """Every quote in the data, with the file it is in (for checking quotes against the text)."""
        found: list[tuple[str, Evidence]] = []
        for stage in self.stages.values():
            found += [("stages.toml", e) for e in stage.evidence]
        for method in self.methods.values():
            found += [("methods.toml", e) for e in method.evidence]
        for region in self.regions.values():
            found += [("regions.toml", e) for e in region.placement]
        for claims in self.facts.values():
            found += [("session.toml", c) for c in claims]
        found += [("session.toml", c) for c in self.caveats]
        for items in self.cautions.values():
            for item in items:
                found += [("cautions.toml", e) for e in item.statements + item.disputed_by + item.remarks]
        return found


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    shown = f"data/{name}"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataError(shown, None, None, "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(shown, None, None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise DataError(shown, None, None, f"cannot be read: {exc.strerror}") from None


def _entry_name(name: str, raw: Any) -> str:
    """'needles[3] (A, line 202)' where the entry says its source and line."""
    if isinstance(raw, dict) and "source" in raw and "line" in raw:
        return f"{name} ({raw['source']}, line {raw['line']})"
    if isinstance(raw, dict) and "id" in raw:
        return f"{name} ('{raw['id']}')"
    return name


# The language the loading in progress reads prose in (models.Prose picks it).
_LANG: ContextVar[str] = ContextVar("acumap_lang", default="en")


def _build(model: type[M], raw: Any, file: str, entry: str) -> M:
    try:
        return model.model_validate(raw, context={"lang": _LANG.get()})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        problem = first["msg"].removeprefix("Value error, ")
        raise DataError(file, entry, field, problem) from None


def _table(raw: dict[str, Any], file: str) -> dict[str, dict[str, Any]]:
    for key, value in raw.items():
        if not isinstance(value, dict):
            raise DataError(file, key, None, "expected a [section]")
    return raw


def _array(raw: dict[str, Any], key: str, file: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise DataError(file, key, None, "expected a list of [[entries]]")
    return value


class _Checker:
    """Cross-file checks; each failure names file, entry and field."""

    def __init__(self, sources: dict[str, Source], strings: Strings):
        self.sources, self.strings = sources, strings

    def evidence(self, ev: Evidence, file: str, entry: str) -> None:
        src = self.sources.get(ev.source)
        if src is None:
            known = ", ".join(self.sources)
            raise DataError(file, entry, "source", f"unknown article '{ev.source}' (known: {known})")
        if not src.first_line <= ev.line <= src.last_line:
            raise DataError(
                file, entry, "line",
                f"line {ev.line} is outside article {ev.source} (lines {src.first_line}-{src.last_line})",
            )

    def label(self, key: str, file: str, entry: str) -> None:
        if not self.strings.has(key):
            raise DataError(file, entry, None, f"no label '{key}' in data/strings/{self.strings.lang}.toml")


def _sections(
    folder: Path, name: str, model: type[M], check: _Checker, label: str, evidence: Callable[[M], Iterable[Evidence]]
) -> dict[str, M]:
    """A file of [sections], one entry each: built, labelled in the strings, its quotes checked."""
    f = f"data/{name}"
    built = {key: _build(model, raw, f, key) for key, raw in _table(_read(folder, name), f).items()}
    for key, item in built.items():
        check.label(f"{label}.{key}", f, key)
        for ev in evidence(item):
            check.evidence(ev, f, key)
    return built


def load_knowledge(folder: Path | None = None, lang: str = "en") -> Knowledge:
    """Everything in data/, checked, with its prose and labels in `lang` (facts are the same in
    every language)."""
    token = _LANG.set(lang)
    try:
        return _load(Path(folder) if folder else default_data_dir(), lang)
    finally:
        _LANG.reset(token)


def _check_folder(folder: Path) -> None:
    """A data folder that is not there is named as a folder, not as its first missing file."""
    if folder.is_dir():
        return
    problem = "the data folder is not a folder" if folder.exists() else "the data folder does not exist"
    if os.environ.get("ACUMAP_DATA_DIR") and Path(os.environ["ACUMAP_DATA_DIR"]) == folder:
        problem += " (set by ACUMAP_DATA_DIR)"
    raise DataError(str(folder), None, None, problem)


def _load(folder: Path, lang: str) -> Knowledge:
    """Every data file through its own reader, in the order their cross-checks need."""
    _check_folder(folder)
    strings = Strings(_read(folder, f"strings/{lang}.toml"), lang)
    seed_file, sources = _load_sources(folder)
    check = _Checker(sources, strings)
    stages = _sections(folder, "stages.toml", Stage, check, "stage", lambda st: st.evidence)
    methods = _load_methods(folder, check)
    anatomy = _load_anatomy(folder, check)
    regions = _load_regions(folder, check, anatomy)
    for letter, src in sources.items():
        _known_regions(src.only_regions or (), regions, "data/sources.toml", letter)
    facts, caveats = _load_session(folder, check, regions, methods)
    cautions = _load_cautions(folder, check)
    points, point_sources, cun = _load_points(folder, anatomy)
    safety = _load_safety(folder, points, anatomy)
    checklist = _load_checklist(folder, cautions, strings)
    return Knowledge(
        folder, seed_file, sources, stages, methods, regions, facts, caveats, cautions, anatomy, strings,
        points, point_sources, cun, safety, checklist,
    )


def _load_sources(folder: Path) -> tuple[str, dict[str, Source]]:
    raw = _read(folder, "sources.toml")
    seed_file = raw.pop("seed_file", "")
    f = "data/sources.toml"
    return seed_file, {k: _build(Source, v, f, k) for k, v in _table(raw, f).items()}


def _plain(methods: dict[str, Method]) -> set[str]:
    """The methods that are not a combination of others."""
    return {k for k, m in methods.items() if not m.combines}


def _load_methods(folder: Path, check: _Checker) -> dict[str, Method]:
    methods = _sections(folder, "methods.toml", Method, check, "method", lambda m: m.evidence)
    plain = _plain(methods)
    f = "data/methods.toml"
    defaults = [key for key, m in methods.items() if m.default]
    if len(defaults) != 1:
        raise DataError(f, None, "default", f"exactly one method needs default = true (found {len(defaults)})")
    for key, method in methods.items():
        for part in method.combines:
            if part not in plain:
                raise DataError(f, key, "combines", f"'{part}' is not a plain method ({', '.join(sorted(plain))})")
    return methods


def _load_anatomy(folder: Path, check: _Checker) -> Anatomy:
    f = "data/anatomy.toml"
    anatomy = _build(Anatomy, _read(folder, "anatomy.toml"), f, "anatomy")
    if "average" not in anatomy.builds:
        raise DataError(f, "builds", "average", "the default build 'average' is missing")
    for name, factor in anatomy.builds.items():
        check.label(f"build.{name}", f, f"builds.{name}")
        if factor <= 0:
            raise DataError(f, "builds", name, "must be a positive width factor")
    for name, mark in anatomy.landmarks.items():
        if mark.source not in anatomy.sources:
            raise DataError(f, f"landmarks.{name}", "source", f"unknown source '{mark.source}'")
        if mark.level is not None:
            _level(anatomy, mark.level, f, f"landmarks.{name}", "level")
    return anatomy


def _load_regions(folder: Path, check: _Checker, anatomy: Anatomy) -> dict[str, Region]:
    regions = _sections(folder, "regions.toml", Region, check, "region", lambda r: r.placement)
    f = "data/regions.toml"
    for key, region in regions.items():
        for i, name in enumerate(region.spine):
            _level(anatomy, name, f, key, f"spine.{i}")
        _zone(anatomy, region.zone, f, key, "zone")
        for i, spot in enumerate(region.markers):
            _level(anatomy, spot.level, f, key, f"markers.{i}.level")
            if not anat.zone_contains(anatomy, region.zone, spot.level, spot.x):
                raise DataError(f, key, f"markers.{i}", f"marker at {spot.level}, x={spot.x:g} lies outside the zone")
    return regions


def _load_session(folder: Path, check: _Checker, regions: dict[str, Region],
                  methods: dict[str, Method]) -> tuple[dict[str, tuple[Claim, ...]], tuple[Caveat, ...]]:
    f = "data/session.toml"
    raw = _read(folder, "session.toml")
    for table in raw:
        if table not in BY_TABLE and table != "caveats":
            raise DataError(f, table, None, f"unknown quantity (known: {', '.join(BY_TABLE)}, caveats)")
    plain = _plain(methods)
    facts = {table: tuple(_claim(check, entry, regions, plain, spec.unit)
                          for entry in _entries(raw, table, f)) for table, spec in BY_TABLE.items()}
    caveats = []
    for entry, item in _entries(raw, "caveats", f):
        caveat = _build(Caveat, item, f, entry)
        check.evidence(caveat, f, entry)
        if caveat.quantity not in BY_KEY:
            raise DataError(f, entry, "quantity", f"unknown quantity '{caveat.quantity}' (known: {', '.join(BY_KEY)})")
        caveats.append(caveat)
    return facts, tuple(caveats)


def _entries(raw: dict[str, Any], key: str, file: str) -> list[tuple[str, Any]]:
    """A list of [[entries]], each with its name for a problem ('needles[3] (A, line 202)')."""
    return [(_entry_name(f"{key}[{i}]", item), item) for i, item in enumerate(_array(raw, key, file), start=1)]


def _claim(check: _Checker, named: tuple[str, Any], regions: dict[str, Region], plain: set[str], unit: str) -> Claim:
    """One statement of session.toml, checked against the articles, the regions and the methods."""
    f = "data/session.toml"
    entry, raw = named
    claim = _build(Claim, raw, f, entry)
    check.evidence(claim, f, entry)
    if not units.compatible(claim.unit, unit):
        raise DataError(f, entry, "unit", f"'{claim.unit}' cannot be read as {unit}")
    for r in () if claim.regions == "every" else claim.regions:
        if r not in regions:
            raise DataError(f, entry, "regions", f"unknown region '{r}' (known: {', '.join(regions)})")
    for m in claim.methods or ():
        if m not in plain:
            raise DataError(f, entry, "methods", f"unknown method '{m}' (known: {', '.join(sorted(plain))})")
    only = check.sources[claim.source].only_regions
    if only and (claim.regions == "every" or not set(claim.regions) <= set(only)):
        raise DataError(f, entry, "regions", f"article {claim.source} writes only of {', '.join(only)}: "
                                             f"give regions = {list(only)}")
    return claim


def _load_cautions(folder: Path, check: _Checker) -> dict[str, tuple[CautionItem, ...]]:
    f = "data/cautions.toml"
    raw = _read(folder, "cautions.toml")
    cautions: dict[str, tuple[CautionItem, ...]] = {}
    for kind in CAUTION_KINDS:
        items, seen = [], set()
        for entry, item_raw in _entries(raw, kind, f):
            item = _build(CautionItem, item_raw, f, entry)
            if item.id in seen:
                raise DataError(f, entry, "id", f"'{item.id}' appears twice")
            seen.add(item.id)
            check.label(f"caution.{item.id}", f, entry)
            for ev in item.statements + item.disputed_by + item.remarks:
                check.evidence(ev, f, entry)
            items.append(item)
        cautions[kind] = tuple(items)
    return cautions


def _load_points(folder: Path, anatomy: Anatomy) -> tuple[tuple[StandardPoint, ...], dict[str, str], CunRule]:
    f = "data/points.toml"
    raw = _read(folder, "points.toml")
    known = raw.get("sources", {})
    if not isinstance(known, dict) or not known:
        raise DataError(f, "sources", None, "expected a [sources] table naming each source")
    cun = _build(CunRule, raw.get("cun"), f, "cun")
    if cun.source not in known:
        raise DataError(f, "cun", "source", f"unknown source '{cun.source}' (known: {', '.join(known)})")
    known = _build(_SourceNames, {"names": known}, f, "sources").names
    points, seen = [], set()
    for i, entry in enumerate(_array(raw, "points", f), start=1):
        name = f"points[{i}]" + (f" ('{entry['code']}')" if isinstance(entry, dict) and "code" in entry else "")
        point = _build(StandardPoint, entry, f, name)
        if point.code in seen:
            raise DataError(f, name, "code", f"'{point.code}' appears twice")
        seen.add(point.code)
        for src in point.sources + (point.depth_source,):
            if src not in known:
                raise DataError(f, name, "sources", f"unknown source '{src}' (known: {', '.join(known)})")
        for j, level in enumerate(point.levels or (point.level or "",) if not point.between else (point.between[0],)):
            _level(anatomy, level, f, name, "level" if point.level else f"levels.{j}")
        if point.between and point.between[1] not in anatomy.landmarks:
            raise DataError(f, name, "between.1", f"unknown landmark '{point.between[1]}'")
        points.append(point)
    return tuple(points), dict(known), cun


def _load_safety(folder: Path, points: tuple[StandardPoint, ...], anatomy: Anatomy) -> Safety:
    f = "data/safety.toml"
    safety = _build(Safety, _read(folder, "safety.toml"), f, "safety")
    codes = {p.code for p in points}
    for i, depth in enumerate(safety.danger_depths, start=1):
        name = f"danger_depths[{i}] ('{depth.point}')"
        if depth.point not in codes:
            raise DataError(f, name, "point", f"'{depth.point}' is not in data/points.toml")
        if depth.source not in safety.sources:
            raise DataError(f, name, "source", f"unknown source '{depth.source}'")
    for i, warning in enumerate(safety.warnings, start=1):
        name = f"warnings[{i}] ('{warning.id}')"
        _zone(anatomy, warning.covers, f, name, "covers")
        for src in warning.sources:
            if src not in safety.sources:
                raise DataError(f, name, "sources", f"unknown source '{src}'")
    # Only a warning with a depth is named at a needle, so only such a one can spare a point's caution there.
    at_needles = {w.id for w in safety.warnings if w.depth_cun is not None}
    for point in points:
        if point.caution_restates is not None and point.caution_restates not in at_needles:
            raise DataError("data/points.toml", f"points ('{point.code}')", "caution_restates",
                            f"'{point.caution_restates}' is not a warning with a depth in {f} "
                            f"(known: {', '.join(sorted(at_needles)) or 'none'})")
    if safety.variability.source not in safety.sources:
        raise DataError(f, "variability", "source", f"unknown source '{safety.variability.source}'")
    return safety


def _load_checklist(folder: Path, cautions: dict[str, tuple[CautionItem, ...]], strings: Strings) -> ChecklistRules:
    """checklist.toml, checked against cautions.toml and the strings file (read with the rest, so a
    broken one stops start-up rather than the checklist panel)."""
    f = "data/checklist.toml"
    raw = _read(folder, "checklist.toml")
    contra = {item.id: item for item in cautions["contraindications"]}
    side = {item.id for item in cautions["side_effects"]}
    caution_only = set()
    for name, entry in _tables(raw, "caution_only", f):
        wanted = entry.get("item")
        item = contra.get(wanted) if isinstance(wanted, str) else None
        if item is None:
            raise DataError(f, name, "item", f"'{str(wanted)[:40]}' is no contraindication in cautions.toml")
        key = (entry.get("source"), entry.get("line"))
        # Checked as text first: a list or table here (a damaged file) cannot be looked up.
        if not (isinstance(key[0], str) and isinstance(key[1], int)) or \
                key not in {(ev.source, ev.line) for ev in item.statements}:
            raise DataError(f, name, "line", f"{item.id} has no statement {key[0]}, line {key[1]}")
        caution_only.add((item.id, *key))
    risks: dict[str, tuple[str, ...]] = {}
    for name, entry in _tables(raw, "side_effect_risks", f):
        condition = entry.get("condition")
        if not isinstance(condition, str) or (condition not in contra
                                              and not strings.has(f"checklist.condition.{condition}")):
            raise DataError(f, name, "condition", f"'{str(condition)[:40]}' is no contraindication and has no "
                            f"label checklist.condition.{condition} in strings/{strings.lang}.toml")
        effects = entry.get("side_effects")
        if not isinstance(effects, list) or not effects:
            raise DataError(f, name, "side_effects", "expected a list of side effects of cautions.toml")
        unknown = [str(x)[:40] for x in effects if not isinstance(x, str) or x not in side]
        if unknown:
            raise DataError(f, name, "side_effects", f"not side effects of cautions.toml: {unknown}")
        risks[condition] = tuple(effects)
    return ChecklistRules(frozenset(caution_only), risks)


def _tables(raw: dict[str, Any], key: str, file: str) -> list[tuple[str, Any]]:
    """A list of [[entries]] read as plain tables, each with its name ('caution_only[2]')."""
    out = []
    for i, entry in enumerate(_array(raw, key, file), start=1):
        if not isinstance(entry, dict):
            raise DataError(file, f"{key}[{i}]", None, "expected a [[table]] entry")
        out.append((f"{key}[{i}]", entry))
    return out


def _known_regions(names: tuple[str, ...], regions: dict[str, Region], file: str, entry: str) -> None:
    for r in names:
        if r not in regions:
            raise DataError(file, entry, "regions", f"unknown region '{r}' (known: {', '.join(regions)})")


def _zone(anatomy: Anatomy, zone: Zone, file: str, entry: str, field: str) -> None:
    """Both levels known, the first above the second."""
    top = _level(anatomy, zone.from_, file, entry, f"{field}.from")
    bottom = _level(anatomy, zone.to, file, entry, f"{field}.to")
    if top >= bottom:
        raise DataError(file, entry, field, f"'{zone.from_}' must lie above '{zone.to}'")


def _level(anatomy: Anatomy, level: str, file: str, entry: str, field: str) -> float:
    try:
        return anat.level_drop(anatomy, level)
    except ValueError as exc:
        raise DataError(file, entry, field, str(exc)) from None
