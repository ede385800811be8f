"""acumap.style is the one place the app's colours are written: no other module of the package or of
the Streamlit screens holds a colour literal, and every colour of the page's palette is used."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from _plotly_utils.basevalidators import ColorValidator

from acumap.style import PAGE, Page

REPO = Path(__file__).resolve().parents[1]
STYLE = REPO / "src" / "acumap" / "style.py"

# A CSS/Plotly colour written out: #rgb, #rgba, #rrggbb, #rrggbbaa, or rgb()/rgba()/hsl()/hsla(). Not an
# HTML character reference (&#123;), not a "#" inside a word.
COLOUR = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b|\b(?:rgba?|hsla?)\(")
# Or by name (the CSS names, which Plotly takes too): a whole quoted string ("white"), or the value of a
# CSS colour property (color:white). A name in a comment's prose is not a colour drawn.
_NAMES = "|".join(sorted({*ColorValidator.named_colors, "transparent"}, key=len, reverse=True))
NAMED = re.compile(rf"""(?<=["'])(?:{_NAMES})(?=["'])|(?:color|background|border[-a-z]*|fill|stroke|outline)"""
                   rf"""\s*:[^;"'{{}}]*?\b(?:{_NAMES})\b""", re.IGNORECASE)


def sources() -> list[Path]:
    """Every Python module of the app: the package, the screens and the page."""
    files = [*(REPO / "src" / "acumap").rglob("*.py"), *(REPO / "ui").rglob("*.py"), REPO / "app.py"]
    return sorted(f for f in files if f != STYLE)


def colours_in(text: str) -> list[str]:
    found = [*COLOUR.finditer(text), *NAMED.finditer(text)]
    return [m.group(0) for m in sorted(found, key=lambda m: m.start())]


def test_the_colour_pattern_finds_each_way_of_writing_a_colour() -> None:
    css = ".a{color:#b03a00}.b{background:#fff;border:1px solid rgba(49,51,63,0.15)}.c{color:rgb(0,0,0)}"
    assert colours_in(css) == ["#b03a00", "#fff", "rgba(", "rgb("]
    assert colours_in('marker={"color": "#0b6e69"}, fill="#0b6e6980", c="hsl(0,0%,50%)"') == [
        "#0b6e69", "#0b6e6980", "hsl("]
    assert colours_in('plot_bgcolor="white", line={"color": \'Black\'}') == ["white", "Black"]
    assert colours_in(".a{color:white}.b{border:1px solid grey;margin:0}") == ["color:white", "border:1px solid grey"]
    # a comment, an HTML character reference, an id selector that is not hex, a page anchor, a name in
    # prose or inside a longer string
    assert colours_in("# a comment\n&#123; #main a#top x#abc # black on white\n'a red line' 'whitespace'") == []


def test_no_module_but_style_writes_a_colour() -> None:
    found = [f"{path.relative_to(REPO)}:{n}: {colour}"
             for path in sources()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             for colour in colours_in(line)]
    assert found == [], "colours belong in src/acumap/style.py:\n" + "\n".join(found)


def test_the_scan_reads_the_screens_and_the_package() -> None:
    names = {p.relative_to(REPO).as_posix() for p in sources()}
    assert {"src/acumap/plan/presenting.py", "src/acumap/output/card.py", "src/acumap/classroom/qr.py", "ui/state.py",
            "app.py"} <= names
    assert "src/acumap/style.py" not in names
    assert colours_in(STYLE.read_text(encoding="utf-8"))  # where they are written instead


def test_every_colour_of_the_page_palette_is_used() -> None:
    """A field no module reads would be a colour kept here but drawn from somewhere else (or not at all).
    card.py fills its CSS by name ($field), the others read PAGE.field."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources())
    unused = [f.name for f in fields(Page) if not re.search(rf"(\bPAGE\.|\$){f.name}\b", text)]
    assert unused == []


def test_the_page_palette_holds_colours_only() -> None:
    for f in fields(Page):
        assert re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}|rgba\((\d+,){3}[\d.]+\)", getattr(PAGE, f.name)), f.name
