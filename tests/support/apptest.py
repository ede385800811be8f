"""AppTest helpers shared by the headless page tests: the one opener of the page, and the one place that
uses AppTest's private API (a chart's selection event has no public setter)."""

from __future__ import annotations

import json
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
