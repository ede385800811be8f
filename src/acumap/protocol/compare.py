"""Where your protocol differs from the articles: needle count, depth beyond the articles' or the
standard point's, retention and every other session parameter the file gives."""

from __future__ import annotations

from dataclasses import dataclass, field

from acumap.data import units
from acumap.data.loading import Knowledge
from acumap.data.quantities import BY_TABLE
from acumap.data.strings import Strings
from acumap.plan.formatting import level_text, span_text
from acumap.plan.planner import Plan
from acumap.plan.points import cun_to_mm, site_at
from acumap.plan.standard_depth import zone_depth
from acumap.protocol.types import Protocol


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
