"""A class of students, measured: `make load` (60 sessions, 5 minutes) or `make load-quick` (30, 60 s).

Sessions are driven at the websocket level (bench/wsclient.py: Streamlit's own BackMsg / ForwardMsg
protobufs, no browser) against ONE `streamlit run` server on 127.0.0.1. The class: SESSIONS student
sessions open the shared link all at once (the stampede of a class told "open the link now"), then
each acts every 3–7 s (uniform think time from its own seeded generator) until the class's time is up:
half of them explore (change region, method and/or stage), half take the quiz the teacher shared
(`?mode=quiz&seed=…`: pick an answer, check it, go to the next question, restart after the last); one
presenter session (`?mode=present`) steps through the lesson, back and forth. Every answer is checked
against what was asked: no error on the page; the back view names the region and stage; the quiz shows
the question, the verdict (worked out here with acumap.teach.quiz for the same seed) and the score; the
presenter's step is the next one.

The baseline app (bench/baseline_app.py: one slider, one small chart) then takes the same class in the
same run: as many sessions (the presenter's place included), opening at once, moving its slider with
the same think times. The class's time is split evenly between the two apps, so the run stays within
its duration (plus start-up and warm-up) and stops by itself.

Reported: rerun latency, from sending a change to that rerun's last message (`script_finished`), p50 /
p95 / max, per kind of session too; page-open latency; errors; server CPU (psutil cpu_times of the
server process and its children over the measured window: per change and as a share of one core);
server RSS (idle and peak). The last line printed is one line of JSON:
{"sessions": …, "p50_ms": …, "p95_ms": …, "errors": …, "baseline_p95_ms": …, "replicas": …}.

Then the live class of issue 16 (bench/load_live.py), on a fresh acumap server: a class made through the
store, its projector polling, as many students as the class above (`--live N` to change, 0 to skip) joining
with a nickname, then all answering the projector's question within 5 s on their polled screens; checked in
the store (every answer held once, none lost). Reported: answer click latency (p50 / p95 / max), the
projector's and the students' poll latency, joins, errors. `--live-only` runs this phase alone. The JSON
line then also holds {"live_students", "live_answers", "live_lost", "live_errors", "live_click_p50_ms",
"live_click_p95_ms", "live_click_max_ms", "live_last_answer_s", "live_teacher_poll_p50_ms",
"live_teacher_poll_p95_ms", "live_teacher_poll_max_ms"} (null where no phase or no value).

`--replicas N` (N > 1) runs each app as N servers behind Debian's nginx (deploy/cluster.py, the same
deploy/nginx.conf) and drives every session through nginx with a route cookie of its own, as a browser
would. With N > 1 a last phase measures throughput, which a class with think time cannot (it never
fills a server): the class's sessions (THROUGHPUT_SESSIONS students and the presenter, `--throughput-sessions`)
with no think time, each sending its next change as soon as its last rerun's answer is in and checked (a
closed loop), for `--throughput-seconds` (default 60), first on one fresh server, then on N, both behind the
same nginx, same seed and sessions. Reported: checked reruns a second on each and their ratio (issue 15's
target: ≥ 1.7× with 2), p50 / p95, errors, the servers' CPU (each), nginx's, the load generator's own (this
process: whether it was the limit) and the rest of the machine's; JSON fields `throughput_*`.
`--throughput` runs this phase alone.

`--sessions`, `--duration`, `--think` and `--warm open` (a short warm-up) make a smaller, quicker class (a
smoke run, tests/test_load.py); only the standard runs write bench/load_results*.md unless `--out` names a file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import psutil  # noqa: E402
from common import APP, BASELINE, cpu_seconds, median, p95, process_tree  # noqa: E402
from load_live import ANSWER_SPREAD, ANSWER_WINDOW, LiveRun, class_database, measure_live  # noqa: E402
from wsclient import Click, Run, Session  # noqa: E402

from acumap import load_knowledge  # noqa: E402
from acumap.data.loading import Knowledge  # noqa: E402
from acumap.teach.lesson import steps as lesson_steps  # noqa: E402
from acumap.teach.quiz import CLICK, make_quiz, result_text, score, tally_text  # noqa: E402
from tests.support.live import serve  # noqa: E402

# --- What the sessions touch on the page. The UI's widget keys live here only: when a screen renames
# one (ui/explore.py, ui/quiz.py, ui/present.py, bench/baseline_app.py), change it here.
EXPLORE_CONTROLS = ("region", "method", "stage")  # ui/explore.py's controls a student changes
BACK_VIEW = "back_view"  # ui/explore.py's chart
QUIZ_CHOICE = "quiz_choice_{tag}"  # ui/quiz.py; tag = "{seed}_{round}_{question index}"
QUIZ_CLICK = "quiz_click_{tag}"  # the back view a "click where" question is answered on
QUIZ_CLICK_TRACE = "click_grid"  # its trace of clickable spots (acumap.charts.figures.click_canvas)
QUIZ_SUBMIT = "quiz_submit"
QUIZ_NEXT = "quiz_next"
QUIZ_RESTART = "quiz_restart"
QUIZ_QUESTIONS = 10  # ui/quiz.py QUESTIONS: questions in one round
PRESENT_NEXT = "present_next"
PRESENT_PREVIOUS = "present_previous"
PRESENT_VIEW = "present_view"
BASELINE_SLIDER = "n"
BASELINE_CHART = "chart"

SIZES = {"full": (60, 300.0), "quick": (30, 60.0)}  # student sessions, seconds of class time (both apps)
MAX_SESSIONS = 200
THINK = (3.0, 7.0)  # seconds between two actions of one session (uniform, seeded)
QUIZ_SHARE = 2  # every 2nd student takes the quiz, the others explore
CLASS_SEED = 15  # the quiz link's seed: one link for the whole class
GRACE = 75.0  # seconds a change may still take after the class's time is up (wsclient.TIMEOUT + margin)
P95_LIMIT = 1.0  # seconds: where a class starts to wait
BASELINE_RATIO = 1.5  # target: acumap's p95 at most this many times the baseline's in the same run
RESULTS = ROOT / "bench" / "load_results.md"
USAGE = ("bench/load.py [--quick] [--sessions N] [--duration S] [--think LOW HIGH] [--warm all|open] [--replicas N] "
         "[--live N] [--live-only] [--throughput] [--throughput-seconds S] [--throughput-sessions N] [--seed N] "
         "[--out FILE]")
MAX_REPLICAS = 8
THROUGHPUT_SESSIONS = 24  # students (+ the presenter) in the throughput phase: enough to keep 2 servers busy
THROUGHPUT_SECONDS = 60.0  # the throughput window, on each target
SCALING_TARGET = 1.7  # issue 15: throughput with 2 servers at least this many times one
CPU_BOUND = 0.9  # share of one core from which the load generator is taken as the limit
BUSY_ELSEWHERE = 0.1  # share of one core other work may take in a throughput window before the report warns


# --- The sessions: one object per session, which knows what it will do next and what it must see.
class Explorer:
    kind = "explore"
    query = ""

    def __init__(self, k: Knowledge):
        self.k = k

    def opened(self, s: Session, run: Run) -> str | None:
        return "; ".join(run.errors) or (None if BACK_VIEW in run.charts else "no back view on the page")

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        keys = rnd.sample(EXPLORE_CONTROLS, rnd.randint(1, len(EXPLORE_CONTROLS)))
        self.wanted = {key: rnd.choice(s.widgets[key].options) for key in keys}
        return self.wanted

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        title = run.view_title  # the back view's title, page text beside it
        region = s.values["region"].string_value if "region" in s.values else None
        stage = s.values["stage"].string_array_value.data[0] if "stage" in s.values else None
        if not title:
            return "no back-view title in the answer"
        if region and region not in title or stage and f"stage {stage}" not in title:
            return f"back view's title says {title!r}, expected {region} / stage {stage}"
        return None


class QuizTaker:
    """Answers the shared quiz at random: the verdict each answer must get is worked out here, with the
    same questions (acumap.teach.quiz.make_quiz for the link's seed)."""

    kind = "quiz"

    def __init__(self, k: Knowledge, seed: int, questions: list | None = None):
        self.k, self.seed = k, seed
        self.query = f"mode=quiz&seed={seed}"
        self.questions = questions if questions is not None else make_quiz(k, seed, QUIZ_QUESTIONS)
        self.round = self.at = self.right = self.asked = 0
        self.phase = "ask"  # ask -> (chosen ->) answered -> ask ... -> finished -> ask
        self.choice: str | None = None
        self.result = None

    @property
    def tag(self) -> str:
        return f"{self.seed}_{self.round}_{self.at}"

    def opened(self, s: Session, run: Run) -> str | None:
        return self.check(s, run)

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        q = self.questions[self.at] if self.phase != "finished" else None
        if self.phase == "ask" and q.kind == CLICK:
            key = QUIZ_CLICK.format(tag=self.tag)
            traces = last.charts.get(key, {}).get("data", [])
            curve = next((i for i, tr in enumerate(traces) if tr.get("name") == QUIZ_CLICK_TRACE), None)
            if curve is None or not isinstance(traces[curve].get("x"), list):
                raise RuntimeError(f"no {QUIZ_CLICK_TRACE} spots on the quiz's back view")
            index = rnd.randrange(len(traces[curve]["x"]))
            spot = Click(curve, index, traces[curve]["x"][index], traces[curve]["y"][index])
            self._answered(score(q, (spot.x, spot.y)))
            return {key: spot}
        if self.phase == "ask":
            choice = rnd.choice(q.choices)
            self.choice, self.phase = choice.key, "chosen"
            return {QUIZ_CHOICE.format(tag=self.tag): choice.text}
        if self.phase == "chosen":
            self._answered(score(q, self.choice))
            return {QUIZ_SUBMIT: True}
        if self.phase == "answered":
            self.at += 1
            self.phase = "finished" if self.at >= len(self.questions) else "ask"
            return {QUIZ_NEXT: True}
        self.round, self.at, self.right, self.asked, self.phase = self.round + 1, 0, 0, 0, "ask"
        return {QUIZ_RESTART: True}

    def _answered(self, result) -> None:
        self.result, self.phase = result, "answered"
        self.asked += 1
        self.right += result.right

    def check(self, s: Session, run: Run) -> str | None:
        st = self.k.strings
        verdict = result_text(st, self.result) if self.phase == "answered" else None
        errors = [e for e in run.errors if not (verdict and not self.result.right and e == verdict)]
        if errors:
            return "; ".join(errors)
        tally = f"**{tally_text(st, _Tally(self.right, self.asked))}**"
        if tally not in run.texts:
            return f"quiz: the score {tally!r} is not shown"
        if self.phase == "finished":
            return None if QUIZ_RESTART in run.keys else "quiz: no restart button after the last question"
        q = self.questions[self.at]
        if self.phase == "answered":
            wanted = (4 if self.result.right else 1, verdict)  # Alert.Format SUCCESS / ERROR
            if wanted not in run.alerts:
                return f"quiz: expected the verdict {verdict!r}, the page shows {run.alerts}"
            return None if QUIZ_NEXT in run.keys else "quiz: no next button after an answer"
        shown = st.get("quiz.question_of", n=self.at + 1, count=len(self.questions))
        if not any(f">{escape(shown)}<" in t for t in run.texts):  # ui/quiz.py's focusable first line
            return f"quiz: {shown!r} is not shown"
        if q.kind == CLICK:
            key = QUIZ_CLICK.format(tag=self.tag)
            ok = key in run.keys and f"**{q.prompt}**" in run.texts
            return None if ok else f"quiz: click question {q.id} not shown"
        radio = s.widgets.get(QUIZ_CHOICE.format(tag=self.tag))
        if radio is None or radio.id.rsplit("-", 1)[-1] not in run.keys or radio.label != q.prompt:
            return f"quiz: question {q.id} not shown"
        submit = s.widgets.get(QUIZ_SUBMIT)
        if submit is None or QUIZ_SUBMIT not in run.keys or submit.disabled != (self.phase == "ask"):
            return f"quiz: the check button is not {'disabled' if self.phase == 'ask' else 'enabled'} as it should be"
        return None


@dataclass(frozen=True)
class _Tally:  # what tally_text reads
    right: int
    asked: int


class Presenter:
    """Steps through the lesson (one step per region and method), forward to the end, then back."""

    kind = "present"
    query = "mode=present"

    def __init__(self, k: Knowledge):
        self.k = k
        self.count = len(lesson_steps(k))
        self.step = 0  # 1-based once the page is open
        self.forward = True

    def _shown(self, run: Run) -> int:
        for n in range(1, self.count + 1):
            text = self.k.strings.get("present.step", n=n, count=self.count)
            if any(f">{text}<" in t for t in run.texts):
                return n
        return 0

    def opened(self, s: Session, run: Run) -> str | None:
        self.step = self._shown(run)
        return "; ".join(run.errors) or (None if self.step else "presenter: no step shown")

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        if self.step == self.count or self.step == 1 and not self.forward:
            self.forward = not self.forward
        self.step += 1 if self.forward else -1
        return {PRESENT_NEXT if self.forward else PRESENT_PREVIOUS: True}

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        shown = self._shown(run)
        if shown != self.step:
            return f"presenter: step {shown} shown, expected {self.step}"
        return None if PRESENT_VIEW in run.charts else "presenter: no back view"


class BaselineStudent:
    kind = "baseline"
    query = ""

    def opened(self, s: Session, run: Run) -> str | None:
        return "; ".join(run.errors) or None

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        self.n = rnd.randint(1, 9)
        return {BASELINE_SLIDER: float(self.n)}

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        title = run.charts.get(BASELINE_CHART, {}).get("layout", {}).get("title", {}).get("text", "")
        return None if title == f"Baseline n = {self.n}" else f"baseline chart shows {title!r}"


def make_class(app: str, sessions: int, k: Knowledge) -> list:
    if app == "baseline":
        return [BaselineStudent() for _ in range(sessions + 1)]  # the presenter's place too
    questions = make_quiz(k, CLASS_SEED, QUIZ_QUESTIONS)  # one link: the same questions for all
    students = [QuizTaker(k, CLASS_SEED, questions) if i % QUIZ_SHARE else Explorer(k) for i in range(sessions)]
    return [*students, Presenter(k)]


# --- One class against one app.
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


def server_processes(pids: list[int]) -> list[psutil.Process]:
    return [proc for pid in pids for proc in process_tree(pid)]


async def measure_class(app: str, url: str, pids: list[int], sessions: int, seconds: float, seed: int,
                        k: Knowledge, behind_nginx: bool = False, think: tuple[float, float] = THINK) -> ClassRun:
    out = ClassRun(app, sessions)
    procs = server_processes(pids)
    out.rss_idle = sum(p.memory_info().rss for p in procs)
    start = asyncio.Event()
    stop = [float("inf")]
    roles = make_class(app, sessions, k)
    tasks = [asyncio.create_task(session(role, url, seed * 10_000 + i, start, stop, out, behind_nginx, think))
             for i, role in enumerate(roles)]
    await asyncio.sleep(0.5 + 0.02 * len(tasks))  # every session connected before any opens the page
    cpu0 = cpu_seconds(procs, reaped=True)
    began = time.perf_counter()
    stop[0] = began + seconds
    start.set()
    pending = set(tasks)
    while pending and time.perf_counter() < stop[0] + GRACE:
        _, pending = await asyncio.wait(pending, timeout=0.5)
        out.rss_peak = max(out.rss_peak, sum(p.memory_info().rss for p in procs))
    out.cpu, out.window = cpu_seconds(procs, reaped=True) - cpu0, time.perf_counter() - began
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
            weight: bool, think: tuple[float, float] = THINK, warm: str = "all") -> tuple[ClassRun, dict]:
    extra: dict = {}
    with target(APP if app == "acumap" else BASELINE, replicas) as (url, server_urls, pids):
        if weight and app == "acumap" and replicas == 1:
            import page_weight

            extra["weight"] = page_weight.measure(url)
        for server_url in server_urls:  # each server builds and caches its own figures
            extra["ws_first"] = asyncio.run(warm_up(server_url, app, warm == "all"))
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


