"""Shared fixtures: the real data, the seed text, and a decoder for Plotly's packed arrays; and the
Hypothesis profiles."""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from acumap import load_knowledge
from acumap.data.loading import Knowledge
from acumap.data.paths import data_dir, seed_dir
from tests.support.apptest import keep_page_between_runs, scan_installed_components_once

# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE (or --hypothesis-profile): "full" is the default and
# what `make test` and CI run; "fast" (`make test-fast`) tries a fifth of the examples of every property,
# "thorough" ten times as many. Registered here so they are in force before any test module is imported.
for _name, _examples in (("fast", 20), ("full", 100), ("thorough", 1000)):
    settings.register_profile(_name, deadline=None, max_examples=_examples,
                              suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))


def examples(full: int) -> int:
    """How many examples a property with `full` examples in the full profile tries in the profile in force
    (at least two)."""
    return max(2, round(full * settings().max_examples / 100))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser or server test's report also shows what CI would otherwise not keep: the end of
    each running streamlit server's log and the text each open page shows."""
    report = yield
    if report.when == "call" and report.failed:
        from tests.support.live import SERVERS, page_texts

        for server in SERVERS:
            report.sections.append((f"server log {server.url}", server.log_tail() or "(empty)"))
        browser = item.funcargs.get("chromium")
        if browser is not None:
            report.sections.append(("pages open", page_texts(browser)))
    return report


@pytest.fixture(scope="session")
def sync_pw() -> Iterator:  # -> playwright Playwright
    """The worker's one sync Playwright. While it runs, a second `sync_playwright()` in the same worker
    fails ("using Playwright Sync API inside the asyncio loop"), so a test that needs a browser of its
    own launches it from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(sync_pw) -> Iterator:  # -> playwright Browser
    """The worker's one Debian Chromium, for the browser tests and the cluster ones alike."""
    from tests.support.live import launch_chromium

    browser = launch_chromium(sync_pw, one_renderer=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def k() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def seed_lines(k: Knowledge) -> list[str]:
    """The articles' text, one entry per line (index 0 is line 1); skipped where the shared seed
    folder is not beside the repository."""
    path = seed_dir() / k.seed_file
    if not path.is_file():
        pytest.skip(f"seed text not found at {path}; quotes cannot be checked against it here")
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def edit_data(folder: Path, name: str, pattern: str, replacement: str, count: int = 1) -> None:
    """Rewrite one data file (`name`, e.g. "session.toml") in a copy of data/ by a regular expression
    that must match `count` times, so an edit that misses fails the test instead of passing it."""
    path = folder / name
    text, n = re.subn(pattern, replacement, path.read_text(encoding="utf-8"))
    assert n == count, f"{pattern!r} matched {n} times"
    path.write_text(text, encoding="utf-8")


def values(v) -> list:
    """A Plotly array as a list, whether plain or packed as {'dtype', 'bdata'}."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v) if v is not None else []


def unwrapped(hover: str) -> str:
    """A hover text as one line: the breaks acumap.charts.hovers puts into long lines (and the tags it closes and
    opens again around them) taken out, so a quote can be looked for whole. Its own line breaks go too."""
    return re.sub(r"</(\w+)><br><\1>|<br>", " ", hover)


def trace(fig: dict, name: str) -> dict:
    found = [t for t in fig["data"] if t.get("name") == name]
    assert found, f"no trace named {name!r} in figure; names: {[t.get('name') for t in fig['data']]}"
    return found[0]


# AppTest keeps the page between runs, as the browser does (a control reruns only the parts it changes).
keep_page_between_runs()
scan_installed_components_once()
