"""The kept image browser (acumap.charts.imaging) with Debian's real Chromium: it is started once for many images,
serves several threads at once each with its own image, prints the session card's PDF in the same browser,
closes itself when idle, and comes back after its browser dies or hangs — one failed image at most, never an
export that hangs for good."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from acumap.charts import imaging
from acumap.output import exports

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIRST_START_S = 120.0  # the first browser start on a busy machine


def figure(title: str) -> dict:
    return go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": {"text": title}}).to_dict()


def svg_title(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")
                    if "gtitle" in (t.get("class") or ""))


def running_in_group(pgid: int) -> list[int]:
    """Processes of a process group that still run (a zombie waiting for its parent to collect it does not)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended while we looked
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry))
    return found


def opts(fmt: str) -> dict:
    return {"format": fmt, "width": 400, "height": 300, "scale": 1}


@pytest.fixture
def drawer() -> Iterator[imaging.Drawer]:
    d = imaging.Drawer(timeout_s=FIRST_START_S)
    yield d
    d.close()


def test_one_browser_draws_many_images_for_threads_at_once_each_its_own(drawer: imaging.Drawer) -> None:
    first = drawer.draw(figure("first"), opts("png"))
    assert first.startswith(PNG_SIGNATURE)
    got: dict[str, bytes] = {}

    def ask(title: str) -> None:
        got[title] = drawer.draw(figure(title), opts("svg"))

    threads = [threading.Thread(target=ask, args=(f"view {n}",)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {title: svg_title(svg) for title, svg in got.items()} == {f"view {n}": f"view {n}" for n in range(6)}
    assert drawer.starts == 1


def test_the_apps_figure_image_keeps_its_browser_between_images() -> None:
    kept = imaging.drawer()
    before = kept.starts
    fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 0]))
    png = exports.figure_image(fig, "png", 300)
    svg = exports.figure_image(fig, "svg", 300)
    assert png.startswith(PNG_SIGNATURE) and ET.fromstring(svg).tag.endswith("svg")
    # PNG width in its IHDR chunk: 300 CSS pixels at the export's scale.
    assert int.from_bytes(png[16:20], "big") == 300 * exports.PNG_SCALE
    assert kept.starts - before <= 1  # none when an earlier test left the browser open


def test_a_browser_that_died_while_idle_is_replaced_without_a_failed_image(drawer: imaging.Drawer) -> None:
    drawer.draw(figure("before"), opts("svg"))
    pid = drawer.pid
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)
    time.sleep(1)
    assert svg_title(drawer.draw(figure("after"), opts("svg"))) == "after"
    assert drawer.starts == 2 and drawer.pid != pid


def test_a_hung_browser_fails_one_image_in_time_and_the_next_one_is_drawn(drawer: imaging.Drawer) -> None:
    drawer.draw(figure("before"), opts("svg"))
    pid = drawer.pid
    assert pid is not None
    drawer.timeout_s = 5.0
    os.killpg(pid, signal.SIGSTOP)  # every process of the browser stops answering
    try:
        began = time.monotonic()
        with pytest.raises(imaging.ImageError, match="longer than 5 s"):
            drawer.draw(figure("hung"), opts("svg"))
        assert time.monotonic() - began < 10
    finally:
        with contextlib.suppress(ProcessLookupError):  # killed by the drawer, as it should be
            os.killpg(pid, signal.SIGCONT)
    drawer.timeout_s = FIRST_START_S
    assert svg_title(drawer.draw(figure("after"), opts("svg"))) == "after"
    assert drawer.starts == 2
    assert running_in_group(pid) == []  # the hung browser was killed, not left stopped beside the new one


def test_an_idle_browser_is_closed_and_the_next_image_opens_one() -> None:
    d = imaging.Drawer(idle_s=0.5, timeout_s=FIRST_START_S)
    try:
        d.draw(figure("one"), opts("svg"))
        pid = d.pid
        assert pid is not None and running_in_group(pid)
        deadline = time.monotonic() + 30
        while d.pid is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert d.pid is None
        while running_in_group(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert running_in_group(pid) == []  # its processes are gone, not only forgotten
        assert svg_title(d.draw(figure("two"), opts("svg"))) == "two"
        assert d.starts == 2
    finally:
        d.close()


def test_the_kept_browser_prints_a_page_to_pdf_beside_its_images(drawer: imaging.Drawer) -> None:
    drawer.draw(figure("before"), opts("svg"))
    seen: list[int] = []

    def options(tall: int) -> dict:
        seen.append(tall)
        return {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True}

    html = "<!DOCTYPE html><html><body style='margin:0'><p style='margin:0;height:500px'>printed here</p></body></html>"
    pdf = drawer.print_pdf(html, (600, 800), options)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and "printed here" in reader.pages[0].extract_text()
    assert seen == [500]  # the page's laid-out height reached the options
    assert drawer.starts == 1  # the images' browser, not one of its own


def test_chromium_s_refusal_to_print_is_one_line_naming_the_command(drawer: imaging.Drawer) -> None:
    with pytest.raises(imaging.ImageError, match=r"^Page\.printToPDF: .+"):
        drawer.print_pdf("<html><body>x</body></html>", (600, 800), lambda tall: {"scale": 50})