# --- Throughput (issue 15): the class's sessions with no think time, one server then N behind nginx.
@dataclass
class SaturationRun:
    """The class's sessions sending their next change as soon as the last one's answer is in and checked
    (closed loop), against `servers` servers behind nginx, for `seconds`."""

    servers: int
    sessions: int  # student sessions (the presenter not counted)
    seconds: float = 0.0  # the measured window
    done: int = 0  # reruns that finished inside the window and passed their check
    latencies: list[float] = field(default_factory=list)  # of those reruns
    errors: list[str] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)  # CPU seconds over the window, one per server
    nginx_cpu: float = 0.0
    own_cpu: float = 0.0  # the load generator's (this process's) CPU seconds over the window
    machine_busy: float = float("nan")  # share of all the machine's cores busy over the window
    split: list[int] = field(default_factory=list)  # sessions each server held (nginx's access log)
    done_by_server: list[int] = field(default_factory=list)  # of `done`, each server's

    @property
    def others(self) -> float:
        """CPU seconds the rest of the machine used over the window (all cores' busy time less the servers',
        nginx's and the generator's): what other work took from the servers."""
        busy = self.machine_busy * (os.cpu_count() or 1) * self.seconds
        return max(0.0, busy - sum(self.server_cpu) - self.nginx_cpu - self.own_cpu) if busy == busy else float("nan")

    @property
    def rate(self) -> float:
        """Checked reruns a second."""
        return self.done / self.seconds if self.seconds > 0 else float("nan")

    def share(self, cpu: float) -> float:
        """CPU seconds over the window as a share of one core."""
        return cpu / self.seconds if self.seconds > 0 else float("nan")

    def cpu_per_rerun(self) -> float:
        return sum(self.server_cpu) / self.done if self.done else float("nan")


