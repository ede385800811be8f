"""2, 3 and 5: a real `streamlit run` server for each app and Debian's Chromium via Playwright.

Ours and the baseline are served at the same time and measured in alternation, so both share the
machine's noise. Timings are wall-clock in this process, from just before the action until the
condition holds in the page (Playwright polls on animation frames)."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field

import psutil
from common import cpu_seconds, median, process_tree

from tests.support.live import wait_idle, wait_shown

OURS_CHART = ".st-key-back_view .js-plotly-plot"
BASE_CHART = ".st-key-chart .js-plotly-plot"
OURS_STAGES = ["I", "II", "III", "IV"]
BASE_VALUES = [5, 6, 7, 8]
REGIONS = {"cervical": "Cervical", "thoracic": "Thoracic", "lumbar": "Lumbar"}
TIMEOUT = 120_000  # generous: the machine is shared and page loads slow down under load
# True once the chart's title, tags stripped (Streamlit's theme wraps it in <b>), ends with the wanted
# text. Plotly keeps the drawn layout on the plot's div.
TITLE_ENDS = """([sel, want]) => {
    const el = document.querySelector(sel);
    const t = el && el.layout && el.layout.title && el.layout.title.text;
    return typeof t === "string" && t.replace(/<[^>]*>/g, "").endsWith(want);
}"""
# acumap writes the back view's title beside the chart (the figure has none, so it stays the same where
# its data does): true once that text ends with the wanted text and the chart is drawn.
PAGE_TITLE_ENDS = """([sel, want]) => {
    const el = document.querySelector(sel);
    const p = document.querySelector("p.acu-view-title");
    return !!el && !!el.layout && !!p && p.textContent.endsWith(want);
}"""


@dataclass
class App:
    name: str
    url: str
    chart: str  # the chart's plot element
    slider: str  # the slider's accessible name
    steps: list  # values the slider walks through, starting at its default
    title: object  # value -> the end of the title that shows it
    shown: str = TITLE_ENDS  # ([chart, want]) => the page shows that title

    @property
    def drawn(self) -> str:
        return f"{self.chart} .main-svg"


def ours(url: str) -> App:
    return App("ours", url, OURS_CHART, "Stage", OURS_STAGES, lambda v: f"stage {v}", PAGE_TITLE_ENDS)


def baseline(url: str) -> App:
    return App("baseline", url, BASE_CHART, "Value", BASE_VALUES, lambda v: f"n = {v}")


def open_drawn(context, app: App, on_page=None):
    """A new page of `app` in `context`, once its chart is drawn and the app idle. `on_page(page)` runs
    before the page opens the app (to attach listeners)."""
    page = context.new_page()
    if on_page:
        on_page(page)
    page.goto(app.url, wait_until="commit", timeout=TIMEOUT)
    wait_shown(page, app.drawn, timeout=TIMEOUT)
    wait_idle(page, timeout=TIMEOUT)
    return page


# --- 2b: page open to diagram drawn ------------------------------------------------------------
def _time_open(context, app: App):
    """(seconds from page.goto to the chart's .main-svg drawn, the page left open and idle)."""
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(app.url, wait_until="commit", timeout=TIMEOUT)
    wait_shown(page, app.drawn, timeout=TIMEOUT)
    elapsed = time.perf_counter() - t0
    wait_idle(page, timeout=TIMEOUT)
    return elapsed, page


def time_open_cold(browser, apps: list[App], reps: int) -> dict[str, list[float]]:
    """A fresh browser context each time: a first visit, nothing in the browser cache."""
    out: dict[str, list[float]] = {a.name: [] for a in apps}
    for i in range(reps):
        for a in apps if i % 2 == 0 else list(reversed(apps)):
            ctx = browser.new_context()
            elapsed, _ = _time_open(ctx, a)
            out[a.name].append(elapsed)
            ctx.close()
    return out


# --- 2a: control change to diagram redrawn ----------------------------------------------------
def _browser_processes(server_pids: dict[str, int]) -> list[psutil.Process]:
    """Every process this one started except the servers: Playwright's driver and Chromium's."""
    servers = {p.pid for pid in server_pids.values() for p in process_tree(pid)}
    return [p for p in psutil.Process(os.getpid()).children(recursive=True) if p.pid not in servers]


def time_change(browser, apps: list[App], reps: int, pids: dict[str, int]) -> dict[str, dict[str, list[float]]]:
    """Press ArrowRight / ArrowLeft on the slider, walking its values up and down. `sent`: until the
    page sent its rerun request on the websocket (the first frame after the key press, as this
    process sees it); `received`: until the last frame of the rerun arrived; `chart`: until the drawn
    chart shows the new value; `idle`: until, in addition, the rerun finished and nothing on the page
    is stale. `server_cpu` / `browser_cpu`: CPU seconds the app's server / the browser (with
    Playwright's driver) used from the key press until idle. `page_task` / `page_script`: the page's
    main-thread busy time and, of it, JavaScript time over the same span (Chrome DevTools Protocol
    Performance metrics TaskDuration and ScriptDuration)."""
    ctx = browser.new_context()
    sent: dict[str, list[float]] = {a.name: [] for a in apps}
    got: dict[str, list[float]] = {a.name: [] for a in apps}

    def listen(name: str):
        def on_ws(ws) -> None:
            ws.on("framesent", lambda _: sent[name].append(time.perf_counter()))
            ws.on("framereceived", lambda _: got[name].append(time.perf_counter()))
        return lambda page: page.on("websocket", on_ws)

    pages = {a.name: open_drawn(ctx, a, listen(a.name)) for a in apps}
    cdp = {}
    for a in apps:
        cdp[a.name] = ctx.new_cdp_session(pages[a.name])
        cdp[a.name].send("Performance.enable")

    def page_metrics(name: str) -> tuple[float, float]:
        values = {m["name"]: m["value"] for m in cdp[name].send("Performance.getMetrics")["metrics"]}
        return values.get("TaskDuration", 0.0), values.get("ScriptDuration", 0.0)

    pos = {a.name: 0 for a in apps}
    up = {a.name: True for a in apps}
    out: dict[str, dict[str, list[float]]] = {
        a.name: {"sent": [], "received": [], "chart": [], "idle": [], "server_cpu": [], "browser_cpu": [],
                 "page_task": [], "page_script": []}
        for a in apps}
    servers = {a.name: process_tree(pids[a.name]) for a in apps}
    browser_procs = _browser_processes(pids)
    warmup = len(OURS_STAGES) * 2
    for i in range(warmup + reps):
        order = apps if i % 2 == 0 else list(reversed(apps))
        for a in order:
            page = pages[a.name]
            # Both apps' pages share one browser: the one not in front is throttled by Chromium
            # (measured: 862 ms against 277 ms in front for the same change), so bring it forward.
            page.bring_to_front()
            if pos[a.name] == len(a.steps) - 1:
                up[a.name] = False
            elif pos[a.name] == 0:
                up[a.name] = True
            pos[a.name] += 1 if up[a.name] else -1
            want = a.title(a.steps[pos[a.name]])
            slider = page.get_by_role("slider", name=a.slider)
            slider.focus()
            sent[a.name].clear()
            got[a.name].clear()
            cpu0 = cpu_seconds(servers[a.name]), cpu_seconds(browser_procs)
            task0, script0 = page_metrics(a.name)
            t0 = time.perf_counter()
            slider.press("ArrowRight" if up[a.name] else "ArrowLeft")
            page.wait_for_function(a.shown, arg=[a.chart, want], timeout=TIMEOUT)
            t_chart = time.perf_counter() - t0
            wait_idle(page, timeout=TIMEOUT)
            t_idle = time.perf_counter() - t0
            cpu1 = cpu_seconds(servers[a.name]), cpu_seconds(browser_procs)
            task1, script1 = page_metrics(a.name)
            if i >= warmup:
                out[a.name]["page_task"].append(task1 - task0)
                out[a.name]["page_script"].append(script1 - script0)
                out[a.name]["server_cpu"].append(cpu1[0] - cpu0[0])
                out[a.name]["browser_cpu"].append(cpu1[1] - cpu0[1])
                out[a.name]["chart"].append(t_chart)
                out[a.name]["idle"].append(t_idle)
                after = [s - t0 for s in sent[a.name] if s >= t0]
                if after:
                    out[a.name]["sent"].append(min(after))
                frames = [g - t0 for g in got[a.name] if g >= t0]
                if frames:
                    out[a.name]["received"].append(max(frames))
    ctx.close()
    return out


# --- 3: bytes the server sends per rerun -------------------------------------------------------
@dataclass
class Capture:
    frames: list[int] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload) -> None:
        self.frames.append(len(payload))  # bytes, or str for a text frame

    def take(self) -> tuple[int, int, int]:
        """(total bytes, frame count, largest frame) since the last take."""
        frames, self.frames = self.frames, []
        return sum(frames), len(frames), max(frames, default=0)


