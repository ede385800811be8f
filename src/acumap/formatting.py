"""Plan values as the short texts the page, the figure hover and the CLI show."""

from __future__ import annotations

from acumap import units
from acumap.planner import Quantity, Statement
from acumap.strings import Strings


def number(x: float) -> str:
    return f"{x:g}"


def span_text(
    s: Strings, low: float | None, high: float | None, unit: str, display_unit: str, with_unit: bool = True
) -> str:
    """'20–30 min', 'up to 4 min', '8 needles'; 'not stated' where both bounds are open."""
    low, high = units.convert(low, unit, display_unit), units.convert(high, unit, display_unit)
    if low is None and high is None:
        return s.get("value.not_stated")
    if low is None:
        text = s.get("value.up_to", max=number(high))  # type: ignore[arg-type]
    elif high is None:
        text = s.get("value.from", min=number(low))
    elif low == high:
        text = s.get("value.single", value=number(low))
    else:
        text = s.get("value.range", min=number(low), max=number(high))
    if not with_unit:
        return text
    return s.get("value.with_unit", number=text, unit=s.get(f"unit.{display_unit}"))


def quantity_text(s: Strings, q: Quantity | None, with_unit: bool = True) -> str:
    if q is None:
        return s.get("value.not_stated")
    return span_text(s, q.min, q.max, q.spec.unit, q.spec.display_unit, with_unit)


def statement_text(s: Strings, q: Quantity, st: Statement) -> str:
    return span_text(s, st.min, st.max, q.spec.unit, q.spec.display_unit)
