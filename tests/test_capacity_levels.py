"""The capacity benchmark finds its answer in a few levels (benchmarks/bench_capacity.py).

It used to walk up from 25 people, a minute and a quarter per level, and `make bench`
spent eight minutes there. It now starts at the last run's answer and moves up while a
level holds, down while it does not, and stops once a level that holds sits next to one
that does not (or at either end of the list).
"""

from __future__ import annotations

from benchmarks.bench_capacity import hold_seconds, next_level

LEVELS = [25, 50, 100, 150, 200]


def _walk(start: int, holds_up_to: int) -> list[int]:
    tried: dict[int, bool] = {}
    measured = []
    level = next_level(LEVELS, tried, start)
    while level is not None:
        measured.append(level)
        tried[level] = level <= holds_up_to
        level = next_level(LEVELS, tried, level)
    return measured


def test_a_level_that_holds_is_followed_by_the_next_one_up_until_one_fails() -> None:
    assert _walk(100, holds_up_to=150) == [100, 150, 200]


def test_a_level_that_fails_is_followed_by_the_next_one_down_until_one_holds() -> None:
    assert _walk(150, holds_up_to=50) == [150, 100, 50]


def test_the_search_stops_at_either_end_of_the_levels() -> None:
    assert _walk(150, holds_up_to=400) == [150, 200]
    assert _walk(50, holds_up_to=0) == [50, 25]


def test_a_level_is_held_long_enough_for_100_steps_and_never_under_15_seconds() -> None:
    assert hold_seconds(50) == 20  # 50 people, a click each 10 s: 100 steps in 20 s
    assert hold_seconds(400) == 15
