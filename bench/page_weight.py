"""The first page load in bytes, with and without gzip (bench/load.py writes it into
bench/load_results.md).

How: Chromium opens the page once, only to learn which files a first load fetches (the HTML, the
JS chunks, CSS, fonts, images — Streamlit's frontend loads most JS chunks on demand). Each file is
then fetched again with urllib asking for no compression, and gzipped in Python at level 6 (nginx's
gzip_comp_level in deploy/nginx.conf) where nginx would gzip it (text, JS, CSS, JSON, SVG); other
files count as they are. The same files are also fetched asking for gzip, to show what the
Streamlit server sends by itself. The websocket's first run is measured by bench/wsclient.py."""

from __future__ import annotations

import gzip
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json")


@dataclass
class Weight:
    files: int = 0
    raw: int = 0  # bytes, uncompressed
    gzipped: int = 0  # bytes, as nginx would send them (gzip -6 for text types, others as they are)
    served: int = 0  # bytes the Streamlit server itself sends when the browser accepts gzip
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (raw, gzipped)


def first_load_urls(url: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    from tests.support.live import launch_chromium, wait_idle, wait_shown

    seen: list[str] = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_context().new_page()
            page.on("request", lambda r: seen.append(r.url) if r.url.startswith(url) else None)
            page.goto(url)
            wait_shown(page, ".st-key-back_view .main-svg", timeout=60_000)
            wait_idle(page)
        finally:
            browser.close()
    return [u for u in dict.fromkeys(seen) if "/_stcore/stream" not in urlsplit(u).path]


def _fetch(u: str, encoding: str) -> tuple[bytes, str]:
    req = urllib.request.Request(u, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read(), resp.headers.get("Content-Type", "")


def measure(url: str) -> Weight:
    w = Weight()
    for u in first_load_urls(url):
        body, kind = _fetch(u, "identity")
        served, _ = _fetch(u, "gzip")
        small = len(gzip.compress(body, compresslevel=6)) if kind.startswith(GZIP_TYPES) else len(body)
        w.files += 1
        w.raw += len(body)
        w.gzipped += small
        w.served += len(served)
        name = kind.split(";")[0] or "other"
        raw, gz = w.by_type.get(name, (0, 0))
        w.by_type[name] = (raw + len(body), gz + small)
    return w
