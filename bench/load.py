"""A full classroom, measured: `make load` or `.venv/bin/python bench/load.py [--quick]`.

Many sessions at once against ONE `streamlit run` server on 127.0.0.1, each driven at the
websocket level (bench/wsclient.py: Streamlit's own BackMsg / ForwardMsg protobufs, no browser).
For each level of 1, 10, 20, 30 and 50 sessions: every session opens the page at the same
moment, then changes the controls RERUNS times with its own values (region, method and stage drawn
from its own seeded generator), pausing THINK seconds between changes as a student would, and
checks each answer (the back view's title names its region and stage; no error shown).

Reported per level: rerun latency (send -> script_finished) median / p95 / max, page-open latency,
errors, server RSS with all sessions open. The same run drives bench/baseline_app.py (one slider,
one small chart) at the same levels, so the machine's noise falls on both. Writes
bench/load_results.md. Bounded: at most 50 sessions, RERUNS changes each, a deadline per level and
for the whole run; loopback only; stops by itself.

`--replicas N` (N > 1) runs each app as N servers behind Debian's nginx (deploy/cluster.py, the
same deploy/nginx.conf) and drives every session through nginx with a route cookie of its own, as
a browser would; it writes bench/load_results_replicasN.md, so the one-server file stays.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import psutil  # noqa: E402
from common import APP, BASELINE, median, p95  # noqa: E402
from wsclient import Session  # noqa: E402

from tests.support.live import serve  # noqa: E402

LEVELS = (1, 10, 20, 30, 50)
REPORTED = (1, 10, 30, 50)  # the levels the README quotes
RERUNS = (6, 3)  # control changes per session: full, --quick
THINK = (0.3, 1.5)  # seconds between two changes of one session (uniform)
LEVEL_DEADLINE = 180.0  # seconds per level
RUN_DEADLINE = 900.0  # seconds for the whole run
P95_LIMIT = 1.0  # seconds: where a class starts to wait
RESULTS = ROOT / "bench" / "load_results.md"
USAGE = "bench/load.py [--quick] [--replicas N]"
MAX_REPLICAS = 8


@dataclass
class Level:
    sessions: int
    opens: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss: float = 0.0  # bytes, server, all sessions open
    wall: float = 0.0

    def stats(self) -> tuple[float, float, float]:
        if not self.reruns:
            return float("nan"), float("nan"), float("nan")
        return median(self.reruns), p95(self.reruns), max(self.reruns)


class App:
    """What differs between acumap and the baseline: the controls a student moves and the check."""

    def __init__(self, name: str, path: Path):
        self.name, self.path = name, path

    def change(self, rnd: random.Random, s: Session) -> dict[str, str | float]:
        if self.name == "baseline":
            return {"n": float(rnd.randint(1, 9))}
        keys = rnd.sample(["region", "method", "stage"], rnd.randint(1, 3))
        return {key: rnd.choice(s.widgets[key].options) for key in keys}

    def check(self, s: Session, run, expected: dict) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        if self.name == "baseline":
            title = run.charts.get("chart", {}).get("layout", {}).get("title", {}).get("text", "")
            return None if title == f"Baseline n = {int(expected['n'])}" else f"baseline chart shows {title!r}"
        title = run.view_title  # the back view's title, page text beside it
        region = s.values["region"].string_value if "region" in s.values else None
        stage = s.values["stage"].string_array_value.data[0] if "stage" in s.values else None
        if not title:
            return "no back-view title in the answer"
        if region and region not in title or stage and f"stage {stage}" not in title:
            return f"back view's title says {title!r}, expected {region} / stage {stage}"
        return None


def route_cookie(url: str) -> dict[str, str]:
    """A fresh browser's first request through nginx: the route cookie it is given (deploy/nginx.conf)."""
    with urllib.request.urlopen(url + "/", timeout=60) as resp:
        for value in resp.headers.get_all("Set-Cookie") or []:
            if value.startswith("acumap_route="):
                return {"Cookie": value.split(";", 1)[0]}
    raise RuntimeError("nginx set no acumap_route cookie")


async def student(app: App, url: str, seed: int, reruns: int, start: asyncio.Event, level: Level,
                  behind_nginx: bool = False) -> None:
    rnd = random.Random(seed)
    try:
        headers = await asyncio.to_thread(route_cookie, url) if behind_nginx else {}
        async with Session(url, headers=headers) as s:
            await start.wait()
            opened = await s.run()
            level.opens.append(opened.seconds)
            if opened.errors:
                level.errors += opened.errors
            for _ in range(reruns):
                await asyncio.sleep(rnd.uniform(*THINK))
                wanted = app.change(rnd, s)
                run = await s.run(**wanted)
                level.reruns.append(run.seconds)
                problem = app.check(s, run, wanted)
                if problem:
                    level.errors.append(problem)
    except Exception as exc:  # a dropped connection, a timeout: counted, never fatal to the run
        level.errors.append(f"{type(exc).__name__}: {exc}")