def ratio(many: SaturationRun, one: SaturationRun) -> float:
    """Throughput with N servers over throughput with one (nan where one did nothing)."""
    return many.rate / one.rate if one.rate > 0 else float("nan")


def floor2(r: float) -> float:
    """A ratio to 2 decimals, rounded down, so that 1.697 is not shown as the 1.70 it fails to reach."""
    return math.floor(r * 100 + 1e-9) / 100


def machine_busy(before, after) -> float:
    """Share of all cores busy between two psutil.cpu_times() readings (idle and I/O wait not busy)."""
    def idle(t) -> float:
        return t.idle + getattr(t, "iowait", 0.0)

    total = sum(after) - sum(before)
    return (total - (idle(after) - idle(before))) / total if total > 0 else float("nan")


def server_of(i: int, sessions: int, servers: int) -> int:
    """The server session i of `sessions` is sent to in the throughput phase: consecutive blocks, so each server
    gets as many as can be and the same mix of explorers and quiz takers (they alternate)."""
    return i * servers // sessions


def balanced_routes(c, sessions: int, tries: int = 20) -> list[dict[str, str]]:
    """Route cookies for the sessions, session i's sending it to server_of(i). nginx hashes a fresh browser's
    random cookie, so a class of 25 may land 19 / 6 or worse; the throughput phase measures the servers, not
    that draw: fresh cookies are fetched, each one's server read from nginx's access log (the route of the
    request that set it), and kept until every server has its share."""
    servers = [b.address for b in c.backends]
    need = [sum(server_of(i, sessions, len(servers)) == j for i in range(sessions)) for j in range(len(servers))]
    got: dict[str, list[str]] = {a: [] for a in servers}
    for _ in range(tries):
        batch = [route_cookie(c.url)["Cookie"] for _ in range(sessions)]
        answered = {line.route: line.upstreams[-1] for line in c.access_log() if line.upstreams}
        for cookie in batch:
            server = answered.get(cookie.split("=", 1)[1])
            if server in got and len(got[server]) < need[servers.index(server)]:
                got[server].append(cookie)
        if all(len(got[a]) == n for a, n in zip(servers, need, strict=True)):
            return [{"Cookie": got[servers[server_of(i, sessions, len(servers))]].pop()} for i in range(sessions)]
    raise RuntimeError(f"nginx gave no even split of {sessions} sessions over {len(servers)} servers in {tries} tries")


