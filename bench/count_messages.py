"""Messages per control change, counted in the real browser and decoded: every websocket frame the page
receives from the key press (or click) until the app is idle, by ForwardMsg kind. Deterministic (a
count, not a timing), so it can be run on a busy machine: `.venv/bin/python bench/count_messages.py`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.support.live import launch_chromium, serve, wait_idle, wait_shown  # noqa: E402


def kind(raw: bytes) -> str:
    fm = ForwardMsg()
    fm.ParseFromString(raw)
    k = fm.WhichOneof("type")
    if k == "delta":
        d = fm.delta.WhichOneof("type")
        if d == "new_element":
            return f"element:{fm.delta.new_element.WhichOneof('type')}"
        return f"delta:{d}"
    return k


def main(app: Path = REPO / "app.py", verbose: bool = True) -> dict[str, int]:
    frames: list[bytes] = []
    out = {}
    with serve(app) as srv, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("websocket", lambda ws: ws.on("framereceived",
                                              lambda p: frames.append(p if isinstance(p, bytes) else p.encode())))
        page.goto(srv.url, timeout=120_000)
        chart = ".js-plotly-plot .main-svg"
        wait_shown(page, chart, timeout=120_000)
        wait_idle(page, timeout=120_000)
        page.wait_for_timeout(500)

        def take(name: str) -> None:
            wait_idle(page, timeout=120_000)
            page.wait_for_timeout(500)
            kinds = Counter(kind(f) for f in frames)
            out[name] = len(frames)
            if verbose:
                print(f"{name}: {len(frames)} messages, {sum(map(len, frames))} bytes: {dict(kinds)}")
            frames.clear()

        def shows(text: str) -> None:
            # The title beside the back view (before that change, inside the figure).
            page.wait_for_function("""want => {
                const p = document.querySelector("p.acu-view-title");
                const el = document.querySelector(".st-key-back_view .js-plotly-plot");
                const t = el && el.layout && el.layout.title && el.layout.title.text;
                return (!!p && p.textContent.includes(want)) || (typeof t === "string" && t.includes(want));
            }""", arg=text, timeout=120_000)

        take("load")
        if app.name == "app.py":
            slider = page.get_by_role("slider", name="Stage")
            for key, stage in (("ArrowRight", "II"), ("ArrowLeft", "I")):
                slider.focus()
                slider.press(key)
                shows(f"stage {stage}")
                take(f"stage {key}")
            for label in ("Thoracic", "Cervical"):
                page.get_by_test_id("stRadioOption").filter(has_text=label).click()
                shows(f"{label} zone")
                take(f"region {label}")
            page.get_by_text("Whole back").click()
            page.wait_for_timeout(300)
            take("whole back")
            page.get_by_text("Whole back").click()
            page.wait_for_timeout(300)
            take("whole back off")
        else:
            page.get_by_role("slider", name="Value").press("ArrowRight")
            page.wait_for_timeout(300)
            take("value")
        browser.close()
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "app.py")
