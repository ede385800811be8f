"""Your own protocol: an uploaded file of zones, needle points and session parameters, checked
against the same rules as the data files and held beside what the articles say.

Two steps, kept apart:

- `read(name, data)` (reading.py) turns the file's bytes into a plain `Raw` (every entry with where it came
  from: `points[3]` in TOML, `row 5` in CSV). It refuses files over MAX_BYTES, text that is not
  UTF-8, and CSV cells a spreadsheet would run as a formula. Parsing is tomllib or the csv module
  only: no YAML, no pickle, nothing that runs code.
- `validate(k, raw)` (checks.py) checks every entry and reports EVERY problem at once, each with its entry or
  row, its field and the reason. It uses the data loader's checks where they apply: levels
  through `anatomy.level_drop`, zones through the `Zone` model, units through `units`.

`load(k, name, data)` does both. `differences(k, protocol, plan)` (compare.py) lists where the protocol differs
from the articles: needle count, depth beyond the articles' or the standard point's, retention
and every other session parameter given. Every word comes from the strings file (section
[protocol]); never imports Streamlit. The types and limits are types.py's; the
protocol is drawn over the back view by figures.overlay_traces. This package's front (these
functions) is what the rest of the app imports.

Layer 2: imports from acumap.data, acumap.style and acumap.plan only.
"""

from __future__ import annotations

from acumap.data.loading import Knowledge
from acumap.protocol.checks import validate
from acumap.protocol.compare import Difference, differences
from acumap.protocol.reading import read
from acumap.protocol.types import (
    CSV_COLUMNS,
    FORMULA_START,
    HALF_WIDTH,
    MAX_BYTES,
    MAX_CELL,
    MAX_ENTRIES,
    Protocol,
    Result,
    problems_text,
)

# What the rest of the app and the tests use, from the modules that hold it.
__all__ = ["CSV_COLUMNS", "FORMULA_START", "HALF_WIDTH", "MAX_BYTES", "MAX_CELL", "MAX_ENTRIES", "Difference",
           "Protocol", "Result", "differences", "load", "problems_text", "read", "validate"]


def load(k: Knowledge, name: str, data: bytes) -> Result:
    """Read and validate an uploaded file. Never raises on its content."""
    raw, problems, text = read(k.strings, name, data)
    if raw is None:
        return Result(None, tuple(problems), text)
    checked = validate(k, raw)
    if raw.problems:  # rows refused while reading come first, then everything validation found
        return Result(None, raw.problems + checked.problems, raw.text)
    return checked