async def saturate(role, url: str, headers: dict[str, str], server: int, seed: int, start: asyncio.Event,
                   end: list[float], ready: list[int], out: SaturationRun) -> None:
    rnd = random.Random(seed)
    opened = False
    try:
        async with Session(url, query=role.query, headers=headers) as s:
            last = await s.run()
            problem = role.opened(s, last)
            ready.append(1)
            opened = True
            if problem:
                out.errors.append(f"{role.kind} open: {problem}")
                return
            await start.wait()
            while time.perf_counter() < end[0]:
                last = await s.run(**role.change(rnd, s, last))
                inside = time.perf_counter() <= end[0]
                problem = role.check(s, last)
                if problem:
                    out.errors.append(f"{role.kind}: {problem}")
                elif inside:  # a rerun still running when the window closed is not counted
                    out.done += 1
                    out.done_by_server[server] += 1
                    out.latencies.append(last.seconds)
    except Exception as exc:  # a dropped connection, a timeout: counted, never fatal to the run
        out.errors.append(f"{role.kind}: {type(exc).__name__}: {exc}")
        if not opened:
            ready.append(0)


async def measure_saturation(c, sessions: int, seconds: float, seed: int, k: Knowledge) -> SaturationRun:
    """One window on cluster `c` (deploy.cluster.Cluster)."""
    out = SaturationRun(len(c.backends), sessions)
    out.done_by_server = [0] * len(c.backends)
    servers = [process_tree(b.process.pid) for b in c.backends]
    nginx = process_tree(c.nginx.pid)
    me = psutil.Process()
    start = asyncio.Event()
    end = [float("inf")]
    ready: list[int] = []
    roles = make_class("acumap", sessions, k)  # the same sessions, the same seeds, on every target
    routes = await asyncio.to_thread(balanced_routes, c, len(roles))
    tasks = [asyncio.create_task(saturate(role, c.url, routes[i], server_of(i, len(roles), len(c.backends)),
                                          seed * 10_000 + i, start, end, ready, out))
             for i, role in enumerate(roles)]
    opening = time.perf_counter() + GRACE
    while len(ready) < len(tasks) and time.perf_counter() < opening:  # every page open before the window
        await asyncio.sleep(0.1)
    cpu0 = [cpu_seconds(procs, reaped=True) for procs in servers]
    nginx0, own0, machine0 = cpu_seconds(nginx), cpu_seconds([me]), psutil.cpu_times()
    began = time.perf_counter()
    end[0] = began + seconds
    start.set()
    await asyncio.sleep(seconds)
    out.server_cpu = [cpu_seconds(procs, reaped=True) - c0 for procs, c0 in zip(servers, cpu0, strict=True)]
    out.nginx_cpu, out.own_cpu = cpu_seconds(nginx) - nginx0, cpu_seconds([me]) - own0
    out.machine_busy, out.seconds = machine_busy(machine0, psutil.cpu_times()), time.perf_counter() - began
    _, pending = await asyncio.wait(tasks, timeout=GRACE)  # the reruns in flight end (not counted)
    for task in pending:
        task.cancel()
        out.errors.append("session cut off after the throughput window")
    await asyncio.gather(*tasks, return_exceptions=True)
    return out


