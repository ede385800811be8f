"""The explore screen's HTML: pure functions from data to the strings ui/explore.py hands to
st.markdown. Every word from the strings file or the data, escaped here; the tables and notes of
presenting.py and the explore screen's texts (ui/state.Texts) come in already made."""

from __future__ import annotations

from html import escape

from acumap.charts.figures import key_number_lines, view_title
from acumap.data.loading import Knowledge
from acumap.data.strings import Strings
from acumap.plan.planner import Plan
from acumap.plan.presenting import BOX_CSS, Card, cards_html
from acumap.style import PAGE

HEADER_CSS = (
    "<style>[data-testid=stMainBlockContainer]{padding-top:3.2rem !important}"
    # The explore screen's text blocks are st.html (far less work for the browser than Markdown): the
    # Markdown container's type, which they had before, given to them here.
    "[data-testid=stHtml]{font-size:1rem;line-height:1.6;margin-bottom:-1rem}"
    "[data-testid=stHtml] :is(p,ul,ol,table){margin:0 0 1rem 0}"
    "[data-testid=stHtml] :is(h1,h2,h3){margin:0;line-height:1.2}"
    "[data-testid=stHtml] li{margin:0.2em 0 0.2em 1.15em;padding-left:0.3em}"
    "h1.acu-title{font-size:1.5rem !important;padding:0 !important;margin:0}"
    f"p.acu-disclaimer{{font-size:0.85rem !important;color:{PAGE.secondary_text};margin:0 0 0.2rem 0}}"
    f"p.acu-safety{{color:{PAGE.warning};font-size:0.8rem !important;line-height:1.25;margin:0}}"
    "p.acu-view-title{font-size:0.95rem !important;margin:0}"
    f"p.acu-keys{{font-size:0.8rem !important;color:{PAGE.secondary_text};line-height:1.25;"
    "margin:0 0 0.3rem 0}"
    f"p.acu-caveat{{font-size:0.82rem !important;color:{PAGE.secondary_text};margin:0 0 0.3rem 0}}"
    f"p.acu-note{{font-size:0.88rem !important;color:{PAGE.secondary_text}}}"
    f"p.acu-warn{{background:{PAGE.warning_fill};color:{PAGE.warning_dark};border-radius:0.5rem;"
    "padding:0.6rem 0.8rem}"
    "h2.acu-h{font-size:1.1rem !important;padding:0 0 0.3rem 0 !important}"
    # On a phone a chart is about 360 px wide: a title (Russian most of all), an axis title or a
    # value beside a bar ran past it at the size set for a wide screen.
    "@media (max-width:640px){.js-plotly-plot .gtitle{font-size:12.5px !important}"
    ".js-plotly-plot .xtitle,.js-plotly-plot .annotation-text{font-size:10.5px !important}}</style>"
)


def note_html(note: str) -> str:
    """A one-line note of a lower panel, in the panel's small grey type."""
    return f'<p class="acu-note">{escape(note)}</p>'


def section_html(title: str, note: str) -> str:
    """A lower panel's heading and its one-line note."""
    return f'<h2 class="acu-h">{escape(title)}</h2>{note_html(note)}'


def panel_heading(s: Strings, panel: str) -> str:
    return f'<h2 class="acu-h">{escape(s.get(f"panel.tab_{panel}"))}</h2>'


def heading_html(s: Strings, safety: str) -> str:
    """Title, disclaimer and the zone's safety in short, in one block of three lines, so the diagram
    fits the first screen of a 1280x720 projector. `safety` is HTML already (Texts.safety)."""
    return (f'{HEADER_CSS}{BOX_CSS}<h1 class="acu-title">{escape(s.get("app.title"))}</h1>'
            f'<p class="acu-disclaimer"><b>{escape(s.get("app.disclaimer"))}</b></p>'
            f'<p class="acu-safety">{safety}</p>')


def parameters_html(k: Knowledge, plan: Plan, cards: list[Card], changed: set[str] | None) -> str:
    """The view's title and key numbers (the page text beside the diagram, not inside it), then the
    parameter cards, `changed` ones marked."""
    s = k.strings
    caveat = f'<p class="acu-caveat">{escape(plan.method_caveat)}</p>' if plan.method_caveat else ""
    keys = "<br>".join(escape(line) for line in key_number_lines(k, plan))
    return (f'<p class="acu-view-title"><b>{escape(view_title(k, plan))}</b></p>'
            f'<p class="acu-keys">{keys}</p>'
            f'<h2 class="acu-h">{escape(s.get("panel.parameters"))}</h2>{caveat}'
            + cards_html(s, cards, changed))


def zone_html(s: Strings, spots_table: str, stage: str, zone: str) -> str:
    """Under the diagram: its caption, the table of needle spots, the stage's and the zone's texts
    (all three HTML already)."""
    return f'<p class="acu-note">{escape(s.get("panel.diagram_caption"))}</p>{spots_table}{stage}{zone}'


def depth_heading_html(s: Strings, plan: Plan) -> str:
    """The depth panel's heading, caption and the zone's warnings, each with its sources."""
    warnings = "".join(f'<p class="acu-warn">⚠️ {escape(w.text)} [{escape(", ".join(w.sources))}]</p>'
                       for w in plan.warnings)
    return (f"{panel_heading(s, 'depth')}<p class=\"acu-note\">"
            f"{escape(s.get('depth.caption', region=s.get(f'region.{plan.region}')))}</p>{warnings}")


def depth_notes_html(k: Knowledge, table: str, danger_gap: str) -> str:
    """Under the depth chart: its table (HTML already), how far apart the danger depths are, how much
    depths vary between people, and the sources of the safety depths."""
    s = k.strings
    gap = f"{escape(danger_gap)} " if danger_gap else ""
    sources = "".join(f"<li><b>{escape(name)}</b>: {escape(text)}</li>" for name, text in k.safety.sources.items())
    return (f'{table}<p class="acu-note">{gap}{escape(k.safety.variability.text)} '
            f"[{k.safety.variability.source}]</p>"
            f"<details><summary>{escape(s.get('depth.sources'))}</summary><ul>{sources}</ul></details>")


def sources_html(s: Strings, sources: str) -> str:
    """The sources panel's heading and caption over its list of statements (`sources`, HTML already)."""
    return section_html(s.get("panel.tab_sources"), s.get("panel.sources_caption")) + sources


def articles_markdown(k: Knowledge) -> str:
    """The four articles as a Markdown list: letter, title and their lines in the seed file."""
    s = k.strings
    return "\n".join("- " + s.get("panel.article_line", letter=letter, title=src.title, first=src.first_line,
                                  last=src.last_line) for letter, src in k.sources.items())
