"""A class run against a target (bench/load.py's class phase and its live class): the sessions driven, timed
and checked, the server measured.

Sessions are driven at the websocket level (bench/wsclient.py: Streamlit's own BackMsg / ForwardMsg
protobufs, no browser) against ONE `streamlit run` server on 127.0.0.1, or (`replicas` > 1) against N
servers behind Debian's nginx (deploy/cluster.py, the same deploy/nginx.conf), each session with a route
cookie of its own, as a browser would. The class (bench/load_roles.py) opens the shared link all at once
(the stampede of a class told "open the link now"), then each session acts every THINK s (uniform think
time from its own seeded generator) until the class's time is up. Before the class, each server is warmed
(warm_up: every view once, or each link opened once).

Measured (ClassRun): rerun latency, from sending a change to that rerun's last message
(`script_finished`), per kind of session too; page-open latency; errors; server CPU (psutil cpu_times of
the server processes and their children over the measured window); server RSS (idle and peak); the load
generator's own CPU (this process) and all cores' busy share over the same window.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from common import APP, BASELINE, cpu_seconds, median, p95, process_tree
from load_live import LiveRun, class_database, measure_live
from load_roles import CLASS_SEED, EXPLORE_CONTROLS, make_class
from wsclient import Session

from acumap.data.loading import Knowledge
from tests.support.live import serve

THINK = (3.0, 7.0)  # seconds between two actions of one session (uniform, seeded)
MAX_REPLICAS = 8  # the most servers target() is asked for (bench/load.py, bench/capacity.py)
GRACE = 75.0  # seconds a change may still take after the class's time is up (wsclient.TIMEOUT + margin)


@dataclass
class ClassRun:
    app: str
    sessions: int  # student sessions (the presenter not counted)
    opens: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)  # every change of every session
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rss_idle: float = 0.0  # bytes, all servers, before the class
    rss_peak: float = 0.0
    cpu: float = 0.0  # server CPU seconds over the window
    window: float = 0.0  # seconds from the first open to the last answer
    own_cpu: float = 0.0  # the load generator's (this process's) CPU seconds over the window
    busy: float = float("nan")  # share of all the machine's cores busy over the window
    pids: list[int] = field(default_factory=list)  # the servers' process ids

    def stats(self, values: list[float] | None = None) -> tuple[float, float, float]:
        values = self.reruns if values is None else values
        if not values:
            return float("nan"), float("nan"), float("nan")
        return median(values), p95(values), max(values)


def route_cookie(url: str) -> dict[str, str]:
    """A fresh browser's first request through nginx: the route cookie it is given (deploy/nginx.conf)."""
    with urllib.request.urlopen(url + "/", timeout=60) as resp:
        for value in resp.headers.get_all("Set-Cookie") or []:
            if value.startswith("acumap_route="):
                return {"Cookie": value.split(";", 1)[0]}
    raise RuntimeError("nginx set no acumap_route cookie")


async def session(role, url: str, seed: int, start: asyncio.Event, stop: list[float], out: ClassRun,
                  behind_nginx: bool, think: tuple[float, float] = THINK) -> None:
    rnd = random.Random(seed)
    try:
        headers = await asyncio.to_thread(route_cookie, url) if behind_nginx else {}
        async with Session(url, query=role.query, headers=headers) as s:
            await start.wait()
            last = await s.run()
            out.opens.append(last.seconds)
            problem = role.opened(s, last)
            if problem:
                out.errors.append(f"{role.kind} open: {problem}")
                return
            while True:
                pause = rnd.uniform(*think)
                if time.perf_counter() + pause > stop[0]:
                    break
                await asyncio.sleep(pause)
                wanted = role.change(rnd, s, last)
                last = await s.run(**wanted)
                out.reruns.append(last.seconds)
                out.by_kind.setdefault(role.kind, []).append(last.seconds)
                problem = role.check(s, last)
                if problem:
                    out.errors.append(f"{role.kind}: {problem}")
    except Exception as exc:  # a dropped connection, a timeout: counted, never fatal to the run
        out.errors.append(f"{role.kind}: {type(exc).__name__}: {exc}")


def machine_busy(before, after) -> float:
    """Share of all cores busy between two psutil.cpu_times() readings (idle and I/O wait not busy)."""
    def idle(t) -> float:
        return t.idle + getattr(t, "iowait", 0.0)

    total = sum(after) - sum(before)
    return (total - (idle(after) - idle(before))) / total if total > 0 else float("nan")


def server_processes(pids: list[int]) -> list[psutil.Process]:
    return [proc for pid in pids for proc in process_tree(pid)]


