"""Turning anatomical positions (a vertebral level and a B-cun offset) into drawing coordinates.

The drawing's y is minus the `drop` below C7, so the head is up. x is B-cun from the midline.
"""

from __future__ import annotations

from acumap.models import Anatomy, Zone

BELOW = "below "


def level_drop(anatomy: Anatomy, level: str) -> float:
    """Drop (B-cun below C7) of a level: "T3" is the spinous process, "below T3" the space under it,
    halfway to the next spinous process."""
    names = [v.name for v in anatomy.vertebrae]
    name = level[len(BELOW):] if level.startswith(BELOW) else level
    if name not in names:
        raise ValueError(f"unknown level '{level}' (use a vertebra C1-S5, or 'below <vertebra>')")
    i = names.index(name)
    here = anatomy.vertebrae[i].drop
    if not level.startswith(BELOW):
        return here
    if i + 1 == len(names):
        raise ValueError(f"nothing is below {name} in the drawing")
    return (here + anatomy.vertebrae[i + 1].drop) / 2


def landmark_drop(anatomy: Anatomy, name: str) -> float:
    mark = anatomy.landmarks[name]
    return mark.drop if mark.drop is not None else level_drop(anatomy, mark.level or "")


def y_of(anatomy: Anatomy, level: str) -> float:
    return -level_drop(anatomy, level)


def zone_contains(anatomy: Anatomy, zone: Zone, level: str, x: float) -> bool:
    """Whether a spot at `level`, `x` B-cun lies in the zone (the band is mirrored on both sides)."""
    drop = level_drop(anatomy, level)
    top, bottom = level_drop(anatomy, zone.from_), level_drop(anatomy, zone.to)
    inner, outer = zone.lateral
    return top <= drop <= bottom and inner <= abs(x) <= outer
