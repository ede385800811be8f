"""The session plan for one region x method x stage, built only from the articles' statements.

Each quantity is split by method where the articles' statements depend on it (depth, retention);
each part is the span of its applicable statements, in the plan's unit. A part no statement covers
is "not stated" and stays visible as such; nothing is ever filled in. A statement for the chosen
stage outranks one for every stage: the generic one is kept, marked, but makes no headline.

The planner returns structure only (spans, statements, flags); formatting.py turns it into words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from acumap.data import anatomy as anat
from acumap.data import units
from acumap.data.loading import Knowledge
from acumap.data.models import Caveat, Claim, SafetyWarning, Stage
from acumap.data.quantities import QUANTITIES, QuantitySpec

Span = tuple[float | None, float | None]


@dataclass(frozen=True)
class Statement:
    """One article statement as it applies in this plan, converted to the plan's unit."""

    claim: Claim
    part: str | None  # the plain method it speaks for, where the quantity depends on method
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Piece:
    """What one headline says: a part's whole value, or, where the lines for two stages would merge
    into a range that no line states (15–30 min beside about 60), one stage's own."""

    severity: str | None  # the stage tag of its lines, where the part is split by stage
    statements: tuple[Statement, ...]

    @property
    def span(self) -> Span:
        return _span(list(self.statements))

    @property
    def approximate(self) -> bool:
        return _approximate(self.statements)

    @property
    def sources(self) -> list[str]:
        return sorted({s.claim.source for s in self.statements})

    @property
    def wording(self) -> str | None:
        return _shared(st.claim.wording for st in self.statements)

    @property
    def condition(self) -> str | None:
        return _shared(st.claim.condition for st in self.statements)


@dataclass(frozen=True)
class Part:
    """One method's share of a quantity; `method` is None where the quantity does not depend on it."""

    method: str | None
    statements: tuple[Statement, ...]  # the headline: empty means not stated for this method
    generic: tuple[Statement, ...]  # statements for every stage, outranked by ones for this stage

    @property
    def stated(self) -> bool:
        return bool(self.statements)

    @property
    def span(self) -> Span:
        return _span(list(self.statements)) if self.statements else (None, None)

    @property
    def sources(self) -> list[str]:
        return sorted({s.claim.source for s in self.statements})

    @property
    def approximate(self) -> bool:
        """Whether the value must read as approximate (see _approximate)."""
        return _approximate(self.statements)

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """The part's headline: one piece where a line states its whole span; else, where its lines
        come from different stages (stage II takes the 'initial' and the 'neglected' lines), one piece
        per stage, so no merged range that no line states is shown ("15–30 min · about 60 min")."""
        if not self.statements:
            return ()
        groups: dict[str | None, list[Statement]] = {}
        for st in self.statements:
            groups.setdefault(st.claim.severity, []).append(st)
        if len(groups) == 1 or any((st.min, st.max) == self.span for st in self.statements):
            return (Piece(None, self.statements),)
        return tuple(Piece(tag, tuple(group)) for tag, group in groups.items())

    @property
    def split(self) -> bool:
        return len(self.pieces) > 1

    @property
    def wording(self) -> str | None:
        """The articles' own words for the value, where every statement behind it words it so."""
        return _shared(st.claim.wording for st in self.statements)

    @property
    def differ(self) -> dict[str, Span] | None:
        """Each article's span, where two articles state a different bound; else None."""
        return _disagree(list(self.statements))


