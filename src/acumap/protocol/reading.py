"""Reading an uploaded protocol: the file's bytes to a plain Raw, every entry with where it came
from (`points[3]` in TOML, `row 5` in CSV). Files over MAX_BYTES, text that is not UTF-8 and CSV
cells a spreadsheet would run as a formula are refused. Parsing is tomllib or the csv module only:
no YAML, no pickle, nothing that runs code."""

from __future__ import annotations

import csv
import io
import tomllib
from typing import Any

from acumap.data.strings import Strings
from acumap.protocol.types import (
    CSV_COLUMNS,
    CSV_KINDS,
    ENTRY_KINDS,
    FORMULA_START,
    KINDS,
    MAX_BYTES,
    MAX_CELL,
    PLAIN_NUMBER,
    SETTINGS,
    Problem,
    Raw,
    short,
)


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


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
        raise _Refused([Problem(None, None, s.get("protocol.problem.not_toml", detail=short(exc)))]) from None
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
            problems.append(Problem(short(key), None, s.get("protocol.problem.unknown_key",
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
        raise _Refused([Problem(None, None, s.get("protocol.problem.not_csv", detail=short(exc)))]) from None
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise _Refused([Problem(None, None, s.get("protocol.problem.empty"))])
    problems: list[Problem] = []
    _, header = numbered[0]
    header = [h.strip().lower() for h in header]
    for n, name in enumerate(header, start=1):
        if name not in CSV_COLUMNS:
            problems.append(Problem(s.get("protocol.header"), short(name) or str(n),
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
            problems.append(Problem(where, "kind", s.get("protocol.problem.unknown_kind", kind=short(kind),
                                                         known=", ".join(CSV_KINDS))))
            continue
        if kind == "setting":
            name, value = cells.pop("name", ""), cells.pop("value", None)
            if name not in SETTINGS:
                problems.append(Problem(where, "name", s.get("protocol.problem.unknown_setting", name=short(name),
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
