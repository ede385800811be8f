"""Text on the page and on the charts is neither clipped nor covered, in a real Chromium: only a
browser lays out the text and knows where it ends up."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from acumap import load_knowledge
from acumap.data.paths import data_dir
from acumap.plan.points import canal_text
from tests.conftest import edit_data
from tests.support.live import Server, close, open_app, serve, wait_idle

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


@pytest.fixture(scope="module")
def shallow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose standard points are needled no deeper than 0.7 cun: with the real data no view
    has the articles' depth outrun the zone's usual one since the thoracic midline points joined
    (issue 14), so this copy brings the cervical view's depth note back to check where it stands."""
    folder = tmp_path_factory.mktemp("shallow") / "data"
    shutil.copytree(data_dir(), folder)
    edit_data(folder, "points.toml", r"depth_cun = \[0\.5, 1\.0\]", "depth_cun = [0.5, 0.7]", count=15)
    with serve(env={"ACUMAP_DATA_DIR": str(folder)}) as srv:
        yield srv


@pytest.mark.parametrize("query", ["/?region=cervical", "/?region=cervical&method=both&stage=IV&show_points=true"])
def test_the_depth_note_covers_no_tick_label_and_no_marker(chromium: Browser, shallow: Server, query: str) -> None:
    page = open_app(chromium, shallow.url + query, {"width": 1280, "height": 720}, ".st-key-back_view .main-svg")
    try:
        wait_idle(page)
        boxes = page.evaluate(BOXES)
    finally:
        close(page)
    assert boxes["notes"], "the cervical view shows its depth note"
    for note in boxes["notes"]:
        covered = [name for name, tick in boxes["ticks"] if overlap(note, tick)]
        assert not covered, f"the depth note covers the tick labels {covered}"
        marks = [m for m in boxes["marks"] if overlap(note, m)]
        assert not marks, f"the depth note covers {len(marks)} markers"


# Each text of a chart that ends outside its figure, and each table cell whose words run past it.
CLIPPED = """([chartKey, key]) => {
    const chart = document.querySelector(`.st-key-${chartKey} .main-svg`);
    const edge = chart.getBoundingClientRect();
    const texts = [...document.querySelectorAll(`.st-key-${chartKey} text`)].filter(t => t.textContent.trim())
        .filter(t => { const b = t.getBoundingClientRect();
                       return b.left < edge.left - 1 || b.right > edge.right + 1; })
        .map(t => t.textContent);
    const cells = [...document.querySelectorAll(`.st-key-${key}_text td, .st-key-${key}_text th`)]
        .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40));
    return {texts, cells};
}"""


@pytest.mark.parametrize(("query", "panel", "key"), [
    ("/?lang=ru&method=both&stage=IV", "Один сеанс", "timeline"),
    ("/?method=both&stage=IV", "One session", "timeline"),
    ("/", "The course", "course"),
    ("/?lang=ru&region=thoracic&stage=III", "Курс", "course"),
])
def test_the_session_and_course_panels_clip_no_text_at_1280x720(open_page, query: str, panel: str,
                                                                 key: str) -> None:
    page = open_page(query, {"width": 1280, "height": 720})
    page.locator(".st-key-panel").get_by_role("radio", name=panel).click()
    wait_idle(page)
    page.locator(f".st-key-{key}_view .main-svg").first.wait_for()
    clipped = page.evaluate(CLIPPED, [f"{key}_view", key])
    assert clipped == {"texts": [], "cells": []}


@pytest.mark.parametrize(("panel", "key"), [("Один сеанс", "timeline"), ("Курс", "course"), ("Сравнение", "compare")])
def test_chart_texts_stay_inside_their_charts_on_a_phone(open_page, panel: str, key: str) -> None:
    page = open_page("/?lang=ru&method=both&stage=IV", {"width": 390, "height": 844})
    assert page.evaluate(CLIPPED, ["back_view", "back"])["texts"] == []
    page.locator(".st-key-panel").get_by_role("radio", name=panel).click()
    wait_idle(page)
    for chart in (["compare_here", "compare_there"] if key == "compare" else [f"{key}_view"]):
        page.locator(f".st-key-{chart} .main-svg").first.wait_for()
        assert page.evaluate(CLIPPED, [chart, key])["texts"] == [], chart