@dataclass(frozen=True)
class Quantity:
    spec: QuantitySpec
    parts: tuple[Part, ...]
    set_aside: tuple[Statement, ...]  # statements our reading gives to a method not chosen
    caveats: tuple[Caveat, ...]
    # Where this region has no line for the chosen stage, the regions that do (lumbar stage III: the
    # cervical and thoracic sessions have "neglected" lines; the lumbar shows the lines for every stage).
    stage_lines_elsewhere: tuple[str, ...] = ()

    @property
    def by_method(self) -> bool:
        return self.parts[0].method is not None

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(st for p in self.parts for st in p.statements)

    @property
    def generic(self) -> tuple[Statement, ...]:
        return tuple(st for p in self.parts for st in p.generic)

    @property
    def missing(self) -> tuple[str, ...]:
        """The methods of the plan for which no article states this quantity."""
        return tuple(p.method for p in self.parts if not p.stated and p.method)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def min(self) -> float | None:
        lows = [p.span[0] for p in self.parts if p.stated]
        # A part with no stated lower bound leaves the whole lower bound open ("up to").
        return None if any(v is None for v in lows) else min(v for v in lows if v is not None)

    @property
    def max(self) -> float | None:
        highs = [p.span[1] for p in self.parts if p.stated]
        return None if any(v is None for v in highs) else max(v for v in highs if v is not None)

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in self.parts)

    @property
    def split(self) -> bool:
        """A part whose headline is shown as its stages' own values, side by side."""
        return any(p.split for p in self.parts)

    @property
    def uniform(self) -> bool:
        """One headline span says it all: every part stated, none split, all with the same span (under
        "Both", depth 3–10 mm beside 10–20 mm is two values, never 3–20)."""
        return self.complete and not self.split and len({p.span for p in self.parts}) == 1

    @property
    def conflict(self) -> bool:
        return any(p.differ for p in self.parts)

    @property
    def sources(self) -> list[str]:
        return sorted({s.claim.source for s in self.statements})

    @property
    def stage_specific(self) -> bool:
        return any(s.claim.severity for s in self.statements)

    @property
    def reading(self) -> bool:
        """Whether our reading acts on this value: a statement applied beyond its words, a statement
        given to the other method, or the stage mapping."""
        return self.stage_specific or bool(self.set_aside) or any(s.claim.reading for s in self.statements)

    def part(self, method: str) -> Part | None:
        return next((p for p in self.parts if p.method == method), None)


@dataclass(frozen=True)
class Plan:
    region: str
    method: str
    stage: str
    stage_info: Stage
    quantities: dict[str, Quantity | None]
    stage_outside_source: bool  # the stage descriptions' article writes of another region only
    method_caveat: str | None
    warnings: tuple[SafetyWarning, ...]


def firm_count(needles: Quantity) -> int:
    """How many needles every article asks for (a needle beyond it is one not every article asks
    for: drawn faded, described as optional). An article that gives only an upper bound ("reaches
    5") asks for none of them firmly."""
    part = needles.parts[0]
    spans = part.differ or {src: part.span for src in part.sources}
    return int(min(low if low is not None else 0 for low, _ in spans.values()))


def choices(k: Knowledge) -> dict[str, list[str]]:
    """The valid values of each control, in the order the data files give them."""
    return {"region": list(k.regions), "method": list(k.methods), "stage": list(k.stages)}


def make_plan(k: Knowledge, region: str, method: str, stage: str) -> Plan:
    for name, value in (("region", region), ("method", method), ("stage", stage)):
        if value not in choices(k)[name]:
            raise ValueError(f"unknown {name} '{value}' (choose from {', '.join(choices(k)[name])})")
    stage_info = k.stages[stage]
    quantities = {spec.key: _quantity(k, spec, region, method, stage_info) for spec in QUANTITIES}
    outside = any(
        k.sources[ev.source].only_regions and region not in (k.sources[ev.source].only_regions or ())
        for ev in stage_info.evidence
    )
    # A warning belongs to every zone that shares a spot with what it covers: derived, never listed.
    zone = k.regions[region].zone
    warnings = tuple(w for w in k.safety.warnings if anat.zones_overlap(k.anatomy, w.covers, zone))
    return Plan(region, method, stage, stage_info, quantities, outside, k.methods[method].caveat, warnings)


