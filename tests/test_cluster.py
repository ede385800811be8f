"""The scale-out, run for real: deploy/cluster.py starts three `streamlit run` servers and Debian's
nginx in front of them with deploy/nginx.conf (upstreams filled in with 127.0.0.1 ports). Through
nginx: each session (its page, its files and its websocket) stays on one server, fresh browsers
spread over all servers, a server killed mid-class leaves the other sessions' websockets open and
answering while its own sessions reconnect to another server with the view of their link, and every
response carries the security headers without the CSP breaking the page in Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.cluster import NGINX_CONF, Cluster, cluster, nginx_path, render
from tests.support.live import wait_idle, wait_shown

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from wsclient import Session  # noqa: E402

pytestmark = pytest.mark.timeout(300)

CHART = ".st-key-back_view .main-svg"
LINK = "region=lumbar&stage=III"  # the view a student's link opens
SERVERS = 3
PER_SERVER = 2  # websocket sessions kept on each server
FRESH = 45  # fresh browsers (first requests, each with a new route cookie) spread over the servers
TITLE = "p.acu-view-title"  # the back view's title, page text beside the chart
# In a page: every CSP violation, and every change of the app's connection state.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
window.__states = [];
new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-connection-state');
    if (state && window.__states[window.__states.length - 1] !== state) window.__states.push(state);
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-test-connection-state']});
"""


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, object, bytes]:
    """Status, headers and body of a GET, errors included (urllib raises on 4xx)."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def new_browser(c: Cluster, path: str = "/?" + LINK) -> tuple[str, str]:
    """What a fresh browser's first request gets: its route cookie, and the server nginx chose."""
    status, headers, _ = get(c.url + path)
    assert status == 200
    cookies = [v for v in headers.get_all("Set-Cookie") or [] if v.startswith("acumap_route=")]
    assert len(cookies) == 1, headers
    route = cookies[0].split(";")[0].split("=", 1)[1]
    return route, served_by(c, route, path.split("?")[0])[0]  # nginx logs no query string


def served_by(c: Cluster, route: str, path: str, count: int = 1) -> list[str]:
    """The server that answered each logged request of `route` to `path` (the log has no query strings),
    once `count` are logged (nginx writes a request's line when it ends, a websocket's when it closes)."""
    deadline = time.monotonic() + 10
    while True:
        found = [line.upstreams[-1] for line in c.access_log() if line.route == route and line.path == path]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def spread_browsers(c: Cluster) -> dict[str, list[str]]:
    """FRESH browsers' first requests, by server: each server must get some (the load spreads);
    PER_SERVER of each server's routes are returned (server -> routes)."""
    by_server: dict[str, list[str]] = {b.address: [] for b in c.backends}
    for _ in range(FRESH):
        route, server = new_browser(c)
        by_server[server].append(route)
    counts = {server: len(routes) for server, routes in by_server.items()}
    # A route id hashed over 3 servers: about FRESH / 3 each; fewer than 2 on one: under 1 in 10,000.
    assert all(n >= PER_SERVER for n in counts.values()), f"{FRESH} fresh browsers, by server: {counts}"
    return {server: routes[:PER_SERVER] for server, routes in by_server.items()}


def chart_title(page) -> str:
    return page.locator(TITLE).first.text_content()


def title(run) -> str:
    assert not run.errors, run.errors
    return run.view_title


def session(c: Cluster, route: str) -> Session:
    """A websocket session as the browser with this route cookie opens it, at the link's view."""
    return Session(c.url, query=LINK, headers={"Cookie": f"acumap_route={route}"})


@pytest.fixture(scope="module")
def running(tmp_path_factory) -> Iterator[Cluster]:
    with cluster(SERVERS, folder=tmp_path_factory.mktemp("cluster")) as c:
        yield c


# --- the config as deploy/cluster.py renders it ----------------------------------------------------

