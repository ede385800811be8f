"""Links to a view: the page's controls as URL query parameters, both ways.

`read` turns a raw query mapping (as the browser sent it: each value a str or a list of str) into
a `View` and the list of what it had to ignore, with the reason; `query` and `link` turn a `View`
back into parameters. Nothing here raises on user input: a bad, unknown, repeated, empty or huge
parameter gives the default for its control and one `Ignored` item. The parameter names and
values are a public contract (see docs/using.md, "Links to a view"). Never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from acumap.data.loading import Knowledge
from acumap.data.strings import Strings
from acumap.plan.planner import choices
from acumap.plan.points import sites
from acumap.teach import lesson

# The parameters in the order a link lists them.
PARAMS = ("region", "method", "stage", "build", "whole_back", "show_points", "point", "lang", "mode", "seed",
          "step")
# Other spellings a link may use for a value: the page labels the combined method "Both".
ALIASES = {"method": {"both": "combined"}}
LANGS = ("en", "ru")
MODES = ("explore", "present", "quiz")
DEFAULT_SEED = 1  # the quiz's questions when a link gives no seed; the page writes it into the link
FLAGS = {"true": True, "false": False}  # read without regard to case, as Streamlit's own binding reads them
MAX_VALUE = 100  # characters; no valid value comes near it
MAX_SEED_DIGITS = 9
SHOWN = 24  # characters of an ignored value repeated in the notice


@dataclass(frozen=True)
class View:
    """Everything a link fixes about the page."""

    region: str
    method: str
    stage: str
    build: str
    whole_back: bool = False
    show_points: bool = False
    point: str | None = None  # a point key as in acumap.plan.points.sites(); only with show_points
    lang: str = "en"
    mode: str = "explore"
    seed: int | None = None  # the quiz's questions: the same seed, the same questions in the same order
    step: int | None = None  # presenter mode's step, from 1: it names the step's region and method


@dataclass(frozen=True)
class Choices:
    """The valid values of each control and the view a link without parameters opens."""

    regions: Sequence[str]
    methods: Sequence[str]
    stages: Sequence[str]
    builds: Sequence[str]
    points: Sequence[str]
    default: View
    langs: Sequence[str] = LANGS
    modes: Sequence[str] = MODES
    steps: Sequence[tuple[str, str]] = ()  # presenter mode's lesson: (region, method) of each step


@dataclass(frozen=True)
class Ignored:
    """One part of a link that was not used: the parameter, its value as given (shortened; None
    where the value does not matter), why (a key under [links.reason] in the strings), and how
    many times the parameter was given."""

    param: str
    value: str | None
    reason: str
    count: int = field(default=1, compare=False)


def choices_for(k: Knowledge, default_method: str, default_build: str) -> Choices:
    """The choices of the loaded knowledge `k`; the first region and stage are the defaults."""
    valid = choices(k)
    default = View(region=valid["region"][0], method=default_method, stage=valid["stage"][0], build=default_build)
    return Choices(regions=valid["region"], methods=valid["method"], stages=valid["stage"],
                   builds=list(k.anatomy.builds), points=[s.key for s in sites(k)], default=default,
                   steps=[(s.region, s.method) for s in lesson.steps(k)])


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _values(raw: str | Iterable[str]) -> list[str]:
    return [raw] if isinstance(raw, str) else [str(v) for v in raw]


def read(raw: Mapping[str, str | Iterable[str]], ch: Choices) -> tuple[View, list[Ignored]]:
    """The view a link asks for, and what it had to ignore (in the order the link gave it)."""
    d = ch.default
    got: dict[str, Any] = {}
    ignored: list[Ignored] = []
    one_of = {"region": (ch.regions, "not_region"), "method": (ch.methods, "not_method"),
              "stage": (ch.stages, "not_stage"), "build": (ch.builds, "not_build"),
              "point": (ch.points, "not_point"), "lang": (ch.langs, "not_lang"), "mode": (ch.modes, "not_mode")}
    for name, given in raw.items():
        name = str(name)
        values = _values(given)
        if name not in PARAMS:
            ignored.append(Ignored(_short(name), None, "unknown_parameter"))
            continue
        if len(values) != 1:
            ignored.append(Ignored(name, None, "repeated", count=len(values)))
            continue
        value = values[0]
        if value == "":
            ignored.append(Ignored(name, "", "empty"))
            continue
        if len(value) > MAX_VALUE:
            ignored.append(Ignored(name, _short(value), "too_long"))
            continue
        if name in one_of:
            valid, reason = one_of[name]
            value = ALIASES.get(name, {}).get(value, value)
            if value in valid:
                got[name] = value
            else:
                ignored.append(Ignored(name, _short(values[0]), reason))
        elif name in ("whole_back", "show_points"):
            if value.lower() in FLAGS:
                got[name] = FLAGS[value.lower()]
            else:
                ignored.append(Ignored(name, _short(value), "not_flag"))
        elif name == "seed":
            if value.isascii() and value.isdigit() and len(value) <= MAX_SEED_DIGITS:
                got[name] = int(value)
            else:
                ignored.append(Ignored(name, _short(value), "not_seed"))
        elif name == "step":
            if value.isascii() and value.isdigit() and 1 <= int(value) <= len(ch.steps):
                got[name] = int(value)
            else:
                ignored.append(Ignored(name, _short(value), "not_step"))
    view = _presenter_step(replace(d, **got), got, ignored, ch)
    # The selected point is shown only with the standard points on: a point without them is
    # ignored, so that the link and the page never disagree.
    if view.point is not None and not view.show_points:
        ignored.append(Ignored("point", view.point, "points_off"))
        view = replace(view, point=None)
    return view, ignored


def _presenter_step(view: View, got: dict[str, Any], ignored: list[Ignored], ch: Choices) -> View:
    """A presenter link opens at its `step`; one that names neither a step nor a region or method
    opens at the lesson's first step (not at whichever step the default view happens to be). A step
    means nothing outside presenter mode: it is ignored there, and said so."""
    if view.mode != "present" or not ch.steps:
        if view.step is not None:
            ignored.append(Ignored("step", str(view.step), "step_not_present"))
        return replace(view, step=None)
    if view.step is None and ("region" in got or "method" in got):
        return view
    step = view.step or 1
    region, method = ch.steps[step - 1]
    return replace(view, region=region, method=method, step=step)


def query(view: View, default: View) -> dict[str, str]:
    """The parameters that fix `view`: those that differ from the default, in PARAMS order."""
    out: dict[str, str] = {}
    for name in PARAMS:
        value = getattr(view, name)
        if value == getattr(default, name) or value is None:
            continue
        if name == "point" and not view.show_points:
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def link(base: str, view: View, default: View) -> str:
    """`base` (the page's address without a query) followed by the query that opens `view`."""
    params = query(view, default)
    return f"{base}?{urlencode(params)}" if params else base


NOTICE_ITEMS = 5  # the notice names this many ignored parts, then says how many more there were


def plain(text: str) -> str:
    """A link's text as one line: what cannot be printed (a line break, a control character) is
    shown as U+FFFD. The page shows the notice as text, never as Markdown or HTML."""
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


def _item(s: Strings, item: Ignored) -> str:
    reason = s.get(f"links.reason.{item.reason}", count=item.count)
    if item.param == "":
        return s.get("links.item_no_name", reason=reason)
    if item.value is None:
        return s.get("links.item_name", param=plain(item.param), reason=reason)
    return s.get("links.item", param=plain(item.param), value=plain(item.value), reason=reason)


def notice(s: Strings, ignored: Sequence[Ignored]) -> str | None:
    """One line of plain text naming what a link had ignored and why (the first NOTICE_ITEMS, then
    how many more); None when nothing was."""
    if not ignored:
        return None
    items = [_item(s, item) for item in ignored[:NOTICE_ITEMS]]
    if len(ignored) > NOTICE_ITEMS:
        items.append(s.get("links.more", count=len(ignored) - NOTICE_ITEMS))
    return s.get("links.ignored", items=s.get("links.separator").join(items))
