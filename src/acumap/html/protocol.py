"""The "Your protocol" panel's HTML: pure functions from a checked upload to the strings
ui/protocol.py hands to st.markdown. Everything that came from the file is escaped here; the file
itself is shown back by the page as text, never as HTML."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from acumap.data.strings import Strings
from acumap.html.explore import section_html
from acumap.plan.planner import Plan
from acumap.protocol.compare import Difference
from acumap.protocol.types import Problem, Protocol, problems_text
from acumap.style import PAGE

TABLE_CSS = (
    "<style>.acu-yours{border-collapse:collapse;width:100%}.acu-yours th,.acu-yours td{text-align:left;"
    f"padding:0.3rem 0.6rem;border-bottom:1px solid {PAGE.rule}}}"
    f".acu-yours tr.acu-diff{{background:{PAGE.differ_fill}}}</style>"
)


def heading_html(s: Strings) -> str:
    return section_html(s.get("protocol.heading"), s.get("protocol.caption"))


def problems_html(s: Strings, problems: Sequence[Problem]) -> str:
    """Every problem of a refused upload, one line each, under how many there are (read out as an alert)."""
    items = "".join(f"<li>{escape(line)}</li>" for line in problems_text(s, problems))
    return (f'<div class="acu-protocol-problems" role="alert"><p class="acu-warn">'
            f'{escape(s.get("protocol.problems", count=len(problems)))}</p><ul>{items}</ul></div>')


def differences_html(s: Strings, rows: Sequence[Difference]) -> str:
    """The table of the protocol against the articles, the rows that differ marked."""
    head = "".join(f'<th scope="col">{escape(s.get(f"protocol.column_{c}"))}</th>'
                   for c in ("what", "yours", "articles", "verdict"))
    body = "".join(
        f'<tr class="{"acu-diff" if r.differs else ""}"><th scope="row">{escape(r.what)}</th>'
        f"<td>{escape(r.yours)}</td><td>{escape(r.articles)}</td><td>{escape(r.verdict)}</td></tr>"
        for r in rows)
    return f'{TABLE_CSS}<table class="acu-yours"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def shown_html(s: Strings, p: Protocol, plan: Plan, rows: Sequence[Difference]) -> str:
    """What of the protocol is drawn, what it is compared with (its region under the page's method
    and stage), and the table of differences, or that there are none."""
    name = p.name or s.get("protocol.default_name")
    region = s.get(f"region.{p.region}")
    shown = s.get("protocol.shown", name=name, region=region, zones=len(p.zones), points=len(p.points),
                  parameters=len(p.parameters))
    vs = s.get("protocol.compared", region=region, method=s.get(f"method.{plan.method}"), stage=plan.stage)
    table = differences_html(s, rows) if rows else ""
    if not any(r.differs for r in rows):
        table += f'<p class="acu-note">{escape(s.get("protocol.no_differences"))}</p>'
    return f'<p class="acu-note acu-protocol-shown">{escape(shown)}<br>{escape(vs)}</p>{table}'
