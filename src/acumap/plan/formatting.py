"""Plan values as the short texts the page, the figure hovers, the plan JSON notes and the CLI show.

The planner gives structure (parts, spans, statements); every word comes from the strings file."""

from __future__ import annotations

from acumap.data import units
from acumap.data.models import Evidence
from acumap.data.strings import Strings
from acumap.plan.planner import Part, Piece, Plan, Quantity, Span, Statement


def number(s: Strings, x: float) -> str:
    return s.number(x)


def span_text(
    s: Strings, low: float | None, high: float | None, unit: str, display_unit: str, with_unit: bool = True,
    about: bool = False,
) -> str:
    """'20–30 min', 'up to 4 min', '8 needles'; 'not stated' where both bounds are open. With `about`
    (the lines hedge it): 'about 10–20 mm', 'up to about 30 min', 'about 5 needles'."""
    low, high = units.convert(low, unit, display_unit), units.convert(high, unit, display_unit)
    if low is None and high is None:
        return s.get("value.not_stated")
    if low is None:
        text = s.get("value.about_up_to" if about else "value.up_to", max=number(s, high))  # type: ignore[arg-type]
    elif high is None:
        text = s.get("value.about_from" if about else "value.from", min=number(s, low))
    else:
        text = s.get("value.single", value=number(s, low)) if low == high else \
            s.get("value.range", min=number(s, low), max=number(s, high))
        if about:
            text = s.get("value.about", value=text)
    if not with_unit:
        return text
    count = high if high is not None else low
    return s.get("value.with_unit", number=text, unit=s.plural(f"unit.{display_unit}", count))  # type: ignore[arg-type]


def piece_text(s: Strings, q: Quantity, piece: Piece, with_unit: bool = True, sources: bool = False,
               unit: str | None = None) -> str:
    """One headline value with its hedge ('about 10–20 mm', 'up to about 30 min') or the articles' own
    words ('daily'), and the condition its lines put on it ('14 days, if treatment is resumed'); with its
    stage where the part is split by stage ('about 60 min (neglected stage)'), and its articles with
    `sources`. `unit`: show it in this unit instead of the quantity's."""
    text = piece.wording or span_text(s, piece.span[0], piece.span[1], q.spec.unit, unit or q.spec.display_unit,
                                      with_unit, piece.approximate)
    if piece.condition:
        text = s.get("value.condition", value=text, condition=piece.condition)
    if piece.severity is not None:
        text = s.get("value.piece", value=text, stage=s.get(f"severity.{piece.severity}"))
    if sources:
        text = s.get("value.with_sources", value=text, sources=", ".join(piece.sources))
    return text


def part_text(s: Strings, q: Quantity, p: Part, with_unit: bool = True, sources: bool = False) -> str:
    """A part's headline: its one value, or its stages' own values side by side (never a range that
    no line states): '15–30 min (initial stage) · about 60 min (neglected stage)'."""
    if not p.stated:
        return s.get("value.not_stated")
    return s.get("value.joiner").join(piece_text(s, q, piece, with_unit, sources) for piece in p.pieces)


def quantity_text(s: Strings, q: Quantity | None, with_unit: bool = True, sources: bool = False) -> str:
    """The value of a quantity. Split by method where the plan has two methods, each part saying
    'not stated' as plainly as the other gives its range: 'exciting 3–10 mm · sedative: not stated'.
    With `sources`, each value ends with its articles: 'about 10–20 mm [A, C, D]'."""
    if q is None:
        return s.get("value.not_stated")
    texts = []
    for p in q.parts:
        if not p.stated:
            texts.append(s.get("value.part_not_stated", part=s.get(f"method_part.{p.method}")))
            continue
        text = part_text(s, q, p, with_unit, sources)
        texts.append(s.get("value.part", part=s.get(f"method_part.{p.method}"), value=text)
                     if len(q.parts) > 1 else text)
    return s.get("value.joiner").join(texts)


def by_source(s: Strings, q: Quantity, p: Part) -> str:
    """'A about 5, D up to 5 needles' where the statements of a part differ, else its one value. Each
    value is one line's, with that line's own hedge: where an article gives different values on
    different lines, each is listed with its line (and its stage, where one line gives two), never
    merged into one range credited to the article."""
    if not lines_differ(p.statements):
        return part_text(s, q, p)
    return _by_source(s, q, p.statements)


def lines_differ(stmts: tuple[Statement, ...] | list[Statement]) -> bool:
    return len({(st.min, st.max) for st in stmts}) > 1


Item = tuple[str, Span, bool]  # a label ('A', 'D 665'), a span, and whether its line says "about"


def _listed(s: Strings, q: Quantity, items: list[Item]) -> str:
    """'A 20, C 10–30 min', 'A about 5, D up to 5 needles': each labelled value with its own hedge,
    then the unit (in the form the last one needs)."""
    listed = ", ".join(f"{label} {span_text(s, low, high, q.spec.unit, q.spec.display_unit, False, about)}"
                       for label, (low, high), about in items)
    low, high = items[-1][1]
    count = units.convert(high if high is not None else low, q.spec.unit, q.spec.display_unit)
    return s.get("value.listed", values=listed, unit=s.plural(f"unit.{q.spec.display_unit}", count or 0))


def statement_text(s: Strings, q: Quantity, st: Statement) -> str:
    return span_text(s, st.min, st.max, q.spec.unit, q.spec.display_unit, about=st.claim.about)


