"""A cache for values worked out in a server's threads: like functools.lru_cache, but when many threads
miss the same key at once, one works the value out and the others wait for it.

functools.lru_cache does not lock while it calls the function, so 30 students' pages asking for the
same quiz round at the moment a question appears each built it (0.2 s each, all in one interpreter):
a second server's students waited 14 s for the first question of a live class."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

STRIPES = 32  # locks shared by keys: a miss holds back only the keys of its own stripe, for that one call


def once(maxsize: int) -> Callable[[F], F]:
    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        locks = [threading.Lock() for _ in range(STRIPES)]

        @functools.wraps(fn)
        def call(*args: Hashable, **kwargs: Hashable) -> object:
            with locks[hash((args, tuple(sorted(kwargs.items())))) % STRIPES]:
                return cached(*args, **kwargs)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]
    return wrap