async def measure_class(app: str, url: str, pids: list[int], sessions: int, seconds: float, seed: int,
                        k: Knowledge, behind_nginx: bool = False, think: tuple[float, float] = THINK) -> ClassRun:
    out = ClassRun(app, sessions, pids=list(pids))
    procs = server_processes(pids)
    me = psutil.Process()
    out.rss_idle = sum(p.memory_info().rss for p in procs)
    start = asyncio.Event()
    stop = [float("inf")]
    roles = make_class(app, sessions, k)
    tasks = [asyncio.create_task(session(role, url, seed * 10_000 + i, start, stop, out, behind_nginx, think))
             for i, role in enumerate(roles)]
    await asyncio.sleep(0.5 + 0.02 * len(tasks))  # every session connected before any opens the page
    cpu0 = cpu_seconds(procs, reaped=True)
    own0, machine0 = cpu_seconds([me]), psutil.cpu_times()
    began = time.perf_counter()
    stop[0] = began + seconds
    start.set()
    pending = set(tasks)
    while pending and time.perf_counter() < stop[0] + GRACE:
        _, pending = await asyncio.wait(pending, timeout=0.5)
        out.rss_peak = max(out.rss_peak, sum(p.memory_info().rss for p in procs))
    out.cpu, out.window = cpu_seconds(procs, reaped=True) - cpu0, time.perf_counter() - began
    out.own_cpu, out.busy = cpu_seconds([me]) - own0, machine_busy(machine0, psutil.cpu_times())
    for task in pending:
        task.cancel()
        out.errors.append("session cut off at the class's deadline")
    await asyncio.gather(*tasks, return_exceptions=True)
    return out


async def warm_up(url: str, app: str, every_view: bool = True) -> tuple[int, int]:
    """One session through every value of every control, the quiz's link and the presenter's page, so
    the class meets a warm server (each view's figures are built once per server, then cached), as it
    would after the first students. Without `every_view`, each link is only opened once (the imports and
    the data loaded, nothing else built). Returns the websocket bytes and messages of the page's first run."""
    async with Session(url) as s:
        first = await s.run()
        for key, w in s.widgets.items() if every_view else ():
            if w.kind in ("radio", "select_slider", "slider"):
                for option in w.options or [float(v) for v in range(1, 10)]:
                    await s.run(**{key: option})
        if every_view and set(EXPLORE_CONTROLS) <= s.widgets.keys():
            for region in s.widgets["region"].options:
                for method in s.widgets["method"].options:
                    for stage in s.widgets["stage"].options:
                        await s.run(region=region, method=method, stage=stage)
    if app == "acumap":
        for query in (f"mode=quiz&seed={CLASS_SEED}", "mode=present"):
            async with Session(url, query=query) as s:
                await s.run()
    return first.bytes, first.messages


@contextlib.contextmanager
def target(path: Path, replicas: int) -> Iterator[tuple[str, list[str], list[int]]]:
    """The URL the sessions use, each server's own URL, and the servers' process ids."""
    if replicas == 1:
        with serve(path) as server:
            yield server.url, [server.url], [server.process.pid]
    else:
        from deploy.cluster import cluster

        with cluster(replicas, app=path) as c:
            yield c.url, [b.url for b in c.backends], [b.process.pid for b in c.backends]


def run_app(app: str, sessions: int, seconds: float, seed: int, replicas: int, k: Knowledge,
            weight: bool, think: tuple[float, float] = THINK, warm: str = "all",
            around: Callable[[list[int]], contextlib.AbstractContextManager] | None = None) -> tuple[ClassRun, dict]:
    """The class on fresh servers of `app`, warmed first. `around(pids)`, when given, is a context the class
    runs inside, handed the servers' process ids once they are warm (bench/capacity.py: prints them, starts
    py-spy on them)."""
    extra: dict = {}
    with target(APP if app == "acumap" else BASELINE, replicas) as (url, server_urls, pids):
        if weight and app == "acumap" and replicas == 1:
            import page_weight

            extra["weight"] = page_weight.measure(url)
        for server_url in server_urls:  # each server builds and caches its own figures
            extra["ws_first"] = asyncio.run(warm_up(server_url, app, warm == "all"))
        with around(pids) if around else contextlib.nullcontext():
            out = asyncio.run(measure_class(app, url, pids, sessions, seconds, seed, k, replicas > 1, think))
    med, high, top = out.stats()
    print(f"  {app:8} {sessions} sessions, {out.window:.0f} s: {len(out.reruns)} changes, rerun p50 {ms(med)}, "
          f"p95 {ms(high)}, max {ms(top)}, errors {len(out.errors)}, server CPU {cpu_line(out)}, "
          f"RSS peak {out.rss_peak / 1e6:.0f} MB", flush=True)
    return out, extra


def run_live(students: int, seed: int, replicas: int, k: Knowledge) -> LiveRun:
    """The live class on a fresh acumap server (or cluster), on a class database of its own."""
    with class_database(), target(APP, replicas) as (url, _servers, _pids):
        headers_for = (lambda: route_cookie(url)) if replicas > 1 else None
        out = asyncio.run(measure_live(url, students, seed, k.strings, headers_for))
    med, high, top = stats(out.clicks)
    print(f"  live     {students} students: {len(out.clicks)} answers clicked, {out.stored} stored, "
          f"{len(out.lost)} lost; click p50 {ms(med)}, p95 {ms(high)}, max {ms(top)}; projector poll p95 "
          f"{ms(stats(out.teacher_polls)[1])}; errors {len(out.errors)}", flush=True)
    return out



def stats(values: list[float]) -> tuple[float, float, float]:
    return (median(values), p95(values), max(values)) if values else (float("nan"),) * 3


def ms(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v == v else "—"


def cpu_line(c: ClassRun) -> str:
    changes = len(c.reruns) + len(c.opens)
    per = f"{c.cpu / changes * 1000:.0f} ms a rerun" if changes else "—"
    return f"{c.cpu:.1f} s ({c.cpu / c.window:.0%} of one core; {per})" if c.window else "—"