def sessions_per_server(c) -> list[int]:
    """How many websocket sessions nginx sent to each server, from its access log (a websocket's line is
    written when it closes)."""
    routes: dict[str, set[str]] = {b.address: set() for b in c.backends}
    deadline = time.monotonic() + 5
    while True:
        for line in c.access_log():
            if line.path.startswith("/_stcore/stream") and line.upstreams and line.upstreams[-1] in routes:
                routes[line.upstreams[-1]].add(line.route)
        if sum(map(len, routes.values())) or time.monotonic() > deadline:
            return [len(r) for r in routes.values()]
        time.sleep(0.2)


def run_saturation(servers: int, sessions: int, seconds: float, seed: int, k: Knowledge,
                   warm: str = "all") -> SaturationRun:
    """One throughput window against `servers` fresh servers behind nginx, each warmed first as the class's are."""
    from deploy.cluster import cluster

    with cluster(servers, app=APP) as c:
        for b in c.backends:
            asyncio.run(warm_up(b.url, "acumap", warm == "all"))
        out = asyncio.run(measure_saturation(c, sessions, seconds, seed, k))
        out.split = sessions_per_server(c)
    med, high, _ = stats(out.latencies)
    print(f"  {servers} server(s): {out.done} checked reruns in {out.seconds:.0f} s = {out.rate:.1f}/s, p50 {ms(med)}, "
          f"p95 {ms(high)}, errors {len(out.errors)}; server CPU {out.share(sum(out.server_cpu)):.0%} of one core, "
          f"load generator {out.share(out.own_cpu):.0%}, nginx {out.share(out.nginx_cpu):.0%}, other processes "
          f"{out.share(out.others):.0%}; all cores busy {out.machine_busy:.0%}", flush=True)
    return out


