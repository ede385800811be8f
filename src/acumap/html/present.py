"""Presenter mode's HTML: pure functions from data to the strings ui/present.py (and a live class's
student page) hands to st.markdown. Every word from the strings file or the data, escaped here."""

from __future__ import annotations

from html import escape

from acumap.data.strings import Strings
from acumap.style import PAGE
from acumap.teach import lesson

# The lesson panel is set on a grid of lines all LINE pixels tall, in a box a whole number of lines
# high that scrolls a whole element at a time: wherever it rests, its edges fall between two lines,
# so no line shows cut in half. The buttons above it stay on screen.
LINE = 28  # pixels: 18 px quotes (legible from the back of a room) and the 25.6 px values both fit
CSS = (
    "<style>[data-testid=stMainBlockContainer]{padding:2.75rem 1.5rem 1rem 1.5rem !important}"
    ".st-key-present_numbers{scroll-snap-type:y mandatory}"
    f".acu-present{{overflow-wrap:anywhere;line-height:{LINE}px}}"
    f".acu-present p,.acu-present dl,.acu-present dt,.acu-present dd{{margin:0;padding:0;line-height:{LINE}px;"
    "scroll-snap-align:start}"
    f".acu-present .acu-step{{font-size:1.125rem;color:{PAGE.muted}}}"
    ".acu-present .acu-head{font-size:1.6rem;font-weight:700}"
    f".acu-present dt{{font-size:1.2rem;margin-top:{LINE}px}}"
    ".acu-present .acu-val{font-size:1.6rem;font-weight:700}"
    # a quote's second line indented: one quote, not two
    f".acu-present .acu-cite{{font-size:1.125rem;color:{PAGE.quote_text};padding-left:1rem;text-indent:-1rem}}"
    # line-height 1: a badge never makes its line taller than the grid's
    f".acu-present .acu-mark{{font-size:1.125rem;line-height:1;background:{PAGE.present_mark_fill};"
    f"color:{PAGE.reading};"
    "border-radius:0.3rem;padding:0 0.3rem;margin-left:0.4rem}"
    f".acu-present .acu-note{{font-size:1.125rem;color:{PAGE.muted}}}"
    f".acu-present dl+.acu-note{{margin-top:{LINE}px}}.acu-present dt:first-child{{margin-top:0}}"
    # Streamlit shows a button's key at 60 % opacity: on the red "Next" too faint to read (axe-core)
    ".st-key-present_next kbd{opacity:0.85}"
    ".st-key-present_keys{display:none}</style>"
)


def numbers_html(s: Strings, numbers: list[lesson.KeyNumber], step: str, head: str,
                 notes: tuple[str, ...] = ()) -> str:
    """The lesson panel: the step's place (`step`), its heading, each key number with its badges and
    the article lines it comes from ("none states" where none does), then `notes`."""
    # tabindex: the numbers scroll in their box, and a keyboard user reaches and scrolls them (axe-core)
    parts = [f'<div class="acu-present" tabindex="0" role="group" aria-label="{escape(head)}">'
             f'<p class="acu-step">{escape(step)}</p>',
             f'<p class="acu-head">{escape(head)}</p><dl>']
    for n in numbers:
        marks = ""
        if n.conflict:
            marks += f'<span class="acu-mark">{escape(s.get("panel.conflict_badge"))}</span>'
        if n.reading:
            marks += f'<span class="acu-mark">{escape(s.get("panel.interpretation_badge"))}</span>'
        parts.append(f'<dt data-key="{n.key}">{escape(n.label)}{marks}</dt><dd class="acu-val">{escape(n.value)}</dd>')
        cites = n.cites or (s.get("panel.none_states"),)
        parts += [f'<dd class="acu-cite">{escape(c)}</dd>' for c in cites]
    parts.append("</dl>")
    # The notes are in the same block as the numbers, not captions of their own: Streamlit's gap
    # between elements would take them off the grid of lines.
    parts += [f'<p class="acu-note">{escape(note)}</p>' for note in notes]
    parts.append("</div>")
    return "".join(parts)
