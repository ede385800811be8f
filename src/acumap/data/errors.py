"""The one error type a broken data file raises: it names the file, the entry and the field."""

from __future__ import annotations


class DataError(Exception):
    """A data file is missing, unreadable or inconsistent.

    str() is one line a practitioner can act on, e.g.
    ``data/session.toml: needles[2] (A, line 202): field 'max': must be at least min``.
    """

    def __init__(self, file: str, entry: str | None, field: str | None, problem: str):
        self.file, self.entry, self.field, self.problem = file, entry, field, problem
        parts = [file]
        if entry:
            parts.append(entry)
        if field:
            parts.append(f"field '{field}'")
        super().__init__(": ".join(parts + [" ".join(problem.split())]))