def _by_source(s: Strings, q: Quantity, stmts: tuple[Statement, ...] | list[Statement]) -> str:
    """Each line's own value, labelled by its article; with its line too where the article gives
    different values on different lines, and its stage where one line gives two ('D 665 (initial
    stage) 6' beside 'D 665 7'). The same value from one article is listed once."""
    spans: dict[str, set[Span]] = {}
    per_line: dict[tuple[str, int], set[Span]] = {}
    for st in stmts:
        spans.setdefault(st.claim.source, set()).add((st.min, st.max))
        per_line.setdefault((st.claim.source, st.claim.line), set()).add((st.min, st.max))
    items: list[Item] = []
    for st in stmts:
        c = st.claim
        label = c.source
        if len(spans[c.source]) > 1:
            label = s.get("value.line_ref", source=c.source, line=c.line)
            if len(per_line[(c.source, c.line)]) > 1 and c.severity is not None:
                label = s.get("value.piece", value=label, stage=s.get(f"severity.{c.severity}"))
        item = (label, (st.min, st.max), c.about)
        if item not in items:
            items.append(item)
    return _listed(s, q, items)


def level_text(s: Strings, level: str) -> str:
    """A level as the data names it ("below T5", "C7 to acromion") in the reader's language."""
    if " to " in level:  # halfway between a level and a landmark (GB21)
        a, b = level.split(" to ", 1)
        return s.get("level.between", a=level_text(s, a), b=level_text(s, b))
    for side in ("below", "above"):
        if level.startswith(f"{side} "):
            return s.get(f"level.{side}", name=level_text(s, level[len(side) + 1:]))
    return s.get(f"landmark.{level}") if s.has(f"landmark.{level}") else level


def cite(s: Strings, ev: Evidence) -> str:
    """'A, line 217: “…”'; on a page in another language than English, followed by our rendering
    of the quote, marked as our translation (the English words stay the evidence)."""
    return s.get("value.cite", source=ev.source, line=ev.line, quote=ev.quote) + rendering(s, ev.quote_ru)


def rendering(s: Strings, quote_ru: str | None) -> str:
    """' — our translation of the English text: «…»' on the Russian page; nothing in English."""
    return s.get("value.rendering", rendering=quote_ru) if quote_ru and s.lang != "en" else ""


def quantity_notes(s: Strings, plan: Plan, q: Quantity | None) -> list[str]:
    """Why a value may need a second look, in the unit shown on screen: where the articles differ,
    which method part no article states, the generic statements a stage statement outranks, what
    our reading sets aside, each statement's own note, the stage mapping and the articles' caveats."""
    if q is None:
        return []
    notes: list[str] = []
    for p in q.parts:
        if lines_differ(p.statements):
            prefix = s.get("plan.part_prefix", part=s.get(f"method_part.{p.method}")) if p.method else ""
            key = "plan.articles_differ" if p.differ else "plan.lines_differ"
            notes.append(s.get(key, detail=prefix + by_source(s, q, p)))
    notes += [s.get("plan.part_not_stated", part=s.get(f"method_part.{m}")) for m in q.missing]
    if q.generic:
        notes.append(s.get("plan.generic", detail=_by_source(s, q, q.generic), stage=plan.stage))
    if q.set_aside:
        methods = sorted({m for st in q.set_aside for m in st.claim.methods or ()})
        notes.append(s.get("plan.set_aside", detail=_by_source(s, q, q.set_aside),
                           methods=", ".join(s.get(f"method_part.{m}") for m in methods)))
    for st in (*q.statements, *q.set_aside):
        if st.claim.note:
            text = f"{st.claim.source} {st.claim.line}: {st.claim.note}"
            if text not in notes:
                notes.append(text)
    if q.spec.key in ("session_min", "retention_s"):
        notes += stay_longer_than_session(s, plan)
    if q.stage_specific:
        notes.append(s.get("plan.stage_reading", stage=plan.stage, reading=plan.stage_info.interpretation))
    if q.stage_lines_elsewhere:
        notes.append(s.get("plan.no_stage_line", stage=plan.stage, region=s.get(f"region_part.{plan.region}"),
                           others=", ".join(s.get(f"region_part.{r}") for r in q.stage_lines_elsewhere)))
    notes += [s.get("plan.caveat", text=cite(s, c)) for c in q.caveats]
    return notes


def stay_longer_than_session(s: Strings, plan: Plan) -> list[str]:
    """Where the needles may stay in longer than the shortest session lasts (stage I: a session of
    15-30 min beside a stay of 20-30 min), a disagreement between lines, said in words; neither
    value is changed. Empty where no line gives the session a lower bound or no stay exceeds it."""
    session, stay = plan.quantities["session_min"], plan.quantities["retention_s"]
    if session is None or stay is None or session.parts[0].span[0] is None:
        return []
    shortest: float = session.parts[0].span[0]
    ends = [end for p in stay.parts if p.stated and (end := p.span[1]) is not None]
    longest = max(ends, default=None)
    longest_min = None if longest is None else units.convert(longest, stay.spec.unit, "min")
    if longest_min is None or longest_min <= shortest:
        return []
    stays = [st for p in stay.parts for st in p.statements if st.max == longest]
    sessions = [st for st in session.parts[0].statements if st.min == shortest]
    # Each figure keeps its lines' hedge: "about" only where every line behind it says so.
    return [s.get("plan.stay_longer",
                  stay=span_text(s, None, longest, stay.spec.unit, stay.spec.display_unit,
                                 about=all(st.claim.about for st in stays)),
                  stay_lines=_lines(s, stays),
                  session=span_text(s, shortest, shortest, session.spec.unit, session.spec.display_unit,
                                    about=all(st.claim.about for st in sessions)),
                  session_lines=_lines(s, sessions))]


def _lines(s: Strings, stmts: list[Statement]) -> str:
    return ", ".join(dict.fromkeys(s.get("value.line_ref", source=st.claim.source, line=st.claim.line) for st in stmts))
