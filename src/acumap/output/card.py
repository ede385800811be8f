"""The printable session card: one A4 page with the back view, the session parameters with the article
lines they stand on, the zone's warnings, the contraindications the articles name, the disclaimer,
the date and the link to the view.

card_html() builds the page as HTML (pure, every word from the strings file); print_pdf() has
Debian's Chromium print it (the browser kept for the images, acumap.charts.imaging), scaled down where needed
so that it is one page."""

from __future__ import annotations

import base64
import shutil
from dataclasses import asdict
from datetime import date
from html import escape
from string import Template

import plotly.graph_objects as go

from acumap.charts import imaging
from acumap.data.loading import Knowledge
from acumap.data.quantities import QUANTITIES
from acumap.output.exports import back_view_file, line_refs
from acumap.plan.citing import quotes
from acumap.plan.planner import Plan
from acumap.plan.presenting import caution_items, parameter_cards
from acumap.style import FILE_FONT, PAGE

# A4 in CSS pixels (96 per inch) and the printed margin: layout only, no fact.
PAGE_MM = (210, 297)
MARGIN_MM = 10
PX_PER_MM = 96 / 25.4

# The colours are written as $names of style.PAGE's fields and the font as $file_font: style.py keeps them.
CSS = Template("""
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: $file_font; font-size: 9pt; color: $print_text;
       margin: 0; line-height: 1.3; }
h1 { font-size: 14pt; margin: 0; }
h2 { font-size: 10.5pt; margin: 6pt 0 3pt 0; }
.view { font-size: 11pt; font-weight: bold; margin: 1pt 0 3pt 0; }
.disclaimer { border: 1.5pt solid $warning; color: $warning_dark; padding: 3pt 6pt; font-weight: bold; margin: 3pt 0; }
.top { display: grid; grid-template-columns: 44% 56%; gap: 8pt; align-items: start; }
.top img { width: 100%; height: auto; border: 0.5pt solid $print_rule; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 2pt 3pt; border-bottom: 0.5pt solid $print_rule; }
th { font-weight: bold; }
td.value { font-weight: bold; font-size: 10pt; }
.mark { font-size: 7.5pt; color: $reading; }
.warn { color: $warning_dark; margin: 3pt 0; }
.caveat { margin: 3pt 0; }
ul.contra { columns: 2; column-gap: 14pt; margin: 0; padding-left: 11pt; font-size: 8pt; }
ul.contra li { break-inside: avoid; margin-bottom: 1pt; }
.disputed { color: $differ_text; }
footer { margin-top: 6pt; border-top: 0.5pt solid $print_footer_rule; padding-top: 3pt; font-size: 8pt; }
footer .link { word-break: break-all; }
""").substitute(asdict(PAGE), file_font=FILE_FONT)


def _marks(k: Knowledge, conflict: bool, reading: bool, deeper: bool) -> str:
    s = k.strings
    said = [s.get(key) for flag, key in ((conflict, "panel.conflict_badge"), (reading, "panel.interpretation_badge"),
                                         (deeper, "panel.deeper_badge")) if flag]
    return f'<br><span class="mark">{escape(" · ".join(said))}</span>' if said else ""


def card_html(k: Knowledge, plan: Plan, diagram_svg: str, url: str, day: date) -> str:
    """The session card as a standalone HTML page. `diagram_svg`: the back view as SVG text
    (exports.figure_image); `url`: the link to this view; `day`: the date printed on it."""
    s = k.strings

    def say(key: str, **values: object) -> str:
        return escape(s.get(f"session_card.{key}", **values))

    region, method = s.get(f"region.{plan.region}"), s.get(f"method.{plan.method}")
    rows = []
    for spec, c in zip(QUANTITIES, parameter_cards(k, plan), strict=True):
        q = plan.quantities[spec.key]
        lines = line_refs(s, quotes(q.statements)) if q else ""
        rows.append(f'<tr><th scope="row">{escape(c.label)}</th><td class="value">{escape(c.value)}'
                    f"{_marks(k, c.conflict, c.reading, c.deeper)}</td><td>{escape(lines or '—')}</td></tr>")
    table = (f'<table><thead><tr><th scope="col">{say("column_what")}</th><th scope="col">{say("column_value")}</th>'
             f'<th scope="col">{say("column_lines")}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    caveat = f'<p class="caveat">{escape(plan.method_caveat)}</p>' if plan.method_caveat else ""
    warnings = "".join(f'<p class="warn">⚠ {escape(w.text)} [{escape(", ".join(w.sources))}]</p>'
                       for w in plan.warnings)
    contra = []
    for label, item in caution_items(k, "contraindications"):
        other = (f' <span class="disputed">— {say("disputed", lines=line_refs(s, item.disputed_by))}</span>'
                 if item.disputed_by else "")
        contra.append(f"<li><b>{escape(label)}</b>: {escape(line_refs(s, item.statements))}{other}</li>")
    image = base64.b64encode(diagram_svg.encode("utf-8")).decode("ascii")
    view = say("view", region=region, method=method, stage=plan.stage)
    return (
        f'<!DOCTYPE html><html lang="{escape(s.lang)}"><head><meta charset="utf-8">'
        f"<title>{say('title')} — {view}</title><style>{CSS}</style></head><body>"
        f'<h1>{say("title")}</h1><p class="view">{view}</p>'
        f'<p class="disclaimer">{escape(s.get("app.disclaimer"))}</p>'
        f'<div class="top"><img src="data:image/svg+xml;base64,{image}" '
        f'alt="{say("diagram_alt", region=region, method=method, stage=plan.stage)}">'
        f'<section><h2>{escape(s.get("panel.parameters"))}</h2>{table}{caveat}</section></div>'
        f"{warnings}"
        f'<section><h2>{say("contraindications")}</h2><ul class="contra">{"".join(contra)}</ul></section>'
        f'<footer><p>{say("lines_note")}</p>'
        f'<p>{say("date", date=day.isoformat())} · {say("link")} <span class="link">{escape(url)}</span></p>'
        "</footer></body></html>"
    )


def session_card(k: Knowledge, plan: Plan, figure: go.Figure, url: str, day: date) -> bytes:
    """The session card as PDF bytes: the back view drawn as SVG by kaleido, the page printed by
    Chromium."""
    svg = back_view_file(figure, "svg").decode("utf-8")
    return print_pdf(card_html(k, plan, svg, url, day))


def find_chromium() -> str | None:
    """Debian's Chromium on the PATH, or None: the app runs without it, only the images and the card need it."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: str) -> bytes:
    """`html` printed to an A4 PDF by Chromium (the images' kept browser, acumap.charts.imaging). The page is laid
    out at the printable width; where it is taller than the printable height it is printed scaled down,
    so it is always one page."""
    width = (PAGE_MM[0] - 2 * MARGIN_MM) * PX_PER_MM
    height = (PAGE_MM[1] - 2 * MARGIN_MM) * PX_PER_MM

    def options(tall: int) -> dict:
        # Chromium lays a scaled page out wider (width / scale), which only makes it shorter; a little
        # room is kept for rounding.
        scale = 1.0 if tall <= height else 0.98 * height / tall
        inch = 25.4
        return {"paperWidth": PAGE_MM[0] / inch, "paperHeight": PAGE_MM[1] / inch, "printBackground": True,
                "scale": max(scale, 0.1), "preferCSSPageSize": False,
                **{f"margin{side}": MARGIN_MM / inch for side in ("Top", "Right", "Bottom", "Left")}}

    return imaging.drawer().print_pdf(html, (int(width), int(height)), options)
