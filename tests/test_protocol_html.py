"""acumap.html.protocol: the "Your protocol" panel's HTML, built without Streamlit — every problem
listed, what came from the file escaped, the rows that differ marked."""

from __future__ import annotations

from acumap import make_plan
from acumap import protocol as P
from acumap.data.loading import Knowledge
from acumap.html import protocol as H
from tests.support.paths import REPO

HOSTILE = "<img src=x onerror=alert(1)>"


def test_every_problem_is_listed_escaped_under_its_count(k: Knowledge) -> None:
    result = P.load(k, "p.toml", f'region = "{HOSTILE}"\n[[points]]\nlevel = "T13"\nx = 40\n'.encode())
    assert not result.ok and len(result.problems) >= 3
    html = H.problems_html(k.strings, result.problems)
    assert html.startswith('<div class="acu-protocol-problems" role="alert">')
    assert k.strings.get("protocol.problems", count=len(result.problems)) in html
    assert html.count("<li>") == len(result.problems)
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "T13" in html


def test_the_shown_note_and_table_escape_the_protocols_name(k: Knowledge) -> None:
    text = (REPO / "examples" / "protocol.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    named = [f'name = "{HOSTILE}"' if line.startswith("name =") else line for line in lines]
    assert named != lines  # the example has a name to replace
    result = P.load(k, "protocol.toml", "\n".join(named).encode())
    assert result.ok, P.problems_text(k.strings, result.problems)
    p = result.protocol
    plan = make_plan(k, p.region, "sedative", "II")
    rows = P.differences(k, p, plan)
    html = H.shown_html(k.strings, p, plan, rows)
    assert HOSTILE not in html and "&lt;img" in html
    assert html.startswith('<p class="acu-note acu-protocol-shown">')
    assert html.count("<tr") == len(rows) + 1  # a header row and one row a difference
    assert html.count('<tr class="acu-diff">') == sum(r.differs for r in rows) > 0
    for c in ("what", "yours", "articles", "verdict"):
        assert f'<th scope="col">{k.strings.get(f"protocol.column_{c}")}</th>' in html


def test_no_difference_is_said_in_words(k: Knowledge) -> None:
    result = P.load(k, "p.toml", b'region = "lumbar"\n[[zones]]\nfrom = "L1"\nto = "L5"\nlateral = [0.0, 3.0]\n')
    assert result.ok, P.problems_text(k.strings, result.problems)
    plan = make_plan(k, "lumbar", "sedative", "II")
    html = H.shown_html(k.strings, result.protocol, plan, P.differences(k, result.protocol, plan))
    assert "<table" not in html and k.strings.get("protocol.no_differences") in html
