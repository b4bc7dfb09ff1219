"""A list of patterns searched over the same short texts (one claim at a time): the literal
prefilter's needles of all of them are looked up once per text, and only the patterns that can
match are run. Same results as running every pattern; far fewer calls when most match nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claimaudit.nlp.prefilter import folded, needles


class PatternTable:
    """Patterns in a fixed order; `candidates(text)` keeps that order."""

    __slots__ = ("patterns", "_needles", "_indices", "_always")

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        # a prefiltered pattern is run as its plain regex: the table does the prefiltering
        self.patterns: tuple[re.Pattern[str], ...] = tuple(getattr(p, "regex", p) for p in patterns)
        by_needle: dict[str, list[int]] = {}
        always = []
        for index, pattern in enumerate(self.patterns):
            found = needles(pattern)
            if not found:
                always.append(index)
            for needle in found or ():
                by_needle.setdefault(needle, []).append(index)
        self._needles = tuple(sorted(by_needle))
        self._indices = {needle: frozenset(indices) for needle, indices in by_needle.items()}
        self._always = tuple(always)

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices of the patterns that may match in `text`, in order (every other one cannot)."""
        present = list(filter(folded(text).__contains__, self._needles))
        if not present:
            return self._always
        chosen = set(self._always)
        for needle in present:
            chosen |= self._indices[needle]
        return tuple(sorted(chosen))

    def finditer(self, text: str) -> Iterable[tuple[int, re.Match[str]]]:
        """(pattern index, match) for each pattern in order, then each of its matches in order."""
        for index in self.candidates(text):
            for match in self.patterns[index].finditer(text):
                yield index, match

    def any_search(self, text: str) -> bool:
        """Does some pattern match somewhere in `text`?"""
        return any(self.patterns[i].search(text) for i in self.candidates(text))
