"""AppTest helpers shared by the headless page tests: the one opener of the page, and the one place that
uses AppTest's private API (a chart's selection event has no public setter)."""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Mapping

from streamlit.testing.v1 import AppTest

from tests.support.paths import APP


def opened(query: Mapping[str, str | list[str]] | None = None) -> AppTest:
    """The page opened from a URL with `query` (none: the bare address), after its first run, which
    must not have raised."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def move(at: AppTest, **controls: object) -> AppTest:
    """Moves the page's controls (by widget key: region="lumbar", stage="III", panel="depth", …) and
    runs once, as a user's change does, then checks the run raised nothing.

    Use this (or `opened` with a link's query) in a headless test that changes a control. A control's
    on_change reruns only the parts of the page the change moves (st.rerun with a list of fragments);
    AppTest alone then holds just those parts, as if the rest of the page had gone. With
    keep_page_between_runs (set up here, and for every test by tests/conftest.py) a fragment run
    replaces its own parts of the last page and keeps the rest, as the browser does."""
    keep_page_between_runs()
    for key, value in controls.items():
        at.get_by_key(key).set_value(value)
    at.run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> dict[str, dict]:
    """Each Plotly chart's figure JSON, by the chart's key."""
    return {c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def click_chart(at: AppTest, chart, points: list[dict]) -> AppTest:
    """Sends a chart's own selection event, as the browser does after a click on its markers."""
    states = at._tree.get_widget_states()
    click = states.widgets.add()
    click.id = chart.proto.id
    click.string_value = json.dumps({"selection": {"points": points, "point_indices": [0], "box": [], "lasso": []}})
    at._run(states)
    return at


SI14_CLICK = [{"customdata": "SI14", "x": 3.0, "y": -1.725, "curve_number": 10, "point_index": 0}]


def view_heading(at: AppTest) -> str:
    """The back view's title and key numbers: page text beside the diagram (not inside the figure, so
    the figure stays the same for every stage that draws the same), tags stripped."""
    block = next(m.value for m in blocks(at) if 'class="acu-view-title"' in m.value)
    head = block[:block.index('<h2 class="acu-h">')]
    return re.sub(r"<[^>]*>", " ", head)


def scan_installed_components_once() -> None:
    """Make AppTest scan the installed packages for Streamlit components once per test process, not
    once per page opened. Each new AppTest's first run reads every installed package's metadata
    (about 0.3 s, most of a page open), and the installed packages do not change during a run."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "scanned_once", False):
        return
    found: list = []

    def scan_once(max_workers: int | None = None) -> list:
        if not found:
            found.append(scan(max_workers))
        return list(found[0])

    scan_once.scanned_once = True
    manifest_scanner.scan_component_manifests = scan_once


def keep_page_between_runs() -> None:
    """Make AppTest keep the page between runs, as the browser does. AppTest builds its tree from
    one run's messages, so after a fragment-only rerun (a control that reruns only the parts it
    changes) the tree would hold those parts alone. Here a fragment run's elements replace that
    fragment's elements of the last tree, and the rest of the page stays; a full run replaces all."""
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1.element_tree import parse_tree_from_messages
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    original = LocalScriptRunner.run
    if getattr(original, "keeps_page", False):
        return
    pages: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def run(self, *args, **kwargs):
        tree = original(self, *args, **kwargs)
        starts = [d for e, d in zip(self.events, self.event_data, strict=True)
                  if e == ScriptRunnerEvent.SCRIPT_STARTED]
        ran = (starts[-1].get("fragment_ids_this_run") if starts else None) or []
        new = list(self.forward_msg_queue._queue)
        if ran:
            kept = [m for m in pages.get(self.session_state, []) if m.delta.fragment_id not in ran]
            new = kept + new
            tree = parse_tree_from_messages(new)
        pages[self.session_state] = [m for m in new if m.HasField("delta")]
        return tree

    run.keeps_page = True
    LocalScriptRunner.run = run


def blocks(at) -> list:
    """The Markdown and HTML blocks of an AppTest run (or of one block of it), in page order: the explore
    screen writes its text with st.html (far less work for the browser), the other screens with Markdown."""
    found: list = []

    def walk(node) -> None:
        if getattr(node, "type", None) in ("markdown", "html"):
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(getattr(at, "_tree", at))
    return found
