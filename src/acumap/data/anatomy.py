"""Turning anatomical positions (a vertebral level and a B-cun offset) into drawing coordinates.

The drawing's y is minus the `drop` below C7, so the head is up. x is B-cun from the midline.
"""

from __future__ import annotations

from acumap.data.models import Anatomy, Zone

BELOW = "below "
ABOVE = "above "


def level_drop(anatomy: Anatomy, level: str) -> float:
    """Drop (B-cun below C7) of a level.

    "T3" is the spinous process; "below T3" the space under it, halfway to the next spinous process;
    "above C2" halfway to the one above. A landmark with a drop ("occiput") may stand for a vertebra:
    "below occiput" is halfway from it to the first spinous process beneath.
    """
    drops = {v.name: v.drop for v in anatomy.vertebrae}
    marks = {n: m.drop for n, m in anatomy.landmarks.items() if m.drop is not None}
    for prefix in (BELOW, ABOVE):
        if level.startswith(prefix):
            name, side = level[len(prefix):], prefix
            break
    else:
        name, side = level, ""
    here = drops.get(name, marks.get(name))
    if here is None:
        raise ValueError(f"unknown level '{level}' (use a vertebra C1-S5, a landmark, or 'below'/'above' one)")
    if side == BELOW:
        beneath = [d for d in drops.values() if d > here]
        if not beneath:
            raise ValueError(f"nothing is below {name} in the drawing")
        return (here + min(beneath)) / 2
    if side == ABOVE:
        over = [d for d in drops.values() if d < here]
        if not over:
            raise ValueError(f"nothing is above {name} in the drawing")
        return (here + max(over)) / 2
    return here


def landmark_drop(anatomy: Anatomy, name: str) -> float:
    mark = anatomy.landmarks[name]
    return mark.drop if mark.drop is not None else level_drop(anatomy, mark.level or "")


def y_of(anatomy: Anatomy, level: str) -> float:
    return -level_drop(anatomy, level)


def zones_overlap(anatomy: Anatomy, a: Zone, b: Zone) -> bool:
    """Whether two zones share at least one spot (edges included, as zone_contains counts them)."""
    a_top, a_bottom = level_drop(anatomy, a.from_), level_drop(anatomy, a.to)
    b_top, b_bottom = level_drop(anatomy, b.from_), level_drop(anatomy, b.to)
    return (max(a_top, b_top) <= min(a_bottom, b_bottom)
            and max(a.lateral[0], b.lateral[0]) <= min(a.lateral[1], b.lateral[1]))


def zone_contains(anatomy: Anatomy, zone: Zone, level: str | float, x: float) -> bool:
    """Whether a spot at `level` (a level name, or a drop already worked out), `x` B-cun lies in the
    zone (the band is mirrored on both sides)."""
    drop = level if isinstance(level, float) else level_drop(anatomy, level)
    top, bottom = level_drop(anatomy, zone.from_), level_drop(anatomy, zone.to)
    inner, outer = zone.lateral
    return top <= drop <= bottom and inner <= abs(x) <= outer
