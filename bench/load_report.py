"""What bench/load.py reports: the verdicts, the markdown results file and the JSON line.

The class's table (per app and per kind of session) and its verdict (0 errors, p95 ≤ P95_LIMIT, p95 at most
BASELINE_RATIO× the baseline's in the same run); the first page load in bytes (bench/page_weight.py); the live
class's table and verdict (bench/load_live.py); the throughput phase's (bench/load_throughput.py). The JSON
line (summary): {"sessions": …, "p50_ms": …, "p95_ms": …, "errors": …, "baseline_p95_ms": …, "replicas": …},
then {"live_students", "live_answers", "live_lost", "live_errors", "live_click_p50_ms", "live_click_p95_ms",
"live_click_max_ms", "live_last_answer_s", "live_teacher_poll_p50_ms", "live_teacher_poll_p95_ms",
"live_teacher_poll_max_ms"} and the `throughput_*` fields (null where no phase or no value).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from importlib import metadata

import psutil
from common import median, p95
from load_class import THINK, ClassRun, cpu_line, ms, stats
from load_live import ANSWER_SPREAD, ANSWER_WINDOW, LiveRun
from load_roles import CLASS_SEED
from load_throughput import SaturationRun, floor2, ratio, throughput_lines

P95_LIMIT = 1.0  # seconds: where a class starts to wait
BASELINE_RATIO = 1.5  # target: acumap's p95 at most this many times the baseline's in the same run


def verdict(ours: ClassRun, base: ClassRun) -> tuple[bool, str]:
    _, high, _ = ours.stats()
    _, bhigh, _ = base.stats()
    if high != high:
        return False, "target NOT met: no change was measured"
    checks = [
        (len(ours.errors) == 0, f"{len(ours.errors)} errors (target 0)"),
        (high <= P95_LIMIT, f"p95 {ms(high)} (target ≤ {P95_LIMIT:g} s)"),
        (high <= BASELINE_RATIO * bhigh, f"p95 {high / bhigh:.2f}× the baseline's (target ≤ {BASELINE_RATIO:g}×)"
         if bhigh == bhigh and bhigh > 0 else "no baseline p95"),
    ]
    met = all(ok for ok, _ in checks)
    return met, ("target met: " if met else "target NOT met: ") + "; ".join(text for _, text in checks)


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


def summary(ours: ClassRun | None, base: ClassRun | None, replicas: int, live: LiveRun | None = None,
            thru: tuple[SaturationRun, SaturationRun] | None = None) -> dict:
    def rounded(v: float, scale: float = 1000) -> float | None:
        return round(v * scale, 1) if v == v else None

    nan = float("nan")
    med, high, _ = ours.stats() if ours else (nan, nan, nan)
    out = {"sessions": ours.sessions if ours else None, "p50_ms": rounded(med), "p95_ms": rounded(high),
           "errors": len(ours.errors) if ours else None,
           "baseline_p95_ms": rounded(base.stats()[1]) if base else None, "replicas": replicas}
    click = stats(live.clicks) if live else (nan, nan, nan)
    poll = stats(live.teacher_polls) if live else (nan, nan, nan)
    last = max(live.answered) if live and live.answered else nan
    out.update({
        "live_students": live.students if live else None, "live_answers": live.stored if live else None,
        "live_lost": len(live.lost) if live else None, "live_errors": len(live.errors) if live else None,
        "live_click_p50_ms": rounded(click[0]), "live_click_p95_ms": rounded(click[1]),
        "live_click_max_ms": rounded(click[2]), "live_last_answer_s": rounded(last, 1),
        "live_teacher_poll_p50_ms": rounded(poll[0]), "live_teacher_poll_p95_ms": rounded(poll[1]),
        "live_teacher_poll_max_ms": rounded(poll[2]),
    })
    one, many = thru if thru else (None, None)
    one_stats = stats(one.latencies) if one else (nan, nan, nan)
    many_stats = stats(many.latencies) if many else (nan, nan, nan)
    out.update({
        "throughput_sessions": one.sessions if one else None,
        "throughput_1_per_s": rounded(one.rate, 1) if one else None,
        "throughput_n_per_s": rounded(many.rate, 1) if many else None,
        "throughput_ratio": floor2(ratio(many, one)) if thru and ratio(many, one) == ratio(many, one) else None,
        "throughput_1_p50_ms": rounded(one_stats[0]), "throughput_1_p95_ms": rounded(one_stats[1]),
        "throughput_n_p50_ms": rounded(many_stats[0]), "throughput_n_p95_ms": rounded(many_stats[1]),
        "throughput_errors": len(one.errors) + len(many.errors) if thru else None,
        "throughput_generator_cpu": round(many.share(many.own_cpu), 2) if many and many.seconds else None,
    })
    return out


def live_verdict(live: LiveRun) -> tuple[bool, str]:
    last = max(live.answered) if live.answered else float("nan")
    checks = [
        (not live.errors, f"{len(live.errors)} errors (target 0)"),
        (live.stored == live.students and not live.lost and not live.doubled,
         f"{live.stored} of {live.students} answers stored, {len(live.lost)} lost, {live.doubled} twice"),
        (last <= ANSWER_WINDOW, f"the last answer in {last:.1f} s after the question "
         f"(target ≤ {ANSWER_WINDOW:g} s)"),
    ]
    met = all(ok for ok, _ in checks)
    head = "live class: target met: " if met else "live class: target NOT met: "
    return met, head + "; ".join(text for _, text in checks)


def live_lines(live: LiveRun | None) -> list[str]:
    if live is None:
        return []
    rows = [("page open (`?class=CODE`)", live.opens), ("join (nickname + Join)", live.joins),
            ("answer click (Answer's rerun of the polled part)", live.clicks),
            ("projector poll (class board's auto-rerun)", live.teacher_polls),
            ("student poll (question part's auto-rerun)", live.student_polls)]
    lines = [
        "",
        "## A live class",
        "",
        f"bench/load_live.py, on a fresh server: a class made through the store; the projector (teacher link) and "
        f"{live.students} students (join link, nickname typed, Join pressed) poll their screen's fragment every "
        "ACUMAP_CLASS_POLL_SECONDS as the browser's timer would; the projector presses Ask, and each student picks "
        f"a choice and presses Answer at a moment drawn within the first {ANSWER_SPREAD:g} s (the issue's "
        f"{ANSWER_WINDOW:g} s window). Click latency: from the click to the last message of its rerun, a poll of "
        "that phone still in flight included.",
        "",
        "| step | count | p50 | p95 | max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, values in rows:
        med, high, top = stats(values)
        lines.append(f"| {name} | {len(values)} | {ms(med)} | {ms(high)} | {ms(top)} |")
    last = max(live.answered) if live.answered else float("nan")
    lines += ["", f"In the store: {live.stored} answers for {live.students} students, {len(live.lost)} lost, "
              f"{live.doubled} held twice; {live.sent_late} clicked more than {ANSWER_WINDOW:g} s after the question; "
              f"the last answer's rerun ended {last:.1f} s after the question; the projector's last count: "
              f"{live.projector_count or '—'}.", "", f"**{live_verdict(live)[1]}**"]
    if live.errors:
        lines += ["", "First live-class errors:", *[f"- `{e[:200]}`" for e in live.errors[:5]]]
    return lines


def report(ours: ClassRun | None, base: ClassRun | None, runtime: float, seed: int, extra: dict, replicas: int,
           think: tuple[float, float] = THINK, warm: str = "all", live: LiveRun | None = None,
           thru: tuple[SaturationRun, SaturationRun] | None = None) -> str:
    if ours is None or base is None:  # --live-only or --throughput
        title, flag = ("a live class", "--live-only") if thru is None else (f"throughput with {replicas} servers",
                                                                              "--throughput")
        lines = [f"# acumap — {title}, measured", "",
                 f"Written by `bench/load.py {flag}`; "
                 + ("one `streamlit run` server" if replicas == 1 else f"{replicas} servers behind nginx")
                 + f" on 127.0.0.1; Streamlit {metadata.version('streamlit')}; {os.cpu_count()} logical cores; "
                 f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; run took {runtime:.0f} s; load average before the run "
                 f"{extra.get('load_before', '?')}; seed {seed}.", *live_lines(live), *throughput_lines(thru),
                 "", "```json", json.dumps(summary(None, None, replicas, live, thru)), "```"]
        return "\n".join(lines) + "\n"
    against = ("one `streamlit run` server on 127.0.0.1" if replicas == 1 else
               f"{replicas} `streamlit run` servers behind Debian's nginx (deploy/cluster.py), each session with a "
               "route cookie of its own; server CPU and RSS are summed over the servers")
    lines = [
        "# acumap — a class, measured",
        "",
        "Written by `make load` (bench/load.py). Sessions are driven at the websocket level (Streamlit's own",
        f"BackMsg/ForwardMsg protobufs; bench/wsclient.py) against {against}. {ours.sessions} student sessions",
        "open the shared link at the same moment, then each acts every "
        f"{think[0]:g}–{think[1]:g} s (seeded think time, seed {seed}) for {ours.window:.0f} s:",
        "half explore (change region, method and/or stage), half take the shared quiz "
        f"(`?mode=quiz&seed={CLASS_SEED}`: pick, check, next, restart),",
        "and one presenter session (`?mode=present`) steps through the lesson. Every answer is checked (no error; the",
        "back view names the region and stage; the quiz's question, verdict and score; the presenter's step).",
        "Latency: from sending a change to that rerun's last message (`script_finished`). The baseline",
        "(bench/baseline_app.py: one slider, one small chart) takes the same class, its slider moved with the",
        "same think times, in the same run, right after. " + ("Both servers are warmed first (every view once)."
                                                              if warm == "all" else "Each link was opened once first "
                                                              "(--warm open): views are built during the class."),
        "",
        f"Machine: {os.cpu_count()} logical cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
        f"Python {platform.python_version()}, Streamlit {metadata.version('streamlit')}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; run took {runtime:.0f} s; load average before the",
        f"run {extra.get('load_before', '?')}. The load generator shares the machine (and its cores) with the server.",
        "",
        "| app | sessions (presenter included) | changes | rerun p50 | rerun p95 | rerun max | page open p50 / p95 | "
        "errors | server CPU | server RSS idle / peak |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for c in (ours, base):
        med, high, top = c.stats()
        opens = f"{ms(median(c.opens))} / {ms(p95(c.opens))}" if c.opens else "—"
        lines.append(f"| {c.app} | {c.sessions + 1} | {len(c.reruns)} | {ms(med)} | "
                     f"{ms(high)} | {ms(top)} | {opens} | {len(c.errors)} | {cpu_line(c)} | "
                     f"{c.rss_idle / 1e6:.0f} / {c.rss_peak / 1e6:.0f} MB |")
    lines += ["", "acumap by kind of session:", "", "| session | changes | p50 | p95 | max |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for kind, values in sorted(ours.by_kind.items()):
        med, high, top = ours.stats(values)
        lines.append(f"| {kind} | {len(values)} | {ms(med)} | {ms(high)} | {ms(top)} |")
    lines += ["", f"**{verdict(ours, base)[1]}** (one server of this machine; the baseline's p95 "
              f"{ms(base.stats()[1])})."]
    lines += weight_lines(extra)
    shown = [e for c in (ours, base) for e in c.errors][:5]
    if shown:
        lines += ["", "First errors:", *[f"- `{e[:200]}`" for e in shown]]
    lines += live_lines(live)
    lines += throughput_lines(thru)
    lines += ["", "```json", json.dumps(summary(ours, base, replicas, live, thru)), "```"]
    return "\n".join(lines) + "\n"