def _for_region(c: Claim, region: str) -> bool:
    """One rule for every statement: used for the region it was written of, and for no other."""
    return c.written_of(region)


def _span(stmts: list[Statement]) -> Span:
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


def _shared(values: Iterable[str | None]) -> str | None:
    """The one text every statement gives (a wording, a condition); None where they differ or one gives none."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _approximate(stmts: tuple[Statement, ...] | list[Statement]) -> bool:
    """Whether a value must read as approximate. A single value: when only 'about' statements give it
    exactly ("about five", beside "reaches 5"). A range, or an open one: when each bound it states
    comes only from 'about' lines ("about 1-2 cm" beside "about two centimeters": about 10–20 mm;
    "approximately up to 30 minutes": up to about 30 min)."""
    low, high = _span(list(stmts))
    if low is None and high is None:
        return False
    if low == high:
        exact = [st for st in stmts if (st.min, st.max) == (low, high)]
        return bool(exact) and all(st.claim.about for st in exact)
    for bound, end in ((low, 0), (high, 1)):
        if bound is None:
            continue
        givers = [st for st in stmts if (st.min, st.max)[end] == bound]
        if not givers or not all(st.claim.about for st in givers):
            return False
    return True


def _disagree(stmts: list[Statement]) -> dict[str, Span] | None:
    by_source: dict[str, list[Statement]] = {}
    for s in stmts:
        by_source.setdefault(s.claim.source, []).append(s)
    spans = {src: _span(group) for src, group in sorted(by_source.items())}
    # A bound one article states and another leaves open ("3-10" beside "up to 10") is a difference.
    if any(len({span[bound] for span in spans.values()}) > 1 for bound in (0, 1)):
        return spans
    return None


def _headline(stmts: list[Statement], matches: tuple[str, ...]) -> tuple[list[Statement], list[Statement]]:
    """(headline, outranked generic). Per severity the stage matches, the statements for that
    severity if any, else the generic ones; generic statements used for no severity are outranked."""
    generic = [s for s in stmts if s.claim.severity is None]
    chosen: list[Statement] = []
    for tag in matches:
        specific = [s for s in stmts if s.claim.severity == tag]
        chosen += specific or [g for g in generic if g not in chosen]
    return chosen, [g for g in generic if g not in chosen]


def _quantity(k: Knowledge, spec: QuantitySpec, region: str, method: str, stage_info: Stage) -> Quantity | None:
    claims = [c for c in k.facts.get(spec.table, ()) if _for_region(c, region)]
    by_method = any(c.methods for c in claims)
    components = [m for m in k.methods if m in k.components(method)]  # in the order of the control
    parts: list[Part] = []
    for part in components if by_method else (None,):
        stmts = [
            Statement(c, part, units.convert(c.min, c.unit, spec.unit), units.convert(c.max, c.unit, spec.unit))
            for c in claims
            if (c.severity is None or c.severity in stage_info.matches) and (c.methods is None or part in c.methods)
        ]
        headline, generic = _headline(stmts, stage_info.matches)
        parts.append(Part(part, tuple(headline), tuple(generic)))
    if not any(p.stated for p in parts):
        return None
    set_aside = tuple(
        Statement(c, None, units.convert(c.min, c.unit, spec.unit), units.convert(c.max, c.unit, spec.unit))
        for c in claims
        if c.reading and c.methods and not set(c.methods) & set(components)
        and (c.severity is None or c.severity in stage_info.matches)
    )
    caveats = tuple(c for c in k.caveats if c.quantity == spec.key)
    elsewhere: tuple[str, ...] = ()
    if not any(st.claim.severity for p in parts for st in p.statements):
        staged = [c for c in k.facts.get(spec.table, ()) if c.severity in stage_info.matches]
        elsewhere = tuple(r for r in k.regions if r != region and any(c.written_of(r) for c in staged))
    return Quantity(spec, tuple(parts), set_aside, caveats, elsewhere)