def test_render_puts_local_servers_in_the_upstream_and_paths_in_the_folder(tmp_path: Path) -> None:
    conf = render(NGINX_CONF.read_text(encoding="utf-8"), [9001, 9002], "127.0.0.1:9000", tmp_path, tmp_path,
                  "www-data")
    upstream = conf[conf.index("upstream acumap {"):]
    upstream = upstream[:upstream.index("}")]
    assert re.findall(r"server (\S+) max_fails=3 fail_timeout=10s;", upstream) == ["127.0.0.1:9001", "127.0.0.1:9002"]
    assert "hash $acumap_route consistent;" in upstream  # the affinity is the file's own
    assert "listen 127.0.0.1:9000;" in conf and "listen 80;" not in conf
    assert "/var/" not in conf  # cache, logs and temp files all under the folder
    assert f"proxy_cache_path {tmp_path}/cache " in conf and f"access_log {tmp_path}/access.log acumap;" in conf
    # nginx itself accepts it (Debian's package; -t only checks, it does not serve).
    conf_file = tmp_path / "nginx.conf"
    conf_file.write_text(conf.replace("user www-data;\n", ""), encoding="utf-8")
    for sub in ("cache", "temp"):
        (tmp_path / sub).mkdir()
    check = subprocess.run([nginx_path(), "-t", "-p", str(tmp_path), "-c", str(conf_file), "-e",
                            str(tmp_path / "error.log"), "-g", f"pid {tmp_path}/nginx.pid;"],
                           capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


def test_the_launcher_refuses_a_bad_count_or_a_busy_port_in_one_line() -> None:
    launcher = [sys.executable, str(REPO / "deploy" / "cluster.py")]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        cases = {("--servers", "0"): "--servers must be between 1 and",
                 ("--servers", "two"): "invalid int value",
                 ("--port", str(busy.getsockname()[1])): "choose another port"}
        for args, message in cases.items():
            out = subprocess.run([*launcher, *args], capture_output=True, text=True, timeout=60)
            assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
            assert out.stderr.strip().count("\n") == 0 and message in out.stderr, out.stderr


# --- through a running cluster ----------------------------------------------------------------------

@pytest.mark.cluster
def test_nginx_sends_the_security_headers_and_one_cache_control(running: Cluster) -> None:
    status, headers, body = get(running.url + "/")
    assert status == 200
    csp = headers.get_all("Content-Security-Policy")
    assert csp and len(csp) == 1
    directives = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers.get_all("Referrer-Policy") == ["same-origin"]
    # A versioned frontend file: one Cache-Control (nginx's), where Streamlit's and nginx's were both sent.
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', body)
    assert script, "no script in the page"
    # First from the app server, then from nginx's cache. nginx files a response in its cache a moment
    # after the client has it (CI once saw a MISS on the second fetch), so a few fetches may be needed.
    seen = []
    for _ in range(6):
        status, headers, _ = get(f"{running.url}/{script[1].decode()}")
        assert status == 200
        assert headers.get_all("Cache-Control") == ["public, max-age=604800"]
        assert headers.get_all("Content-Security-Policy") == csp
        assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
        seen.append(headers["X-Cache-Status"])
        if seen[-1] == "HIT":
            break
        time.sleep(0.5)
    assert seen[-1] == "HIT", seen


@pytest.mark.cluster
def test_metrics_stay_off_the_public_side(running: Cluster) -> None:
    # The app servers do serve them, on their own loopback ports...
    status, _, body = get(running.backends[0].url + "/_stcore/metrics")
    assert status == 200 and b"session_events" in body
    # ...nginx does not, however the path is spelled.
    for path in ("/_stcore/metrics", "/_stcore//metrics", "/_stcore/%6Detrics", "/_stcore/metrics/",
                 "/_stcore/metrics?format=text"):
        status, headers, body = get(running.url + path)
        assert status == 404, path
        assert b"session_events" not in body, path
        assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = get(running.url + "/_stcore/METRICS")  # Streamlit's page, not its metrics
    assert b"session_events" not in body


@pytest.mark.cluster
def test_each_session_stays_on_one_server_and_the_load_spreads(running: Cluster) -> None:
    c = running
    chosen = spread_browsers(c)  # asserts every server got fresh browsers
    routes = {route: server for server, rs in chosen.items() for route in rs}

    async def classroom() -> dict[str, list[str]]:
        sessions = [session(c, route) for route in routes]
        seen: dict[str, list[str]] = {}
        for s in sessions:
            await s.__aenter__()
        try:
            first = await asyncio.gather(*(s.run() for s in sessions))
            changed = await asyncio.gather(*(s.run(region="Thoracic", stage="II") for s in sessions))
            for route, a, b in zip(routes, first, changed, strict=True):
                seen[route] = [title(a), title(b)]
        finally:
            for s in sessions:
                await s.__aexit__(None, None, None)
        return seen

    # In a thread of its own: the worker's sync Playwright (the `chromium` fixture, if a browser test
    # ran here first) keeps an event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(asyncio.run, classroom()).result(timeout=240)
    for route in routes:
        served_by(c, route, "/_stcore/stream")  # wait for the closed websockets' lines
    for opened, changed in seen.values():
        assert "Lumbar" in opened and "stage III" in opened, opened  # the link's view
        assert "Thoracic" in changed and "stage II" in changed, changed
    # Affinity: the page, and the websocket (logged on close), of each browser went to its one server.
    for route, server in routes.items():
        lines = [line for line in c.access_log() if line.route == route]
        assert [line.path for line in lines] == ["/", "/_stcore/stream"], lines
        assert {line.upstreams[-1] for line in lines} == {server}, lines
        assert all(len(line.upstreams) == 1 for line in lines)  # no retry on another server


@pytest.mark.cluster
@pytest.mark.browser
def test_the_page_draws_through_nginx_with_no_csp_violation(running: Cluster, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        context.set_default_timeout(60_000)
        context.add_init_script(WATCH)
        page = context.new_page()
        console: list[str] = []
        errors: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(running.url + "/?" + LINK)
        assert response is not None and "frame-ancestors 'self'" in response.headers["content-security-policy"]
        wait_shown(page, CHART)
        wait_idle(page)
        assert "Lumbar" in chart_title(page)
        page.locator(".st-key-region").get_by_text("Thoracic", exact=True).click()
        page.wait_for_function("sel => (document.querySelector(sel)?.textContent || '').includes('Thoracic')",
                               arg=TITLE)
        wait_idle(page)
        # A download (the Export area's CSV): Streamlit serves the file from /media/ on the same server.
        page.locator(".st-key-panel").get_by_role("radio", name="Export").click()
        with page.expect_download() as info:
            page.get_by_role("button", name=re.compile("CSV")).click()
        assert info.value.failure() is None
        assert "thoracic" in info.value.path().read_text(encoding="utf-8").lower()
        assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console
        assert not errors
    finally:
        context.close()


@pytest.mark.cluster
@pytest.mark.browser
def test_a_killed_server_leaves_the_other_sessions_alone_and_its_own_reconnect(tmp_path: Path, chromium) -> None:
    from websockets.exceptions import ConnectionClosed

    # The websocket sessions live in an event loop of their own thread (the sync Playwright API runs
    # its own loop in this one); each step is handed to it and waited for.
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def step(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=240)

    with cluster(SERVERS, folder=tmp_path / "cluster") as c:
        sessions: dict[str, Session] = {}
        fresh: dict[str, Session] = {}
        context = None
        try:
            # A browser opened with the link, on some server: the one this test kills.
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            context.set_default_timeout(60_000)
            context.add_init_script(WATCH)
            page = context.new_page()
            page.goto(c.url + "/?" + LINK)
            wait_shown(page, CHART)
            wait_idle(page)
            before = chart_title(page)
            assert "Lumbar" in before and "stage III" in before, before
            route = next(k["value"] for k in context.cookies() if k["name"] == "acumap_route")
            victim = c.backend(served_by(c, route, "/")[0])
            others = [b.address for b in c.backends if b is not victim]

            # And websocket sessions on every server, each opened with the same link.
            routes = {r: server for server, rs in spread_browsers(c).items() for r in rs}
            sessions = {r: session(c, r) for r in routes}

            async def open_all() -> list:
                for s in sessions.values():
                    await s.__aenter__()
                return await asyncio.gather(*(s.run() for s in sessions.values()))

            for run in step(open_all()):
                assert "Lumbar" in title(run) and "stage III" in title(run)

            seen = page.evaluate("window.__states.length")
            victim.process.kill()  # SIGKILL: no goodbye to any session
            victim.process.wait()

            # Its browser notices, reconnects through nginx and shows the link's view again.
            page.wait_for_function(
                """n => window.__states.slice(n).some(s => s !== 'CONNECTED')
                       && window.__states[window.__states.length - 1] === 'CONNECTED'""", arg=seen)
            wait_shown(page, CHART)
            wait_idle(page)
            assert chart_title(page) == before
            assert page.url == c.url + "/?" + LINK

            async def after_kill() -> None:
                for r, s in sessions.items():
                    if routes[r] == victim.address:
                        # Its websocket is gone; the same browser opens a new one through nginx, as
                        # the frontend does, and the link brings the view back on another server.
                        with pytest.raises(ConnectionClosed):
                            await s.run(stage="IV")
                        fresh[r] = session(c, r)
                        await fresh[r].__aenter__()
                        run = await fresh[r].run()
                        assert "Lumbar" in title(run) and "stage III" in title(run)
                    else:
                        # Untouched: the same websocket answers the session's next change.
                        run = await s.run(region="Cervical", stage="II")
                        assert "Cervical" in title(run) and "stage II" in title(run)

            step(after_kill())
            context.close()
            # The page's first websocket was on the killed server, its second on another one.
            streams = served_by(c, route, "/_stcore/stream", count=2)
            assert len(streams) == 2 and streams[0] == victim.address and streams[1] in others, streams
        finally:
            if context is not None:
                context.close()  # (already closed when the test got that far; closing again does nothing)

            async def close_all() -> None:
                for s in [*sessions.values(), *fresh.values()]:
                    with contextlib.suppress(Exception):  # the killed server's are already closed
                        await s.__aexit__(None, None, None)

            step(close_all())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()
        # Sessions on the other servers kept their one websocket; the killed server's moved once.
        for r, server in routes.items():
            streams = served_by(c, r, "/_stcore/stream", count=2 if server == victim.address else 1)
            if server == victim.address:
                assert len(streams) == 2 and streams[0] == server and streams[1] in others, streams
            else:
                assert streams == [server], streams
