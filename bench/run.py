"""The acumap benchmark: `make bench` or `.venv/bin/python bench/run.py [--quick]`.

Measures, each against bench/baseline_app.py (one slider, one 20-point Plotly line) in the same run
so the shared, noisy machine weighs on both alike:
  1. rerun cost (AppTest), 2. browser timings (real server + Chromium), 3. payload per rerun,
  4. growth of the figure with the number of points, 5. server memory per open session,
  6. a live class: a presenter step to the last of three students' pages (an absolute aim, 3 s).
Prints the table and writes it, with the machine, to bench/results.md. Not part of the tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

USAGE = "bench/run.py [--quick]"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"bench/run.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(prog="bench/run.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about a minute less)")
    return parser.parse_args(argv)


# Repetitions: full, quick.
REPS = {
    "rerun": (60, 15),  # AppTest reruns of each of ours, ours with points, baseline (interleaved)
    "change": (16, 6),  # slider key presses in the browser, each app
    "open": (4, 2),  # cold page opens (fresh browser context), each app
    "sessions": (10, 4),  # pages opened for the memory measure, each app (also timed as warm opens)
    "growth": (3, 2),  # figure builds at each size
    "follow": (8, 4),  # presenter steps followed by three students' pages in a live class
}


def main(argv: list[str]) -> int:
    args = parse(argv)
    reps = {name: pair[1 if args.quick else 0] for name, pair in REPS.items()}
    # Imported here so a bad argument answers at once.
    import measure_browser as mbr
    import measure_follow
    import measure_growth
    import measure_payload
    import measure_rerun
    import report
    from common import APP, BASELINE
    from playwright.sync_api import sync_playwright

    from tests.support.live import launch_chromium, serve

    started = time.perf_counter()
    machine = report.machine_start()

    def step(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {text}", flush=True)

    step(f"1. rerun cost: {reps['rerun']} AppTest reruns each of ours, ours + points layer, baseline")
    rerun = measure_rerun.measure(reps["rerun"])
    step("1. where a rerun of app.py goes: cProfile of 8 reruns")
    profile = measure_rerun.profile(8)
    step("3. payload (AppTest): figure JSON per region, points layer off and on")
    specs = measure_payload.measure()
    step(f"4. growth: back_view(points=n) + to_json for n = 10 ... 10,000, median of {reps['growth']}")
    growth = measure_growth.measure(reps["growth"])

    step("starting both servers and Chromium")
    with serve(APP) as s_ours, serve(BASELINE) as s_base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            machine["chromium"] = browser.version
            apps = [mbr.ours(s_ours.url), mbr.baseline(s_base.url)]
            pids = {"ours": s_ours.process.pid, "baseline": s_base.process.pid}
            step(f"5. memory: {reps['sessions']} sessions on each server (each also timed as a warm page open)")
            memory = mbr.memory(browser, apps, pids, reps["sessions"])
            step(f"2b. page open to diagram drawn: {reps['open']} cold opens each")
            cold = mbr.time_open_cold(browser, apps, reps["open"])
            step(f"2a. slider change to diagram redrawn: {reps['change']} key presses each")
            change = mbr.time_change(browser, apps, reps["change"], pids)
            step("3. payload (websocket): bytes received per rerun")
            wire = mbr.payload(browser, apps[0], apps[1])
            step(f"6. live class: {reps['follow']} presenter steps, each to the last of three students' pages")
            follow = measure_follow.measure(browser, reps["follow"])
        finally:
            browser.close()

    runtime = time.perf_counter() - started
    machine = report.machine_end(machine, runtime, quick=args.quick, reps=reps)
    rows, growth_rows, notes = report.build(rerun, specs, growth, memory, cold, change, wire, follow)
    text = report.render(machine, rows, growth_rows, notes, profile)
    out = ROOT / "bench" / "results.md"
    out.write_text(text, encoding="utf-8")
    step(f"done in {runtime:.0f} s; wrote {out.relative_to(ROOT)}:")
    print()
    print(text)
    print("## Targets (the full table is above and in bench/results.md)\n")
    print(report.targets_table(rows))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("bench/run.py: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # one clear line, no traceback (set BENCH_TRACEBACK=1 for one)
        if os.environ.get("BENCH_TRACEBACK"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"bench/run.py: error: {type(exc).__name__}: {first}", file=sys.stderr)
        sys.exit(1)
