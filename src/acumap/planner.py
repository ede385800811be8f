"""The session plan for one region x method x stage, built only from the articles' statements.

Each quantity is the span of every applicable statement, in the plan's unit, with the statements
behind it. A quantity no statement covers is None ("not stated"); nothing is ever filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acumap import units
from acumap.loading import Knowledge
from acumap.models import Claim, Stage
from acumap.quantities import QUANTITIES, QuantitySpec


@dataclass(frozen=True)
class Statement:
    """One article statement as it applies in this plan, converted to the plan's unit."""

    claim: Claim
    part: str | None  # the plain method it speaks for, where the quantity depends on method
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Quantity:
    spec: QuantitySpec
    min: float | None
    max: float | None
    statements: tuple[Statement, ...]
    conflict: bool
    notes: tuple[str, ...]

    @property
    def sources(self) -> list[str]:
        return sorted({s.claim.source for s in self.statements})

    def part(self, part: str) -> tuple[tuple[float | None, float | None], list[str]] | None:
        """The span and the articles for one method's needles; None where no article states it."""
        stmts = [s for s in self.statements if s.part == part]
        if not stmts:
            return None
        return _span(stmts), sorted({s.claim.source for s in stmts})

    def to_json(self) -> dict[str, Any]:
        evidence, seen = [], set()
        for s in self.statements:
            key = (s.claim.source, s.claim.line, s.claim.quote)
            if key not in seen:
                seen.add(key)
                evidence.append({"source": key[0], "line": key[1], "quote": key[2]})
        return {
            "min": _plain(self.min),
            "max": _plain(self.max),
            "unit": self.spec.unit,
            "sources": self.sources,
            "evidence": evidence,
            "conflict": self.conflict,
            "note": " ".join(self.notes) or None,
        }


@dataclass(frozen=True)
class Plan:
    region: str
    method: str
    stage: str
    stage_info: Stage
    quantities: dict[str, Quantity | None]

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"region": self.region, "method": self.method, "stage": self.stage}
        for spec in QUANTITIES:
            if spec.in_json:
                q = self.quantities[spec.key]
                doc[spec.key] = q.to_json() if q else None
        return doc


def choices(k: Knowledge) -> dict[str, list[str]]:
    """The valid values of each control, in the order the data files give them."""
    return {"region": list(k.regions), "method": list(k.methods), "stage": list(k.stages)}


def make_plan(k: Knowledge, region: str, method: str, stage: str) -> Plan:
    for name, value in (("region", region), ("method", method), ("stage", stage)):
        if value not in choices(k)[name]:
            raise ValueError(f"unknown {name} '{value}' (choose from {', '.join(choices(k)[name])})")
    stage_info = k.stages[stage]
    quantities = {
        spec.key: _quantity(k, spec, region, method, stage, stage_info) for spec in QUANTITIES
    }
    return Plan(region, method, stage, stage_info, quantities)


def _applies(c: Claim, region: str, tags: tuple[str, ...], part: str | None) -> bool:
    return (
        (c.regions is None or region in c.regions)
        and (c.severity is None or c.severity in tags)
        and (c.methods is None or part in c.methods)
    )


def _span(stmts: list[Statement]) -> tuple[float | None, float | None]:
    """The lower and upper bounds the statements give together; None where they leave one open.

    "Up to 10 mm" beside "3-10 mm" keeps the lower bound 3: it says nothing against it. "Up to
    30 min" beside "60 min" opens it: nothing states how short the shorter sessions are.
    """
    mins = [s.min for s in stmts if s.min is not None]
    maxes = [s.max for s in stmts if s.max is not None]
    low = min(mins) if mins else None
    high = max(maxes) if maxes else None
    if low is not None and any(s.min is None and s.max is not None and s.max < low for s in stmts):
        low = None
    if high is not None and any(s.max is None and s.min is not None and s.min > high for s in stmts):
        high = None
    return low, high


def _disagree(stmts: list[Statement]) -> dict[str, tuple[float | None, float | None]] | None:
    """Each article's span, if two articles state a different bound; else None."""
    by_source: dict[str, list[Statement]] = {}
    for s in stmts:
        by_source.setdefault(s.claim.source, []).append(s)
    spans = {src: _span(group) for src, group in sorted(by_source.items())}
    for bound in (0, 1):
        stated = {span[bound] for span in spans.values() if span[bound] is not None}
        if len(stated) > 1:
            return spans
    return None


def _plain(value: float | None) -> float | int | None:
    """6.0 -> 6, so the JSON reads as the articles do."""
    return int(value) if value is not None and float(value).is_integer() else value


def _fmt(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _quantity(
    k: Knowledge, spec: QuantitySpec, region: str, method: str, stage: str, stage_info: Stage
) -> Quantity | None:
    claims = k.facts.get(spec.table, ())
    by_method = any(c.methods for c in claims)
    parts: tuple[str | None, ...] = k.components(method) if by_method else (None,)
    s = k.strings

    statements: list[Statement] = []
    notes: list[str] = []
    conflict = False
    lows: list[float | None] = []
    highs: list[float | None] = []
    for part in parts:
        stmts = [
            Statement(c, part, units.convert(c.min, c.unit, spec.unit), units.convert(c.max, c.unit, spec.unit))
            for c in claims
            if _applies(c, region, stage_info.matches, part)
        ]
        if not stmts:
            if len(parts) > 1:
                notes.append(s.get("plan.part_not_stated", part=s.get(f"method_part.{part}")))
            continue
        statements += stmts
        low, high = _span(stmts)
        # A part with no stated lower bound leaves the whole lower bound open ("up to").
        lows.append(low)
        highs.append(high)
        spans = _disagree(stmts)
        if spans:
            conflict = True
            listed = ", ".join(
                f"{src} {_fmt(lo)}" + ("" if lo == hi else f"-{_fmt(hi)}") for src, (lo, hi) in spans.items()
            )
            prefix = f"{s.get(f'method_part.{part}')}: " if part else ""
            notes.append(s.get("plan.articles_differ", detail=f"{prefix}{listed} {spec.unit}"))

    if not statements:
        return None
    for st in statements:
        if st.claim.note:
            text = f"{st.claim.source}: {st.claim.note}"
            if text not in notes:
                notes.append(text)
    if any(st.claim.severity for st in statements):
        notes.append(s.get("plan.stage_reading", stage=stage, reading=stage_info.interpretation))
    low = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
    high = None if any(v is None for v in highs) else max(v for v in highs if v is not None)
    return Quantity(spec, low, high, tuple(statements), conflict, tuple(notes))
