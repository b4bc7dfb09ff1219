"""Position indexes over a document, so per-clause look-ups cost O(log n) and not O(n).

Claim extraction asks, for every clause, which heading it sits under, whether it lies in a
list item or a reference list, and which citation markers fall inside it. Scanning every
heading, block or marker for each clause made a long page cost quadratic time; these indexes
answer the same questions by bisection and give the same answers.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from claimaudit.nlp.literal_trie import occurrences

if TYPE_CHECKING:
    from claimaudit.claims.anchored import Haystack

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Headings:
    """Heading blocks as (start, end, text), in document order."""

    ranges: tuple[tuple[int, int, str], ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, ranges: Iterable[tuple[int, int, str]]) -> "Headings":
        ordered = tuple(sorted(ranges, key=lambda r: r[0]))
        return cls(ordered, tuple(r[0] for r in ordered))

    def section(self, offset: int) -> str:
        """The text of the last heading starting at or before `offset` ("" before any)."""
        index = bisect.bisect_right(self.starts, offset)
        return self.ranges[index - 1][2] if index else ""

    def section_start(self, offset: int) -> int:
        """Where the section holding `offset` starts (0 before any heading)."""
        index = bisect.bisect_right(self.starts, offset)
        return self.starts[index - 1] if index else 0


@dataclass(frozen=True, slots=True)
class Intervals:
    """Half-open ranges [start, end): is an offset inside any of them?"""

    starts: tuple[int, ...]
    reach: tuple[int, ...]  # the largest end among the ranges up to each start

    @classmethod
    def of(cls, ranges: Iterable[tuple[int, int]]) -> "Intervals":
        ordered = sorted(ranges)
        reach: list[int] = []
        for _, end in ordered:
            reach.append(max(end, reach[-1]) if reach else end)
        return cls(tuple(s for s, _ in ordered), tuple(reach))

    def contains(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset)
        return index > 0 and self.reach[index - 1] > offset


class ByStart(Generic[T]):
    """Items with a `start` offset, kept in their given order; `between` returns those whose
    start lies in [low, high), in that order (by bisection when the order is by start)."""

    def __init__(self, items: Sequence[T]) -> None:
        self.items = tuple(items)
        self.starts = [item.start for item in self.items]  # type: ignore[attr-defined]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:]))

    def between(self, low: int, high: int) -> tuple[T, ...]:
        if not self.ordered:
            return tuple(item for item, start in zip(self.items, self.starts) if low <= start < high)
        return self.items[bisect.bisect_left(self.starts, low):bisect.bisect_left(self.starts, high)]


class Occurrences:
    """Where literals occur in a folded text, as sorted (start, end) pairs."""

    __slots__ = ("starts", "ends")

    def __init__(self, folded: str, literals: Iterable[str], haystack: "Haystack | None" = None) -> None:
        """`haystack`: the folded text's, when its single pass found the literals."""
        found: list[tuple[int, int]] = []
        for literal in literals:
            if haystack is not None and literal in haystack.universe:
                found.extend((at, at + len(literal)) for at in haystack.offsets(literal))
                continue
            found.extend([(at, at + len(literal)) for at in occurrences(folded, literal)])
        found.sort()
        self.starts = [start for start, _end in found]
        self.ends = [end for _start, end in found]

    def any_within(self, start: int, end: int) -> bool:
        """Does one of the literals occur inside [start, end)?"""
        index = bisect.bisect_left(self.starts, start)
        while index < len(self.starts) and self.starts[index] < end:
            if self.ends[index] <= end:
                return True
            index += 1
        return False
