"""Text on the page and on the charts is neither clipped nor covered, in a real Chromium: only a
browser lays out the text and knows where it ends up."""

from __future__ import annotations

import pytest

from tests.support.live import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# Each rectangle of the back view's annotations, y tick labels and drawn markers, in page pixels.
BOXES = """() => {
    const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    const root = document.querySelector('.st-key-back_view');
    return {notes: [...root.querySelectorAll('.annotation .bg')].map(r),
            ticks: [...root.querySelectorAll('.ytick text')].map(e => [e.textContent, r(e)]),
            marks: [...root.querySelectorAll('.scatterlayer .point')].map(r)};
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("query", ["/?region=cervical", "/?region=cervical&method=both&stage=IV&show_points=true"])
def test_the_depth_note_covers_no_tick_label_and_no_marker(open_page, query: str) -> None:
    page = open_page(query, {"width": 1280, "height": 720})
    wait_idle(page)
    boxes = page.evaluate(BOXES)
    assert boxes["notes"], "the cervical view shows its depth note"
    for note in boxes["notes"]:
        covered = [name for name, tick in boxes["ticks"] if overlap(note, tick)]
        assert not covered, f"the depth note covers the tick labels {covered}"
        marks = [m for m in boxes["marks"] if overlap(note, m)]
        assert not marks, f"the depth note covers {len(marks)} markers"