# Every tick label of the back view, by axis, in page pixels.
TICK_BOXES = """() => {
    const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    const root = document.querySelector('.st-key-back_view');
    const all = sel => [...root.querySelectorAll(sel)].filter(e => e.textContent.trim())
                                                      .map(e => [e.textContent, r(e)]);
    return {x: all('.xaxislayer-above .xtick text'), y: all('.yaxislayer-above .ytick text')};
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080},
                                      {"width": 390, "height": 844}])
@pytest.mark.parametrize("query", ["/?whole_back=true", "/?whole_back=true&lang=ru&region=cervical",
                                   "/?region=cervical", "/?region=thoracic"])
def test_the_back_views_tick_labels_do_not_overlap(open_page, query: str, viewport: dict) -> None:
    # The whole back's spine levels sat on one another on the page, as they did in the exported files.
    page = open_page(query, viewport)
    ticks = page.evaluate(TICK_BOXES)
    assert len(ticks["y"]) >= 3 and len(ticks["x"]) >= 3, ticks
    for axis in ("x", "y"):
        shown = ticks[axis]
        clashes = [(a, b) for i, (a, box_a) in enumerate(shown) for b, box_b in shown[i + 1:] if overlap(box_a, box_b)]
        assert not clashes, f"{axis} tick labels overlap: {clashes}"


# The back view's plot as Plotly laid it out: the height it had, the height the spine's axis took, and the
# range asked for and the one drawn.
PLOT_FILL = """() => {
    const fl = document.querySelector('.st-key-back_view .js-plotly-plot')._fullLayout;
    return {height: fl._size.h, used: fl.yaxis._length, asked: fl.yaxis._input.range, drawn: fl.yaxis.range,
            width: fl._size.w, x_used: fl.xaxis._length};
}"""


@pytest.mark.parametrize("region", ["lumbar", "thoracic", "cervical"])
def test_the_back_view_on_a_phone_has_no_empty_band_over_and_under_it(open_page, region: str) -> None:
    # The width sets the scale on a 390 px phone: the plot shrank to it and left up to 120 px empty (lumbar).
    fill = open_page(f"/?region={region}", {"width": 390, "height": 844}).evaluate(PLOT_FILL)
    assert fill["used"] >= fill["height"] - 1, fill
    assert fill["drawn"][0] <= fill["asked"][0] + 0.01 and fill["drawn"][1] >= fill["asked"][1] - 0.01, fill


# The quiz's canvas (the whole back, equal aspect, every level kept): the chart's height, the plot's box and the
# part of it the drawing took, in CSS pixels.
CANVAS_FILL = """() => {
    const gd = document.querySelector('[class*=st-key-quiz_click_] .js-plotly-plot'), fl = gd._fullLayout;
    return {chart: gd.getBoundingClientRect().height, box: fl._size.h, used: fl.yaxis._length,
            asked: fl.yaxis._input.range, drawn: fl.yaxis.range, figure: gd.layout.height};
}"""


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 720}])
def test_the_quiz_canvas_is_as_tall_as_its_width_needs(open_page, viewport: dict) -> None:
    # Issue 29: at a fixed height a phone's narrow canvas left a fifth of it empty above and below the back
    # (a student's "click where" question, in the quiz and in a live class). Its height now follows its width.
    fill = open_page("/?mode=quiz&seed=7", viewport, "[class*=st-key-quiz_click_] .main-svg").evaluate(CANVAS_FILL)
    assert fill["drawn"] == fill["asked"], fill  # the whole back, no level cut off
    assert (fill["box"] - fill["used"]) <= 0.1 * fill["chart"], fill
    if viewport["width"] > 1000:  # room enough: the height the figure asks for
        assert fill["chart"] == pytest.approx(fill["figure"], abs=1), fill


def test_the_first_screens_back_view_is_drawn_as_asked_at_1280x720(open_page) -> None:
    # Wide enough that the height sets the scale: the spine's axis shows exactly its range, over the plot's height.
    fill = open_page("/", {"width": 1280, "height": 720}).evaluate(PLOT_FILL)
    assert fill["used"] >= fill["height"] - 1 and fill["x_used"] < fill["width"], fill
    assert fill["drawn"] == pytest.approx(fill["asked"], abs=1e-6), fill


# Where each needle of the back view sits on the page (its marker's centre), from Plotly's own axes.
NEEDLES = """() => {
    const gd = document.querySelector('.st-key-back_view .js-plotly-plot');
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const t = gd._fullData.find(d => d.name === 'needles');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return Array.from(t.x).map((x, i) => [svg.left + xa._offset + xa.l2p(x), svg.top + ya._offset + ya.l2p(t.y[i])]);
}"""
# The hover label shown, and the chart it is drawn in (an SVG cuts what passes its edges).
HOVER_BOX = """() => {
    const root = document.querySelector('.st-key-back_view');
    const label = root.querySelector('.hoverlayer .hovertext');
    const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    return label ? {label: r(label), chart: r(root.querySelector('.main-svg')), text: label.textContent} : null;
}"""


HOVER_SHOWS = """head => { const h = document.querySelector('.st-key-back_view .hoverlayer .hovertext');
                          return h && h.textContent.includes(head); }"""


@pytest.mark.parametrize(("lang", "viewport"), [("en", {"width": 1280, "height": 720}),
                                                ("en", {"width": 390, "height": 844}),
                                                ("ru", {"width": 390, "height": 844})])
def test_every_thoracic_needles_hover_fits_inside_the_chart(open_page, lang: str, viewport: dict) -> None:
    # The longest hovers of the app: at 1280x720 the spinal-canal line ran past both edges and was cut off.
    page = open_page(f"/?region=thoracic&stage=III&lang={lang}", viewport)
    k = load_knowledge(lang=lang)
    s = k.strings
    canal = canal_text(k, next(w for w in k.safety.warnings if w.id == "spinal_canal"))
    caution = re.sub(r"\s", "", s.get("points.caution", text=""))
    page.locator(".st-key-back_view .main-svg").first.scroll_into_view_if_needed()
    needles = page.evaluate(NEEDLES)
    assert len(needles) == 7
    for n, (x, y) in enumerate(needles, start=1):
        page.mouse.move(x, y)
        head = s.get("figure.needle_hover", region=s.get("region.thoracic"), n=n, count=7)
        page.wait_for_function(HOVER_SHOWS, arg=head)
        box = page.evaluate(HOVER_BOX)
        label, chart = box["label"], box["chart"]
        # The whole spinal-canal line is there, and said once (the GV point's own caution left out); the
        # label's text runs its lines together, so spaces are left out of the comparison.
        shown = re.sub(r"\s", "", box["text"])
        assert re.sub(r"\s", "", canal) in shown and caution not in shown, box["text"]
        inside = (label[0] >= chart[0] - 0.5 and label[2] <= chart[2] + 0.5 and label[1] >= chart[1] - 0.5
                  and label[3] <= chart[3] + 0.5)
        assert inside, f"needle {n}: the hover label {label} passes the chart's edges {chart}"
