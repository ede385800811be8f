"""Session fixtures for the browser tests: one streamlit server and one Chromium (`chromium`, in
tests/conftest.py, shared with the cluster tests) for the whole run,
a new tab of that browser (already showing the drawn app) for every test. The names differ
from pytest-playwright's fixtures (browser, page), which are not used here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from acumap import load_knowledge
from acumap.data.loading import Knowledge
from tests.support.live import Server, close, open_app, serve

VIEWPORT = {"width": 1400, "height": 1000}
CHART_DRAWN = ".st-key-back_view .main-svg"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with serve() as srv:
        yield srv


@pytest.fixture
def app_page(chromium: Browser, server: Server) -> Iterator[Page]:
    """A new page with the app loaded, its back-view chart drawn and the first run finished.

    Uncaught JavaScript errors are collected in `page.js_errors` for the tests to check."""
    page = open_app(chromium, server.url, VIEWPORT, CHART_DRAWN)
    try:
        yield page
    finally:
        close(page)


@pytest.fixture
def open_page(chromium: Browser, server: Server) -> Iterator:
    """Opens the app at a path with a query ("/?region=lumbar") in a new tab, as a shared link would be
    opened, and waits for the back view and the end of the first run."""
    pages = []

    def opener(path: str, viewport: dict = VIEWPORT, ready: str = CHART_DRAWN) -> Page:
        page = open_app(chromium, server.url + path, viewport, ready)
        pages.append(page)
        return page

    try:
        yield opener
    finally:
        for page in pages:
            close(page)
