"""1. Rerun cost with streamlit.testing.v1.AppTest: one control change until the script finished.
Ours (default view), ours with the standard-points layer on, and the baseline run interleaved, so
all three share the machine's noise.

AppTest compiles the script afresh on every run (it makes a new ScriptCache each time) while a
real server compiles it once, so the compile time is measured separately and subtracted to give a
server-like estimate. Where the figure's share of a rerun goes is measured too."""

from __future__ import annotations

import logging
import pickle
import time
from dataclasses import dataclass

import plotly.io
from common import APP, BASELINE, median, p95
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from tests.support.apptest import keep_page_between_runs

OURS_STAGES = ["I", "II", "III", "IV", "III", "II"]
BASE_VALUES = [5, 6, 7, 8, 7, 6]


@dataclass
class FigureCosts:
    """Median seconds, for one back-view figure as the app caches and sends it."""

    build: float  # back_view() afresh
    cache_hit: float  # st.cache_data hit: unpickling the go.Figure (re-validates every property)
    send: float  # what st.plotly_chart does with a Figure: fig.to_dict() + plotly.io.to_json()
    spec_bytes: int


@dataclass
class RerunResult:
    ours: list[float]
    points: list[float]  # ours with the points layer on
    base: list[float]
    compile_ours: float
    compile_base: float
    figure: FigureCosts
    figure_points: FigureCosts


class _NoBareModeWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in str(record.msg)


_FILTER = _NoBareModeWarning()


def quiet() -> None:
    """AppTest outside a server logs "missing ScriptRunContext" warnings: harmless, and noise here.
    A filter, not a level: AppTest resets the loggers' levels on every run."""
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def check(at: AppTest, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what} raised: {at.exception[0].value}")


def _compile_time(path, reps: int) -> float:
    times = []
    for _ in range(reps):
        cache = ScriptCache()
        t0 = time.perf_counter()
        cache.get_bytecode(str(path))
        times.append(time.perf_counter() - t0)
    return median(times)


def figure_costs(fig_builder, reps: int) -> FigureCosts:
    builds, hits, sends = [], [], []
    spec = ""
    for _ in range(reps):
        t0 = time.perf_counter()
        fig = fig_builder()
        builds.append(time.perf_counter() - t0)
        blob = pickle.dumps(fig)
        t0 = time.perf_counter()
        pickle.loads(blob)
        hits.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        spec = plotly.io.to_json(fig.to_dict(), validate=False)
        sends.append(time.perf_counter() - t0)
    return FigureCosts(median(builds), median(hits), median(sends), len(spec))


def _default_figures(reps: int) -> tuple[FigureCosts, FigureCosts]:
    from acumap import load_knowledge, make_plan
    from acumap.charts.figures import back_view
    from acumap.plan.points import placements

    k = load_knowledge()
    region = next(iter(k.regions))
    plan = make_plan(k, region, "combined", next(iter(k.stages)))
    marks = placements(k, region)
    return (figure_costs(lambda: back_view(k, plan), reps),
            figure_costs(lambda: back_view(k, plan, points=marks), reps))


def measure(reps: int, warmup: int = 8) -> RerunResult:
    quiet()
    # A control change reruns only the parts it changes; AppTest, unlike the browser, would then hold
    # those parts alone (and no sidebar with the stage control) without this, as in the tests.
    keep_page_between_runs()
    ours = AppTest.from_file(str(APP), default_timeout=30)
    points = AppTest.from_file(str(APP), default_timeout=30)
    base = AppTest.from_file(str(BASELINE), default_timeout=30)
    ours.run()
    check(ours, "app.py")
    points.run()
    points.toggle(key="show_points").set_value(True).run()
    check(points, "app.py with the points layer")
    base.run()
    check(base, "bench/baseline_app.py")
    times: dict[str, list[float]] = {"ours": [], "points": [], "base": []}
    names = list(times)
    for i in range(warmup + reps):
        stage = OURS_STAGES[(i + 1) % len(OURS_STAGES)]
        value = BASE_VALUES[(i + 1) % len(BASE_VALUES)]
        # Rotate which goes first so none always runs right after the same other.
        for who in names[i % 3:] + names[:i % 3]:
            t0 = time.perf_counter()
            if who == "base":
                base.slider(key="n").set_value(value).run()
            else:
                (ours if who == "ours" else points).select_slider(key="stage").set_value(stage).run()
            elapsed = time.perf_counter() - t0
            if i >= warmup:
                times[who].append(elapsed)
        if i % 10 == 0:
            check(ours, "app.py")
            check(points, "app.py with the points layer")
            check(base, "bench/baseline_app.py")
    compile_reps = max(10, reps // 3)
    fig, fig_points = _default_figures(max(5, reps // 6))
    return RerunResult(times["ours"], times["points"], times["base"], _compile_time(APP, compile_reps),
                       _compile_time(BASELINE, compile_reps), fig, fig_points)


def summary(r: RerunResult) -> dict[str, float]:
    m_o, m_p, m_b = median(r.ours), median(r.points), median(r.base)
    return {
        "median_ours": m_o, "median_points": m_p, "median_base": m_b,
        "p95_ours": p95(r.ours), "p95_points": p95(r.points), "p95_base": p95(r.base),
        "ratio": m_o / m_b, "ratio_points": m_p / m_b,
        "server_ours": m_o - r.compile_ours, "server_base": m_b - r.compile_base,
        "server_ratio": (m_o - r.compile_ours) / (m_b - r.compile_base),
    }


# --- where a rerun of app.py goes: a profile of the script thread -----------------------------------
@dataclass
class Share:
    name: str  # st.<command> or acumap.<function>
    calls: float  # per rerun
    seconds: float  # cumulative, per rerun (profiled: inflated, compare shares only)


def profile(reruns: int = 8) -> tuple[float, list[Share]]:
    """Profile `reruns` stage changes of app.py in AppTest's script thread. Returns the profiled time
    of one rerun's script and the Streamlit commands and acumap functions app.py calls, by their
    cumulative time per rerun. Nested commands (st.write calling markdown) count in both."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner

    quiet()
    prof = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script_thread
    active = {"on": False}

    def wrapped(self, *args, **kwargs):
        if not active["on"]:
            return original(self, *args, **kwargs)
        prof.enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script_thread = wrapped
    try:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.run()
        for stage in OURS_STAGES:
            at.select_slider(key="stage").set_value(stage).run()
        active["on"] = True
        for i in range(reruns):
            at.select_slider(key="stage").set_value(OURS_STAGES[i % len(OURS_STAGES)]).run()
        check(at, "app.py")
    finally:
        script_runner.ScriptRunner._run_script_thread = original
    stats = pstats.Stats(prof).stats  # (file, line, name) -> (cc, ncalls, tottime, cumtime, callers)
    app = str(APP)
    script = 0.0
    shares: list[Share] = []
    for (file, _line, name), (_cc, ncalls, _tt, cum, callers) in stats.items():
        if file.endswith("script_runner.py") and name == "code_to_exec":
            script = cum / reruns  # app.py's own <module> entries overwrite one another in pstats
        from_st = any(c[0].endswith("metrics_util.py") and c[2] == "wrapped_func" for c in callers)
        from_app = any(c[0] == app for c in callers)
        if from_st and "/streamlit/" in file and not name.startswith("_") and name != "get_script_run_ctx":
            shares.append(Share(f"st.{name}", ncalls / reruns, cum / reruns))
        elif from_app and "/acumap/" in file:
            shares.append(Share(f"acumap.{name}", ncalls / reruns, cum / reruns))
    shares.sort(key=lambda s: s.seconds, reverse=True)
    return script, shares