def run_throughput(replicas: int, sessions: int, seconds: float, seed: int, k: Knowledge,
                   warm: str = "all") -> tuple[SaturationRun, SaturationRun]:
    print(f"load: throughput, {sessions} students + 1 presenter with no think time for {seconds:g} s, on one server, "
          f"then on {replicas} behind nginx; seed {seed}", flush=True)
    one = run_saturation(1, sessions, seconds, seed, k, warm)
    many = run_saturation(replicas, sessions, seconds, seed, k, warm)
    print(f"  throughput ratio {replicas} servers / 1: {floor2(ratio(many, one)):.2f}", flush=True)
    return one, many


def throughput_verdict(one: SaturationRun, many: SaturationRun) -> tuple[bool, str]:
    r = ratio(many, one)
    errors = len(one.errors) + len(many.errors)
    met = r >= SCALING_TARGET and errors == 0
    return met, (f"throughput: target {'met' if met else 'NOT met'}: {many.servers} servers {floor2(r):.2f}× one "
                 f"(target ≥ {SCALING_TARGET:g}×); {errors} errors (target 0)")


def generator_limit(one: SaturationRun, many: SaturationRun) -> str:
    """What the shared machine allowed: whether the load generator was the limit, and the ratio the cores left
    to the servers could show at most."""
    cores = os.cpu_count() or 1
    own = many.share(many.own_cpu)
    bound = own >= CPU_BOUND
    # Cores the servers could have had in the N-server window: the rest went to the generator, nginx and others.
    left = cores - own - many.share(many.nginx_cpu) - many.share(many.others)
    per_server = one.share(sum(one.server_cpu))  # what one server used when it was alone
    ceiling = min(many.servers, left / per_server) if per_server > 0 else float("nan")
    pace = (f"it was CPU-bound (≥ {CPU_BOUND:.0%}), so the figures with {many.servers} servers are a floor: the "
            "generator, not the servers, set the pace" if bound else "it was not CPU-bound")
    return (f"The load generator (one Python process, one event loop) used {one.share(one.own_cpu):.0%} of one core "
            f"against one server and {own:.0%} against {many.servers}: {pace}. This machine has {cores} cores, shared "
            f"by the servers, nginx ({many.share(many.nginx_cpu):.0%} of one core with {many.servers} servers), the "
            f"generator and any other process ({one.share(one.others):.0%} / {many.share(many.others):.0%} of one core "
            f"in the two windows; all cores busy {one.machine_busy:.0%} / {many.machine_busy:.0%}). One "
            f"server alone used {per_server:.0%} of one core (one Python process); with {many.servers} servers about "
            f"{max(left, 0):.1f} cores were left to them, so the ratio this machine could show is at most about "
            f"{ceiling:.2f}×: a ratio measured here says what {many.servers} servers give on {cores} shared cores, not "
            "what they would give with a core each and the load generated elsewhere."
            + beyond_ceiling(one, many, ceiling)
            + (f" Other work used more than {BUSY_ELSEWHERE:.0%} of a core in a window (the kernel's share of the "
               "loopback traffic counts there too): the machine was not idle, and these figures are not the servers' "
               "own." if max(one.share(one.others), many.share(many.others)) > BUSY_ELSEWHERE else ""))


