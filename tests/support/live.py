"""A real `streamlit run` server on 127.0.0.1 and Debian's Chromium, shared by the browser tests
and the benchmark. Playwright's own browser download does not work on these machines, so the
browser is always launched by path."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from deploy.cluster import wait_health
from tests.support.paths import REPO

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path | None = None

    def log_tail(self, chars: int = 4000) -> str:
        """The end of what the server printed (its warnings and logged errors), for a failing test's report."""
        if self.log is None or not self.log.exists():
            return ""
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


SERVERS: list[Server] = []  # the servers running now, whose logs a failing test's report shows


@contextlib.contextmanager
def serve(app: Path = REPO / "app.py", timeout: float = 60.0, env: dict[str, str] | None = None,
          port: int | None = None) -> Iterator[Server]:
    """Start `python -m streamlit run app` on a loopback port (a free one unless given); stop it on exit."""
    port = port or free_port()
    run_env = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    # Into a file, not a pipe: a pipe nobody reads fills after 64 KB of log lines, and the server then
    # hangs on its next write in the middle of a test.
    folder = Path(tempfile.mkdtemp(prefix="acumap-server-"))
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=run_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server = Server(url, proc, log)
    try:
        def exited() -> str:
            return f"streamlit exited with {proc.returncode}:\n{server.log_tail(2000)}"

        wait_health(url, time.monotonic() + timeout, proc, exited,
                    f"streamlit did not answer on {url} within {timeout:.0f} s")
        SERVERS.append(server)
        yield server
    finally:
        if server in SERVERS:
            SERVERS.remove(server)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


# For the tests: the tabs of one site share one renderer process (as Chrome does once it has many), and a
# tab that stays open (`_keep_renderer`) keeps that process alive between tests, with Streamlit's and
# Plotly's scripts already compiled in it. A page then opens in 1.9 s instead of 4.0 s here (5 opens each,
# one after another; without the open tab the process ends with each test's last page: 3.8 s).
# The benchmark keeps Chromium's default, a process per tab: it measures a page open as a user has it.
ONE_RENDERER = ["--process-per-site"]


def launch_chromium(playwright, one_renderer: bool = False):  # -> playwright Browser
    """Debian's Chromium, headless; with `one_renderer`, ONE_RENDERER's flag (the tests)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Debian's chromium is not installed: run `make install-test`")
    return playwright.chromium.launch(executable_path=path,
                                      args=CHROMIUM_ARGS + (ONE_RENDERER if one_renderer else []))


def wait_shown(page, selector: str, timeout: float | None = None) -> None:
    """Wait until some element matching `selector` is visible.

    Not `page.wait_for_selector`: that waits for the FIRST match to become visible, and Streamlit
    renders injected style sheets as invisible markdown blocks, so a first match that never shows
    made the wait run out (a fresh clone's `make test` failed 2 tries in 3 on it)."""
    page.locator(selector).filter(visible=True).first.wait_for(state="visible", timeout=timeout)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app finished its rerun and no element is stale."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)


def figure_data(page, key: str) -> list[dict]:
    """The traces Plotly actually drew in the chart with Streamlit key `key`.

    Bar traces give their bar lengths as y (and their bases are not returned)."""
    return page.evaluate(
        """key => {
            const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
            // _fullData: Plotly has already decoded packed (base64) arrays there.
            return el && el._fullData ? el._fullData.map(t => ({name: t.name, x: Array.from(t.x || []),
                                           y: Array.from(t.y || []), text: t.text})) : null;
        }""",
        key,
    )


NEW_TAB_CLEARS_STORAGE = """try {
    if (!sessionStorage.getItem("acumap-tests-tab")) {
        sessionStorage.setItem("acumap-tests-tab", "1");
        localStorage.clear();
    }
} catch (e) {}  // a blank page has no storage"""
_SHARED: dict[int, Any] = {}  # id(browser) -> the context open_app opens its pages in
_KEEPERS: dict[str, Any] = {}  # host -> the tab that keeps its renderer process alive
KEEPER_PATH = "/_stcore/health"


def _shared_context(browser):  # -> playwright BrowserContext
    """The one context the browser tests' pages open in, as a user's tabs share one browser: a new tab
    reuses the cached, already compiled scripts (measured here: 0.55 s and 0.8 s of CPU less per page
    open than a new context's first page). Made again if a test closed it."""
    context = _SHARED.get(id(browser))
    if context is None or context not in browser.contexts:
        context = browser.new_context(accept_downloads=True)
        # What a new context gave each test: no local storage from an earlier test's tab (Streamlit keeps
        # the sidebar's state and width there: a presenter page opened with an expanded sidebar). A tab's
        # first page clears it; its reloads keep what it stored, as before.
        context.add_init_script(NEW_TAB_CLEARS_STORAGE)
        _SHARED[id(browser)] = context
    return context


def _keep_renderer(context, url: str) -> None:
    """Leave a tab of `url`'s site open in `context` (Streamlit's health page: no session, no script), so
    the site's one renderer process (ONE_RENDERER) outlives each test's pages."""
    parts = urlsplit(url)
    keeper = _KEEPERS.get(parts.hostname or "")
    if keeper is not None and keeper.context is context and not keeper.is_closed():
        return
    keeper = context.new_page()
    try:
        keeper.goto(f"{parts.scheme}://{parts.netloc}{KEEPER_PATH}")
    except Exception:  # only a speed-up: a page open must not fail for it
        keeper.close()
        return
    _KEEPERS[parts.hostname or ""] = keeper


def close(page) -> None:
    """Close a test's page: its own context too, unless that is the shared one."""
    if page.context is _SHARED.get(id(page.context.browser)):
        page.close()
    else:
        page.context.close()


def open_app(browser, url: str, viewport: dict, ready: str, timeout: float = 30_000):  # -> playwright Page
    """A new page (a new tab of the tests' browser, with no state of its own: a new Streamlit session)
    at `url` with `viewport`, once `ready` is drawn and the first run is over; `timeout` (ms) for every
    wait on the page. Uncaught JavaScript errors are collected in `page.js_errors`. The browser tests
    open the app through this, and close it with `close`."""
    context = _shared_context(browser)
    _keep_renderer(context, url)
    page = context.new_page()
    page.set_viewport_size(viewport)
    page.set_default_timeout(timeout)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.goto(url)
    # The first open loads Plotly's 4.7 MB script: on a busy shared machine that alone took over 30 s.
    first = max(timeout, 90_000)
    wait_shown(page, ready, timeout=first)
    wait_idle(page, timeout=first)
    return page


def page_texts(browser, chars: int = 1500) -> str:
    """The text of every page open in `browser` (its URL, connection and run state, the start of its main
    area), for a failing test's report."""
    lines = []
    for context in browser.contexts:
        for page in context.pages:
            if page.url.endswith(KEEPER_PATH):
                continue
            try:
                state = page.evaluate("""() => { const a = document.querySelector('[data-testid=stApp]');
                    return a ? [a.dataset.testConnectionState, a.dataset.testScriptState] : null; }""")
                text = page.locator("[data-testid=stMain]").inner_text(timeout=2000)[:chars]
            except Exception as exc:  # a page closing or hung: say so, the report must still be written
                state, text = None, f"(could not read: {exc.__class__.__name__})"
            lines.append(f"--- {page.url} {state}\n{text}")
    return "\n".join(lines) or "(none)"
