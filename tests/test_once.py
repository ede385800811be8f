"""acumap.classroom.once: a value missed by many threads at once is worked out once (functools.lru_cache works it out
in each of them), and the class store's quiz rounds use it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from acumap.classroom import store
from acumap.classroom.once import once


def test_threads_that_miss_the_same_key_together_share_one_call():
    calls: list[int] = []
    start = threading.Barrier(8)

    @once(maxsize=4)
    def slow(x: int) -> int:
        calls.append(x)
        time.sleep(0.2)  # long enough for every thread to arrive while the first one works
        return x * 2

    def ask(x: int) -> int:
        start.wait()
        return slow(x)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(ask, [7] * 8))
    assert got == [14] * 8
    assert calls == [7]
    assert slow.cache_info().hits == 7 and slow.cache_info().misses == 1
    slow.cache_clear()
    assert slow(7) == 14 and calls == [7, 7]


def test_each_key_is_still_worked_out_once_and_kept_as_lru_cache_keeps_it():
    calls: list[tuple] = []

    @once(maxsize=2)
    def pair(a: int, b: int = 0) -> tuple:
        calls.append((a, b))
        return (a, b)

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda a: pair(a, b=1), [1, 2, 1, 2, 1, 2]))
    assert got == [(1, 1), (2, 1)] * 3
    assert sorted(calls) == [(1, 1), (2, 1)]
    pair(1, b=1)
    pair(3)  # with maxsize 2, (2, 1), now the least recently used, makes room for (3, 0)
    pair(1, b=1)
    assert len(calls) == 3 and pair.cache_info().currsize == 2
    pair(2, b=1)
    assert calls[-1] == (2, 1) and len(calls) == 4


def test_a_class_round_is_built_once_when_a_servers_students_all_see_the_question_at_once(monkeypatch):
    built: list[int] = []
    real = store.make_quiz

    def counted(k, seed, size):
        built.append(seed)
        return real(k, seed, size)

    monkeypatch.setattr(store, "make_quiz", counted)
    seed = 900_001  # not asked by any other test in this worker, so not cached yet
    start = threading.Barrier(12)

    def student(_: int):
        start.wait()
        return store.round_questions("en", seed, 10)

    with ThreadPoolExecutor(12) as pool:
        rounds = list(pool.map(student, range(12)))
    assert built == [seed]
    assert all(r is rounds[0] for r in rounds) and len(rounds[0]) == 10