def beyond_ceiling(one: SaturationRun, many: SaturationRun, ceiling: float) -> str:
    """Why a measured ratio can pass that ceiling: it is worked out at one server's CPU a rerun, and a rerun
    may take less CPU when the sessions are shared by more servers."""
    r = ratio(many, one)
    if not (r > ceiling):
        return ""
    return (f" The measured {floor2(r):.2f}× is above it because a rerun took less server CPU with "
            f"{many.servers} servers ({ms(many.cpu_per_rerun())} against {ms(one.cpu_per_rerun())}): the ceiling, "
            "worked out at one server's CPU a rerun, is not a bound then.")


def throughput_lines(thru: tuple[SaturationRun, SaturationRun] | None) -> list[str]:
    if thru is None:
        return []
    one, many = thru
    lines = [
        "",
        f"## Throughput: 1 server and {many.servers}",
        "",
        f"The class's sessions ({one.sessions} students, half exploring, half taking the shared quiz, and the "
        "presenter) with no think time: each sends its next change as soon as its last rerun's answer is in and "
        f"checked (closed loop, saturation), for {one.seconds:.0f} s, first against one server, then against "
        f"{many.servers} servers, both behind the same nginx (deploy/cluster.py: fresh servers, each warmed first; "
        "each session with a route cookie of its own, fetched from nginx until each server holds an equal block of "
        "the class, so the same mix of sessions; a random draw may put 19 of 25 on one server), the same seed and "
        "sessions. Sessions per server: read back from nginx's access log (their websockets). Counted: reruns that "
        "finished inside the window and passed the class's checks (an error is counted apart); a rerun's latency is "
        "from sending the change to its last message. CPU: psutil, over the window.",
        "",
        "| servers | sessions per server | checked reruns | reruns / s | p50 | p95 | max | errors | server CPU "
        "(per server) | CPU a rerun | nginx CPU | load generator CPU | other processes' CPU | all cores busy |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in (one, many):
        med, high, top = stats(run.latencies)
        each = " + ".join(f"{c:.1f}" for c in run.server_cpu)
        done_each = f" ({' + '.join(map(str, run.done_by_server))})" if len(run.done_by_server) > 1 else ""
        lines.append(
            f"| {run.servers} | {' / '.join(map(str, run.split)) or '—'} | {run.done}{done_each} | {run.rate:.1f} | "
            f"{ms(med)} | "
            f"{ms(high)} | {ms(top)} | {len(run.errors)} | {sum(run.server_cpu):.1f} s ({each}; "
            f"{run.share(sum(run.server_cpu)):.0%} of one core) | {ms(run.cpu_per_rerun())} | "
            f"{run.share(run.nginx_cpu):.0%} | {run.share(run.own_cpu):.0%} of one core | "
            f"{run.share(run.others):.0%} | {run.machine_busy:.0%} |")
    lines += ["", f"**Throughput with {many.servers} servers: {floor2(ratio(many, one)):.2f}× one** ({many.rate:.1f} "
              f"against {one.rate:.1f} checked reruns a second). **{throughput_verdict(one, many)[1]}**",
              "", generator_limit(one, many)]
    shown = [e for run in thru for e in run.errors][:5]
    if shown:
        lines += ["", "First throughput errors:", *[f"- `{e[:200]}`" for e in shown]]
    return lines


def stats(values: list[float]) -> tuple[float, float, float]:
    return (median(values), p95(values), max(values)) if values else (float("nan"),) * 3


def ms(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v == v else "—"


def cpu_line(c: ClassRun) -> str:
    changes = len(c.reruns) + len(c.opens)
    per = f"{c.cpu / changes * 1000:.0f} ms a rerun" if changes else "—"
    return f"{c.cpu:.1f} s ({c.cpu / c.window:.0%} of one core; {per})" if c.window else "—"


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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"bench/load.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str]) -> int:
    parser = _Parser(prog="bench/load.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 sessions for 60 s (make load-quick)")
    parser.add_argument("--sessions", type=int, help="student sessions (default 60, --quick 30)")
    parser.add_argument("--duration", type=float, help="seconds of class time, split between the two apps "
                        "(default 300, --quick 60)")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("LOW", "HIGH"),
                        help=f"seconds between two actions of a session (default {THINK[0]:g} {THINK[1]:g})")
    parser.add_argument("--warm", choices=("all", "open"), default="all",
                        help="warm-up before the class: every view once (all, default) or each link opened once")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind nginx (default 1: one server alone)")
    parser.add_argument("--live", type=int, help="students in the live class phase (default: as many as --sessions; "
                        "0: no live class)")
    parser.add_argument("--live-only", action="store_true", help="only the live class phase")
    parser.add_argument("--throughput", action="store_true", help="only the throughput phase: one server, then "
                        "--replicas N behind nginx, the class with no think time")
    parser.add_argument("--throughput-seconds", type=float, help=f"seconds of the throughput window on each target "
                        f"(default {THROUGHPUT_SECONDS:g}; 0: no throughput phase)")
    parser.add_argument("--throughput-sessions", type=int, help="student sessions in the throughput phase "
                        f"(default {THROUGHPUT_SESSIONS}; the presenter comes on top)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times and answers (default 1)")
    parser.add_argument("--out", type=Path, help="results file (default: bench/load_results*.md, standard sizes only)")
    args = parser.parse_args(argv)
    sessions, duration = SIZES["quick" if args.quick else "full"]
    think = tuple(args.think)
    standard = (args.sessions is None and args.duration is None and think == THINK and args.warm == "all"
                and args.live is None and not args.live_only and not args.throughput
                and args.throughput_seconds is None and args.throughput_sessions is None)
    sessions = sessions if args.sessions is None else args.sessions
    live_students = sessions if args.live is None else args.live
    duration = duration if args.duration is None else args.duration
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be between 1 and {MAX_REPLICAS}, not {args.replicas}")
    if not 1 <= sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}, not {sessions}")
    if not (1 if args.live_only else 0) <= live_students <= MAX_SESSIONS:
        parser.error(f"--live must be between {1 if args.live_only else 0} and {MAX_SESSIONS}, not {live_students}")
    if args.live_only and args.throughput:
        parser.error("--live-only and --throughput each run one phase alone: give one of them")
    thru_seconds = THROUGHPUT_SECONDS if args.throughput_seconds is None else args.throughput_seconds
    thru_sessions = THROUGHPUT_SESSIONS if args.throughput_sessions is None else args.throughput_sessions
    if args.throughput and args.replicas < 2:
        parser.error("--throughput compares one server with N behind nginx: give --replicas N (2 to "
                     f"{MAX_REPLICAS})")
    if not (thru_seconds == 0 and not args.throughput or 4 <= thru_seconds <= 600):
        parser.error(f"--throughput-seconds must be between 4 and 600 (or 0: no throughput phase), not "
                     f"{thru_seconds:g}")
    if not 1 <= thru_sessions <= MAX_SESSIONS:
        parser.error(f"--throughput-sessions must be between 1 and {MAX_SESSIONS}, not {thru_sessions}")
    if not 4 <= duration <= 1800:
        parser.error(f"--duration must be between 4 and 1800 seconds, not {duration:g}")
    if not 0.05 <= think[0] <= think[1] <= 600:
        parser.error(f"--think needs 0.05 <= LOW <= HIGH <= 600, not {think[0]:g} {think[1]:g}")
    out = args.out
    if out is None and standard:
        name = "load_results" + ("_quick" if args.quick else "") + (
            f"_replicas{args.replicas}" if args.replicas > 1 else "")
        out = RESULTS.with_name(name + ".md")
    k = load_knowledge(lang="en")
    started = time.monotonic()
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    warm = args.warm
    ours = base = live = thru = None
    extra: dict = {}
    if args.throughput:
        live_students = 0
    if not args.live_only and not args.throughput:
        print(f"load: {sessions} students + 1 presenter for {duration / 2:g} s on acumap, then the baseline for "
              f"{duration / 2:g} s; {args.replicas} server(s); seed {args.seed}", flush=True)
        ours, extra = run_app("acumap", sessions, duration / 2, args.seed, args.replicas, k, standard, think, warm)
        base, _ = run_app("baseline", sessions, duration / 2, args.seed, args.replicas, k, False, think, warm)
    if live_students:
        print(f"load: a live class of {live_students} students and the projector; {args.replicas} server(s)",
              flush=True)
        live = run_live(live_students, args.seed, args.replicas, k)
    if args.replicas > 1 and thru_seconds > 0 and not args.live_only:
        thru = run_throughput(args.replicas, thru_sessions, thru_seconds, args.seed, k, warm)
    extra["load_before"] = load_before
    text = report(ours, base, time.monotonic() - started, args.seed, extra, args.replicas, think, warm, live, thru)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text)
    if ours is not None and base is not None:
        print(verdict(ours, base)[1])
    if live is not None:
        print(live_verdict(live)[1])
    if thru is not None:
        print(throughput_verdict(*thru)[1])
    print(json.dumps(summary(ours, base, args.replicas, live, thru)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
