"""What the class store refuses, as one error type with a reason.

Every refusal is a ClassError: str() is one line a teacher or student can act on, and `reason` is a
stable key ("class.closed", "answer.revealed", ...) a screen can look its own words up by. The
command line maps `status` to its exit status: 2 for a wrong code, key or input, 1 for a store or
settings problem.
"""

from __future__ import annotations


class ClassError(Exception):
    status = 2  # a wrong input by the caller

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(" ".join(message.split()))  # always one line


class StoreError(ClassError):
    """The database cannot be reached or used; nothing of the failed call was written."""

    status = 1


class SettingsError(ClassError):
    """An environment variable holds a value the store cannot use."""

    status = 1
