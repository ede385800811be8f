"""The articles' needle depth held against the usual depth of the standard points inside the zone.

The points data gives usual depths in cun; they are shown in mm through the sourced, approximate
factor of data/points.toml [cun]. Where an article's depth is deeper than every standard point of
the zone is usually needled, the page says so beside the value, with both sources."""

from __future__ import annotations

from dataclasses import dataclass

from acumap.data.loading import Knowledge
from acumap.data.models import StandardPoint
from acumap.plan.planner import Plan
from acumap.plan.points import cun_to_mm, inside, site_at


@dataclass(frozen=True)
class ZoneDepth:
    codes: tuple[str, ...]  # standard points inside the zone, in data order
    cun: tuple[float, float]  # the shallowest and deepest usual depth among them
    mm: tuple[float, float]  # the same through the cun rule (approximate)
    directions: tuple[str, ...]  # how they are needled, as the points data says
    deeper: tuple[tuple[str, float], ...]  # (method, article depth in mm) deeper than mm[1]


def _deepest(plan: Plan) -> list[tuple[str, float]]:
    """Each stated method part's deepest stated depth, in mm."""
    q = plan.quantities["depth_mm"]
    found = []
    for p in q.parts if q else ():
        low, high = p.span
        deepest = high if high is not None else low
        if p.stated and deepest is not None:
            found.append((p.method or plan.method, deepest))
    return found


def zone_depth(k: Knowledge, plan: Plan) -> ZoneDepth | None:
    """None where no standard point of our list lies inside the zone."""
    points: list[StandardPoint] = []
    for site in inside(k, plan.region):
        if site.point not in points:
            points.append(site.point)
    if not points:
        return None
    low = min(p.depth_cun[0] for p in points)
    high = max(p.depth_cun[1] for p in points)
    mm = (cun_to_mm(k, low), cun_to_mm(k, high))
    directions = tuple(dict.fromkeys(p.depth_how for p in points))
    deeper = tuple((m, d) for m, d in _deepest(plan) if d > mm[1])
    return ZoneDepth(tuple(p.code for p in points), (low, high), mm, directions, deeper)


def marker_points(k: Knowledge, plan: Plan) -> list[StandardPoint | None]:
    """The standard point each drawn needle marker sits on, or None, in marker order."""
    found = []
    for spot in k.regions[plan.region].markers:
        site = site_at(k, spot.level, spot.x)
        found.append(site.point if site else None)
    return found


def deeper_than_point(k: Knowledge, plan: Plan, point: StandardPoint) -> list[tuple[str, float]]:
    """The method parts whose stated depth is deeper than this point's usual depth."""
    limit = cun_to_mm(k, point.depth_cun[1])
    return [(m, d) for m, d in _deepest(plan) if d > limit]


def drawn_deeper(k: Knowledge, plan: Plan) -> tuple[str, ...]:
    """The codes of the standard points the drawn needles sit on whose usual depth the articles'
    depth exceeds: a zone whose deepest point is as deep as the articles says nothing for the
    shallower points the needles are actually drawn on."""
    needles = plan.quantities["needles"]
    count = int(needles.max) if needles and needles.max is not None else 0
    codes = [p.code for p in marker_points(k, plan)[:count] if p is not None and deeper_than_point(k, plan, p)]
    return tuple(dict.fromkeys(codes))