def _settle(page) -> None:
    wait_idle(page, timeout=TIMEOUT)
    page.wait_for_timeout(300)  # any straggling frame after the script finished


def payload(browser, ours_app: App, base_app: App) -> dict[str, tuple[int, int, int]]:
    """Websocket bytes received per rerun: page load, then each region chosen in turn (ending on the
    default, cervical, so every region is measured as a change *to* it), and the baseline's slider."""
    out: dict[str, tuple[int, int, int]] = {}
    ctx = browser.new_context()
    cap = Capture()

    def open_captured(app: App):
        page = ctx.new_page()
        cap.attach(page)
        page.goto(app.url, wait_until="commit", timeout=TIMEOUT)
        wait_shown(page, app.drawn, timeout=TIMEOUT)
        _settle(page)
        return page

    page = open_captured(ours_app)
    out["ours:load"] = cap.take()
    for region in ["thoracic", "lumbar", "cervical"]:
        label = REGIONS[region]
        page.get_by_test_id("stRadioOption").filter(has_text=label).click()
        page.wait_for_function("""([sel, want]) => {
            const el = document.querySelector(sel);
            const p = document.querySelector("p.acu-view-title");
            return !!el && !!el.layout && !!p && p.textContent.includes(want);
        }""", arg=[ours_app.chart, f"{label} zone"], timeout=TIMEOUT)
        _settle(page)
        out[f"ours:{region}"] = cap.take()
    slider = page.get_by_role("slider", name=ours_app.slider)  # the commonest change: a stage, I to II
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_function(ours_app.shown, arg=[ours_app.chart, ours_app.title(ours_app.steps[1])], timeout=TIMEOUT)
    _settle(page)
    out["ours:stage"] = cap.take()
    page.close()
    page = open_captured(base_app)
    out["baseline:load"] = cap.take()
    page.get_by_role("slider", name=base_app.slider).press("ArrowRight")
    page.wait_for_function(TITLE_ENDS, arg=[base_app.chart, base_app.title(6)], timeout=TIMEOUT)
    _settle(page)
    out["baseline:rerun"] = cap.take()
    ctx.close()
    return out


