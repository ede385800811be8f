"""The quotes behind a value, as plain (source, line, quote) evidence, and their texts for hovers and
answers. Shared by the quiz, the session timeline and the course calendar."""

from __future__ import annotations

from collections.abc import Iterable

from acumap.data.models import Evidence
from acumap.data.strings import Strings
from acumap.plan.formatting import cite
from acumap.plan.planner import Statement


def quotes(items: Iterable[Evidence | Statement]) -> tuple[Evidence, ...]:
    """Each quote once, in the order given, stripped to source, line, quote and its rendering."""
    found: list[Evidence] = []
    seen: set[tuple[str, int, str]] = set()
    for item in items:
        ev = item.claim if isinstance(item, Statement) else item
        key = (ev.source, ev.line, ev.quote)
        if key not in seen:
            seen.add(key)
            found.append(Evidence(source=ev.source, line=ev.line, quote=ev.quote, quote_ru=ev.quote_ru))
    return tuple(found)


def cites(s: Strings, evidence: Iterable[Evidence]) -> tuple[str, ...]:
    """'A, line 217: “…”' for each quote."""
    return tuple(cite(s, ev) for ev in evidence)


def hover_cites(s: Strings, evidence: Iterable[Evidence]) -> str:
    return "<br>".join(cites(s, evidence))