async def measure_level(app: App, url: str, pids: list[int], sessions: int, reruns: int,
                        behind_nginx: bool = False) -> Level:
    level = Level(sessions)
    start = asyncio.Event()
    tasks = [asyncio.create_task(student(app, url, 1000 * sessions + i, reruns, start, level, behind_nginx))
             for i in range(sessions)]
    await asyncio.sleep(0.5)  # every session connected before any opens the page
    started = time.perf_counter()
    start.set()
    servers = [psutil.Process(pid) for pid in pids]
    peak = 0.0
    done: set = set()
    while len(done) < len(tasks) and time.perf_counter() - started < LEVEL_DEADLINE:
        done, _ = await asyncio.wait(tasks, timeout=0.5)
        peak = max(peak, sum(server.memory_info().rss for server in servers))  # all servers together
    for task in tasks:
        if not task.done():
            task.cancel()
            level.errors.append("session cut off at the level's deadline")
    await asyncio.gather(*tasks, return_exceptions=True)
    level.rss, level.wall = peak, time.perf_counter() - started
    return level


async def warm_up(url: str) -> tuple[int, int]:
    """One session through every value of every control, so the levels measure a warm server (the
    figures of each view are built once per server, then cached), not the first builds. Returns the
    websocket bytes and messages of the page's first run."""
    async with Session(url) as s:
        first = await s.run()
        for key, w in s.widgets.items():
            if w.kind in ("radio", "select_slider", "slider"):
                for option in w.options or [float(v) for v in range(1, 10)]:
                    await s.run(**{key: option})
        if {"region", "method", "stage"} <= s.widgets.keys():
            for region in s.widgets["region"].options:
                for method in s.widgets["method"].options:
                    for stage in s.widgets["stage"].options:
                        await s.run(region=region, method=method, stage=stage)
    return first.bytes, first.messages


@contextlib.contextmanager
def target(app: App, replicas: int) -> Iterator[tuple[str, list[str], list[int]]]:
    """The URL the sessions use, each server's own URL, and the servers' process ids."""
    if replicas == 1:
        with serve(app.path) as server:
            yield server.url, [server.url], [server.process.pid]
    else:
        from deploy.cluster import cluster

        with cluster(replicas, app=app.path) as c:
            yield c.url, [b.url for b in c.backends], [b.process.pid for b in c.backends]


def run_app(app: App, reruns: int, deadline: float, levels: tuple[int, ...],
            replicas: int = 1) -> tuple[list[Level], float, dict]:
    out = []
    extra: dict = {}
    with target(app, replicas) as (url, server_urls, pids):
        idle = sum(psutil.Process(pid).memory_info().rss for pid in pids)
        if app.name == "acumap" and replicas == 1:
            import page_weight

            extra["weight"] = page_weight.measure(url)
        for server_url in server_urls:  # each server builds and caches its own figures
            extra["ws_first"] = asyncio.run(warm_up(server_url))
        for n in levels:
            if time.monotonic() > deadline:
                print(f"  {app.name}: stopping before {n} sessions (run deadline)", flush=True)
                break
            level = asyncio.run(measure_level(app, url, pids, n, reruns, behind_nginx=replicas > 1))
            med, high, top = level.stats()
            print(f"  {app.name:8} {n:3} sessions: rerun median {med * 1000:7.1f} ms, p95 {high * 1000:7.1f} ms, "
                  f"max {top * 1000:7.1f} ms, errors {len(level.errors)}, RSS {level.rss / 1e6:6.1f} MB", flush=True)
            out.append(level)
            time.sleep(2.0)  # let the server drop the closed sessions
    return out, idle, extra


def crossing(levels: list[Level]) -> str:
    for lv in levels:
        if lv.stats()[1] > P95_LIMIT:
            return str(lv.sessions)
    return f"not reached up to {levels[-1].sessions}" if levels else "not measured"


