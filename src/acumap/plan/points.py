"""Standard points placed on the back view, and what the page says about each.

A point's place comes from its level and offset in data/points.toml; nothing here is a screen
coordinate. Bilateral points give two sites (left and right) that share one key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from acumap.data import anatomy as anat
from acumap.data.loading import Knowledge
from acumap.data.models import DangerDepth, SafetyWarning, StandardPoint
from acumap.data.strings import Strings
from acumap.plan.formatting import level_text


@dataclass(frozen=True)
class PointPlacement:
    """One marker of the points layer."""

    key: str  # the point's id; both sides of a bilateral point share it
    label: str  # text drawn beside the marker ("" for none)
    x: float  # B-cun, signed
    y: float  # drawing y (minus the drop below C7)
    hover: str
    in_zone: bool


@dataclass(frozen=True)
class Site:
    """One standard point at one level: e.g. BL13, or EX-B2 below T5."""

    key: str
    point: StandardPoint
    level: str  # as the data gives it ("below T5"; for GB21 "C7 to acromion")
    drop: float
    offset: float



def sites(k: Knowledge) -> tuple[Site, ...]:
    """Every standard point site, in data order (worked out once per loading of the data)."""
    return _sites(k)


@functools.lru_cache(maxsize=8)
def _sites(k: Knowledge) -> tuple[Site, ...]:
    found = []
    for p in k.points:
        if p.between:
            level, mark = p.between
            drop = (anat.level_drop(k.anatomy, level) + anat.landmark_drop(k.anatomy, mark)) / 2
            found.append(Site(p.code, p, f"{level} to {mark}", drop, k.anatomy.landmarks[mark].x / 2))
        elif p.levels:
            for level in p.levels:
                key = f"{p.code} {level.removeprefix('below ')}"
                found.append(Site(key, p, level, anat.level_drop(k.anatomy, level), p.offset or 0.0))
        else:
            level = p.level or ""
            found.append(Site(p.code, p, level, anat.level_drop(k.anatomy, level), p.offset or 0.0))
    return tuple(found)


@functools.lru_cache(maxsize=32)
def inside(k: Knowledge, region: str) -> tuple[Site, ...]:
    """The sites inside a region's zone, in data order."""
    return tuple(site for site in sites(k) if in_zone(k, site, region))


def in_zone(k: Knowledge, site: Site, region: str) -> bool:
    return anat.zone_contains(k.anatomy, k.regions[region].zone, float(site.drop), site.offset)


def danger_depth(k: Knowledge, code: str) -> DangerDepth | None:
    return next((d for d in k.safety.danger_depths if d.point == code), None)


def site_name(s: Strings, site: Site) -> str:
    """'BL13 Feishu', or for one level of a series 'EX-B2 Jiaji (below T5)'."""
    p = site.point
    return f"{p.code} {p.pinyin}" + (f" ({level_text(s, site.level)})" if p.levels else "")


def cun_to_mm(k: Knowledge, cun: float) -> float:
    """A depth in cun shown in mm through the sourced, approximate factor of data/points.toml [cun]."""
    return round(cun * k.cun.mm_per_cun, 3)


def depth_text(k: Knowledge, p: StandardPoint) -> str:
    """'0.3–0.5 cun (≈ 6–10 mm), obliquely [DM]': the usual depth in cun with mm beside it."""
    low, high = p.depth_cun
    s = k.strings
    return s.get("points.depth_detail", min=s.number(low), max=s.number(high), how=p.depth_how,
                 source=p.depth_source, mm_low=s.number(cun_to_mm(k, low)), mm_high=s.number(cun_to_mm(k, high)))


def hover(k: Knowledge, site: Site) -> str:
    s, p = k.strings, site.point
    lines = [
        f"<b>{p.code}</b> {p.pinyin} — {p.english}",
        s.get("points.where", level=level_text(s, site.level), offset=s.number(site.offset))
        + (f" ({s.get('points.approximate')})" if p.approximate else ""),
        s.get("points.depth", detail=depth_text(k, p)),
    ]
    if p.caution:
        lines.append(s.get("points.caution", text=p.caution))
    danger = danger_depth(k, p.code)
    if danger:
        lines.append(s.get("points.danger", tissue=danger.tissue, mm=s.number(danger.mean_mm), source=danger.source))
    return "<br>".join(lines)


def placements(k: Knowledge, region: str) -> list[PointPlacement]:
    """Every standard point site as drawn markers, flagged when inside the region's zone."""
    marks = []
    for site in sites(k):
        label = "" if site.point.levels else site.point.code
        inside = in_zone(k, site, region)
        text = hover(k, site)
        sides = (site.offset, -site.offset) if site.point.bilateral and site.offset else (site.offset,)
        for x in sides:
            # Label one side only, as atlases do: the mirror image needs no second label.
            marks.append(PointPlacement(site.key, label if x >= 0 else "", x, -site.drop, text, inside))
    return marks


def site_by_key(k: Knowledge, key: str) -> Site | None:
    return next((s for s in sites(k) if s.key == key), None)


def site_at(k: Knowledge, level: str, x: float) -> Site | None:
    """The standard point site at a level and a signed offset, if one of our list stands there."""
    drop = anat.level_drop(k.anatomy, level)
    for site in sites(k):
        if abs(site.drop - drop) < 1e-6 and abs(site.offset - abs(x)) < 1e-6 and (site.point.bilateral or x == 0):
            return site
    return None


def zone_danger_depths(k: Knowledge, region: str) -> list[DangerDepth]:
    """Measured depths to the tissue at risk of the points inside the zone, and of no other point."""
    codes = {site.point.code for site in inside(k, region)}
    return [d for d in k.safety.danger_depths if d.point in codes]


def needle_warnings(k: Knowledge, level: str, x: float) -> list[SafetyWarning]:
    """The warnings with a depth whose area holds a needle drawn at `level`, `x` B-cun from the midline."""
    return [w for w in k.safety.warnings
            if w.depth_cun is not None and anat.zone_contains(k.anatomy, w.covers, level, x)]


def canal_text(k: Knowledge, w: SafetyWarning) -> str:
    """'spinal canal about 1.25–1.75 cun (≈ 25–35 mm) deep [DM]'."""
    s = k.strings
    low, high = w.depth_cun or (0.0, 0.0)
    return s.get("figure.canal", tissue=w.tissue or "", low=s.number(low), high=s.number(high),
                 mm_low=s.number(cun_to_mm(k, low)), mm_high=s.number(cun_to_mm(k, high)),
                 sources=", ".join(w.sources))
