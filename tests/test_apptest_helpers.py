"""The headless helper for a control change (tests/support/apptest.move) sees the page a user sees: the
parts the change reran, with their new values, and the rest of the page kept. AppTest on its own keeps
only the reran parts, which is why every headless test moves controls through the helper."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.support.apptest import figures, move, opened
from tests.support.cards import page_cards
from tests.support.paths import REPO


def session_card(at) -> str:
    return next(c["value"] for c in page_cards(at) if c["label"] == "Session (min)")


def test_a_moved_control_shows_its_new_values_and_keeps_the_rest_of_the_page() -> None:
    at = opened()
    assert session_card(at) == "up to about 30"
    whole = {m.value for m in at.get("html")} | {m.value for m in at.markdown}
    move(at, stage="III")
    assert session_card(at) == "60"  # the reran card, with the stage's value
    after = {m.value for m in at.get("html")} | {m.value for m in at.markdown}
    assert any("not medical advice" in v for v in after)  # the heading, not rerun, is still there
    assert set(figures(at)) == {"back_view", "depth_view"}
    assert len(after) == len(whole)
    move(at, region="lumbar", method="combined")
    assert "exciting 3–10 · sedative: not stated" in {c["value"] for c in page_cards(at)}
    assert at.query_params["region"] == "lumbar"  # the link follows the controls


def test_a_bare_apptest_keeps_only_the_parts_a_change_reran() -> None:
    # Without the helper's page keeping (a fresh interpreter, no tests/conftest.py): the disclaimer and
    # both charts are gone after a stage change. If Streamlit one day keeps the page itself, this fails
    # and the helper's patch can go.
    code = textwrap.dedent(f"""
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(REPO / "app.py")!r}, default_timeout=60).run()
        before = (len(at.get("plotly_chart")), any("not medical advice" in m.value for m in at.get("html")))
        at.select_slider(key="stage").set_value("III").run()
        after = (len(at.get("plotly_chart")), any("not medical advice" in m.value for m in at.get("html")))
        print(before, after, not at.exception)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "(2, True) (0, False) True"
