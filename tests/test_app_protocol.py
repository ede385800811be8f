"""The page with your own protocol (AppTest): upload, overlay, the differences table, a bad upload
keeping the last good one, text from data and uploads escaped, two sessions apart, and the page
guard that keeps tracebacks from users."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from acumap import protocol as P
from tests.support.apptest import blocks, opened, view_heading
from tests.support.paths import REPO

EXAMPLE_TOML = (REPO / "examples" / "protocol.toml").read_bytes()
EXAMPLE_CSV = (REPO / "examples" / "protocol.csv").read_bytes()
XSS = "<img src=x onerror=alert(1)>"


def open_panel(at: AppTest, name: str = "protocol") -> AppTest:
    at.button_group(key="panel").set_value(name).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="protocol_file").set_value((name, data, "text/plain")).run()
    assert not at.exception, at.exception
    return at


def back_view(at: AppTest) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("back_view"))
    return json.loads(chart.proto.spec)


def overlay_names(at: AppTest) -> list[str]:
    return [t["name"] for t in back_view(at)["data"] if t.get("legendgroup") == "protocol"]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in blocks(at))


def test_an_upload_is_drawn_as_yours_with_a_table_of_differences() -> None:
    at = open_panel(opened())
    assert overlay_names(at) == []
    upload(at, "protocol.toml", EXAMPLE_TOML)
    assert overlay_names(at) == ["Example: neck, upper back: zone", "Example: neck, upper back: needles"]
    needles = next(t for t in back_view(at)["data"] if t["name"].endswith(": needles"))
    assert len(needles["x"]) == 3
    page = markdown(at)
    assert "acu-yours" in page and "fewer than the articles" in page and "deeper than the articles" in page
    # The overlay stays with the session when another panel is open, and with another view.
    open_panel(at, "depth")
    at.select_slider(key="stage").set_value("III").run()
    assert overlay_names(at) == ["Example: neck, upper back: zone", "Example: neck, upper back: needles"]
    # The file is shown back as text, not HTML.
    open_panel(at)
    assert any('name = "Example: neck, upper back"' in c.value for c in at.code)


def test_a_bad_upload_keeps_the_view_and_the_last_good_upload() -> None:
    at = open_panel(opened({"region": "lumbar"}))
    upload(at, "protocol.csv", EXAMPLE_CSV)
    good = overlay_names(at)
    assert good == ["Example: lower back: zone", "Example: lower back: needles"]
    upload(at, "broken.toml", b'region = "neck"\n[[points]]\nlevel = "T99"\nx = 1\n')
    assert overlay_names(at) == good
    assert at.radio(key="region").value == "lumbar"
    page = markdown(at)
    assert "problems found: 2" in page
    assert "region: unknown region &#x27;neck&#x27;" in page and "points[1]: field &#x27;level&#x27;" in page
    assert [i.value for i in at.info] == ["Still showing your last good upload: Example: lower back."]
    at.button(key="protocol_clear").click().run()
    assert overlay_names(at) == []


def test_an_upload_for_another_region_says_where_it_is_drawn_and_switches_there() -> None:
    # Issue 17: a cervical protocol over the lumbar view added legend entries and nothing in sight.
    at = open_panel(opened({"region": "lumbar"}))
    upload(at, "protocol.toml", EXAMPLE_TOML)
    assert [i.value for i in at.info] == [
        "Your protocol is for the Cervical region and is drawn there; the back view shows the Lumbar region."]
    at.button(key="protocol_region").click().run()
    assert not at.exception
    assert at.radio(key="region").value == "cervical"
    assert at.query_params.get("region") is None  # cervical is the default view
    assert "Cervical" in view_heading(at)
    assert overlay_names(at) == ["Example: neck, upper back: zone", "Example: neck, upper back: needles"]
    assert not at.info and not [b for b in at.button if b.key == "protocol_region"]


def test_upload_text_is_escaped_everywhere() -> None:
    at = open_panel(opened())
    upload(at, "x.toml", f'name = "{XSS}"\nregion = "cervical"\n[[points]]\nlevel = "T3"\nx = 1\n'.encode())
    page = markdown(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    assert all("<img" not in t["name"] for t in back_view(at)["data"] if t.get("name"))
    upload(at, "x.csv", f"kind,name,value\nsetting,region,{XSS}\n".encode())
    page = markdown(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page


def test_a_quote_in_the_data_is_escaped(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = data_copy / "session.toml"
    text = session.read_text(encoding="utf-8")
    needle = 'quote = "the number of needles is 8"'
    assert needle in text
    session.write_text(text.replace(needle, f'quote = "the number of needles is 8 {XSS}"'), encoding="utf-8")
    regions = data_copy / "regions.toml"
    reading = regions.read_text(encoding="utf-8").replace('zone_reading.en = "Along', f'zone_reading.en = "{XSS} Along')
    regions.write_text(reading, encoding="utf-8")
    monkeypatch.setenv("ACUMAP_DATA_DIR", str(data_copy))
    st.cache_resource.clear()
    try:
        at = open_panel(opened(), "sources")
        page = markdown(at)
    finally:
        st.cache_resource.clear()
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 2  # the zone's reading and the quote
    assert "<img" not in page


def test_two_sessions_never_see_each_other() -> None:
    one = open_panel(opened({"region": "lumbar", "stage": "III"}))
    two = open_panel(opened({"region": "cervical", "method": "exciting"}))
    upload(one, "protocol.csv", EXAMPLE_CSV)
    upload(two, "protocol.toml", EXAMPLE_TOML)
    for _ in range(2):
        one.select_slider(key="stage").set_value("IV").run()
        two.radio(key="region").set_value("thoracic").run()
    assert (one.radio(key="region").value, one.select_slider(key="stage").value) == ("lumbar", "IV")
    assert (two.radio(key="region").value, two.select_slider(key="method").value) == ("thoracic", "exciting")
    assert overlay_names(one) == ["Example: lower back: zone", "Example: lower back: needles"]
    assert overlay_names(two) == ["Example: neck, upper back: zone", "Example: neck, upper back: needles"]
    assert "Lumbar" in view_heading(one)
    assert "Thoracic" in view_heading(two)


def test_an_unexpected_error_shows_one_line_and_a_way_back(monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    import ui.explore

    at = opened({"region": "thoracic"})

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(ui.explore, "parameters", broken)
    with caplog.at_level(logging.ERROR, logger="acumap"):
        at.select_slider(key="stage").set_value("II").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Something went wrong while drawing this view. It has been logged for "
                                           "the maintainers."]
    shown = markdown(at) + " ".join(e.value for e in at.error)
    assert "secret" not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    assert any("secret internals" in r.exc_text for r in caplog.records if r.exc_text)
    monkeypatch.undo()
    at.button(key="_error_back").click().run()
    assert not at.exception and not at.error
    assert at.radio(key="region").value == "cervical" and at.select_slider(key="stage").value == "I"
    assert dict(at.query_params) == {}


def test_the_protocol_module_limit_matches_the_server_upload_limit() -> None:
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1_000_000 == P.MAX_BYTES
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