def ms(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v == v else "—"


def weight_lines(extra: dict) -> list[str]:
    w = extra.get("weight")
    if w is None:
        return []
    ws_bytes, ws_messages = extra["ws_first"]
    lines = [
        "",
        "## First page load, in bytes",
        "",
        "Measured by bench/page_weight.py: Chromium opens the page once to list the files a first load fetches;",
        "each is fetched again with urllib (no compression) and gzipped in Python at level 6, as",
        "deploy/nginx.conf's `gzip_comp_level 6` would for text, JS, CSS, JSON and SVG (other files as they are).",
        "",
        "| | files | uncompressed | gzip (nginx) | what Streamlit itself sends when gzip is accepted |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| first page load over HTTP | {w.files} | {w.raw / 1e6:.2f} MB | {w.gzipped / 1e6:.2f} MB | "
        f"{w.served / 1e6:.2f} MB |",
    ]
    for kind, (raw, gz) in sorted(w.by_type.items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| — {kind} | | {raw / 1e3:.0f} KB | {gz / 1e3:.0f} KB | |")
    lines += ["", f"Then the page's first run over the websocket: {ws_bytes / 1e3:.1f} KB in {ws_messages} messages "
              "(protobuf; not gzipped by nginx)."]
    return lines


def report(ours: list[Level], base: list[Level], idle: tuple[float, float], runtime: float, reruns: int,
           extra: dict | None = None, replicas: int = 1) -> str:
    base_by = {lv.sessions: lv for lv in base}
    against = ("one `streamlit run` server on 127.0.0.1." if replicas == 1 else
               f"{replicas} `streamlit run` servers behind Debian's nginx (deploy/cluster.py), each session with a "
               "route cookie of its own; server RSS is the sum over the servers.")
    lines = [
        "# acumap — a full classroom, measured",
        "",
        "Written by `make load` (bench/load.py). Sessions are driven at the websocket level (Streamlit's own",
        f"BackMsg/ForwardMsg protobufs; bench/wsclient.py) against {against}",
        f"Each session opens the page (all at once), then changes region, method and/or stage {reruns} times",
        f"with its own values, {THINK[0]:g}–{THINK[1]:g} s apart; each answer is checked (the back view's title",
        "names the region and stage asked for; no error on the page). Latency: from sending the change to",
        "`script_finished`. The baseline (bench/baseline_app.py: one slider, one small chart) runs the same",
        "way in the same run.",
        "",
        f"Machine: {os.cpu_count()} logical cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
        f"Python {platform.python_version()}, Streamlit {metadata.version('streamlit')}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; run took {runtime:.0f} s. The load generator shares the",
        "machine with the server (and its CPU), so the numbers are an upper bound on what the server alone needs.",
        "",
        "| sessions | rerun median | rerun p95 | rerun max | page open median / p95 | errors | server RSS | "
        "baseline median / p95 | median ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for lv in ours:
        med, high, top = lv.stats()
        b = base_by.get(lv.sessions)
        bmed, bhigh, _ = b.stats() if b else (float("nan"),) * 3
        opens = f"{ms(median(lv.opens))} / {ms(p95(lv.opens))}" if lv.opens else "—"
        ratio = f"{med / bmed:.1f}×" if b and bmed == bmed and bmed > 0 else "—"
        lines.append(f"| {lv.sessions} | {ms(med)} | {ms(high)} | {ms(top)} | {opens} | {len(lv.errors)} | "
                     f"{lv.rss / 1e6:.0f} MB | {ms(bmed)} / {ms(bhigh)} | {ratio} |")
    lines += [
        "",
        f"- Server RSS before any session: acumap {idle[0] / 1e6:.0f} MB, baseline {idle[1] / 1e6:.0f} MB. Before the",
        "  levels, one session runs through every view once, so the figures are built and cached (a warm server).",
        f"- p95 of a rerun passes {P95_LIMIT:g} s at: acumap **{crossing(ours)}** sessions; "
        f"baseline {crossing(base)}.",
        f"- Errors in all: acumap {sum(len(lv.errors) for lv in ours)}, baseline {sum(len(lv.errors) for lv in base)}"
        " (target 0).",
    ]
    lines += weight_lines(extra or {})
    shown = [e for lv in ours + base for e in lv.errors][:5]
    if shown:
        lines += ["", "First errors:", *[f"- `{e[:200]}`" for e in shown]]
    return "\n".join(lines) + "\n"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"bench/load.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str]) -> int:
    parser = _Parser(prog="bench/load.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer changes per session, levels 1, 10, 30")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind nginx (default 1: one server alone)")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be between 1 and {MAX_REPLICAS}, not {args.replicas}")
    results = RESULTS if args.replicas == 1 else RESULTS.with_name(f"load_results_replicas{args.replicas}.md")
    reruns = RERUNS[1 if args.quick else 0]
    levels = (1, 10, 30) if args.quick else LEVELS
    started = time.monotonic()
    deadline = started + RUN_DEADLINE
    print(f"load: {levels} sessions, {reruns} changes each, {args.replicas} server(s); acumap, then the baseline",
          flush=True)
    ours, idle_ours, extra = run_app(App("acumap", APP), reruns, deadline, levels, args.replicas)
    base, idle_base, _ = run_app(App("baseline", BASELINE), reruns, deadline, levels, args.replicas)
    text = report(ours, base, (idle_ours, idle_base), time.monotonic() - started, reruns, extra, args.replicas)
    results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
