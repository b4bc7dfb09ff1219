"""Position indexes give the answers of a linear scan (randomised against brute force)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from claimaudit.claims.positions import ByStart, Headings, Intervals


def test_headings_match_a_scan_of_every_heading() -> None:
    rng = random.Random(7)
    starts = sorted(rng.sample(range(1000), 30))
    headings = Headings.of((s, s + 5, f"h{s}") for s in reversed(starts))
    for offset in range(-5, 1010):
        before = [s for s in starts if s <= offset]
        assert headings.section(offset) == (f"h{before[-1]}" if before else "")
        assert headings.section_start(offset) == max(before, default=0)


def test_intervals_match_any_overlap_including_nested_ranges() -> None:
    rng = random.Random(3)
    ranges = [(a, a + rng.randint(0, 60)) for a in (rng.randint(0, 500) for _ in range(40))]
    index = Intervals.of(ranges)
    for offset in range(-2, 600):
        assert index.contains(offset) == any(s <= offset < e for s, e in ranges), offset
    assert not Intervals.of(()).contains(0)


@dataclass
class _Marker:
    start: int


def test_by_start_keeps_given_order_sorted_or_not() -> None:
    rng = random.Random(5)
    for items in ([_Marker(s) for s in sorted(rng.sample(range(300), 50))],
                  [_Marker(rng.randint(0, 300)) for _ in range(50)]):
        index = ByStart(items)
        for low in range(0, 300, 7):
            high = low + rng.randint(0, 40)
            assert index.between(low, high) == tuple(m for m in items if low <= m.start < high)