# --- 5: server memory per open session ---------------------------------------------------------
def rss(pid: int) -> int:
    """Resident memory of a process and all its children, in bytes."""
    proc = psutil.Process(pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total


def _steady_rss(pid: int) -> int:
    time.sleep(1.0)
    samples = []
    for _ in range(5):
        samples.append(rss(pid))
        time.sleep(0.1)
    return int(median(samples))


@dataclass
class Memory:
    before: dict[str, int]  # RSS with one warm session open
    after: dict[str, int]  # RSS with `sessions` more open
    sessions: int
    warm_open: dict[str, list[float]]  # page open to chart drawn for each of those pages


def memory(browser, apps: list[App], pids: dict[str, int], sessions: int) -> Memory:
    """RSS of each server with one warm session open (imports done, caches filled), then after
    `sessions` more pages have each drawn their chart. The pages open one at a time, ours and the
    baseline in alternation, in one browser context: each is also timed as a warm page open (the
    browser cache holds the static files; the server starts a new session and runs the script)."""
    ctx = browser.new_context()
    for a in apps:
        open_drawn(ctx, a)
    before = {a.name: _steady_rss(pids[a.name]) for a in apps}
    warm: dict[str, list[float]] = {a.name: [] for a in apps}
    for i in range(sessions):
        for a in apps if i % 2 == 0 else list(reversed(apps)):
            elapsed, _ = _time_open(ctx, a)
            warm[a.name].append(elapsed)
    after = {a.name: _steady_rss(pids[a.name]) for a in apps}
    ctx.close()
    return Memory(before, after, sessions, warm)
