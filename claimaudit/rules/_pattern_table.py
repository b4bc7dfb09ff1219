"""A list of patterns searched over the same short texts (one claim at a time): the literal
prefilter's needles of all of them are looked up once per text, and only the patterns that can
match are run. Same results as running every pattern; far fewer calls when most match nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from claimaudit.nlp import prefilter
from claimaudit.nlp.prefilter import folded, needles


def literal_gate(literals: Iterable[str]) -> re.Pattern[str] | None:
    """One regex that finds any of `literals` (as plain substrings), shaped as a trie so that
    the regex engine tries each character once per position: far cheaper than testing the
    literals one by one. None for no literal (nothing can be found)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}  # a literal ends here
    if not trie:
        return None

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        if "" in node:
            return ""  # a shorter literal already ends here: the longer ones add nothing
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(emit(trie))


def necessary_sets(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Literal sets of which every match of `pattern` contains a member: the prefilter's own
    choice, and the needles of each top-level piece of the pattern (a match holds every piece)."""
    found = needles(pattern)
    options = [found] if found else []
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        for op, av in tree:
            info = prefilter._node(op, av)
            need = prefilter._best(info.need, info.exact)
            if need and min(map(len, need)) >= prefilter.MIN_NEEDLE:
                options.append(prefilter._minimal(need))
    except Exception:  # the prefilter's internals moved: its own needles still hold
        pass
    return options


def leading_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of `pattern` starts with (as the
    prefilter folds text), or None when the pattern's start is not such a literal (or is
    shorter than the prefilter's shortest needle)."""
    try:
        run = _leads(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # the prefilter's internals moved: no shortcut
        return None
    if not run or min(map(len, run)) < prefilter.MIN_NEEDLE:
        return None
    kept: list[str] = []
    for literal in sorted(run, key=len):  # a match that starts with "smaller" starts with "small"
        if not any(literal.startswith(k) for k in kept):
            kept.append(literal)
    return tuple(sorted(kept))


def _leads(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Strings one of which each match of the sequence `items` starts with ("" when unknown)."""
    run: frozenset[str] = frozenset({""})
    for op, av in items:
        info = prefilter._node(op, av)  # zero-width pieces match "" exactly
        if info.exact is not None:
            joined = prefilter._product(run, info.exact)
            if joined is None:
                return run
            run = joined
            continue
        starts = _item_leads(op, av)  # a piece of unknown length: only how it starts
        if starts is None or "" in starts:
            return run
        return prefilter._product(run, starts) or run
    return run


def _item_leads(op: Any, av: Any) -> frozenset[str] | None:
    if op is sre_constants.SUBPATTERN:
        return _leads(list(av[-1]))
    if op is sre_constants.BRANCH:
        found: set[str] = set()
        for alternative in av[1]:
            starts = _leads(list(alternative))
            if starts is None or "" in starts:
                return None
            found |= starts
        return frozenset(found)
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
        return _leads(list(av[2]))
    return None


class PatternTable:
    """Patterns in a fixed order; `candidates(text)` keeps that order."""

    __slots__ = ("patterns", "_needles", "_indices", "_always", "_gate", "_leading")

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
        self._gate = literal_gate(self._needles)
        self._leading = tuple(leading_literals(p) for p in self.patterns)

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices of the patterns that may match in `text`, in order (every other one cannot)."""
        haystack = folded(text)
        if self._gate is None or self._gate.search(haystack) is None:
            return self._always  # most texts hold no needle at all: one scan says so
        chosen = set(self._always)
        for needle in filter(haystack.__contains__, self._needles):
            chosen |= self._indices[needle]
        return tuple(sorted(chosen))

    def may_match(self, text: str) -> bool:
        """False only when no pattern of the table can match in `text`."""
        return bool(self._always) or (self._gate is not None and self._gate.search(folded(text)) is not None)

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern index, match) for each pattern in order, then each of its matches in order."""
        for index in self.candidates(text):
            for match in self.patterns[index].finditer(text):
                yield index, match

    def finditer_long(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """The same as `finditer`, for long texts (a whole page): a pattern whose matches all
        start with a literal is tried only where that literal occurs, with `match` (which sees
        the text before the position, as `finditer` does), instead of at every position."""
        haystack = folded(text)
        aligned = len(haystack) == len(text)  # folding kept every character in place
        for index in self.candidates(text):
            pattern, leading = self.patterns[index], self._leading[index]
            if leading is None or not aligned:
                for match in pattern.finditer(text):
                    yield index, match
                continue
            end = 0  # finditer's matches do not overlap: the next starts at or after the last end
            for start in _occurrences(haystack, leading):
                if start >= end:
                    found = pattern.match(text, start)
                    if found is not None:
                        yield index, found
                        end = found.end()

    def any_search(self, text: str) -> bool:
        """Does some pattern match somewhere in `text`?"""
        return any(self.patterns[i].search(text) for i in self.candidates(text))


def _occurrences(haystack: str, literals: tuple[str, ...]) -> list[int]:
    """Every position where one of `literals` starts in `haystack`, in order."""
    found: set[int] = set()
    for literal in literals:
        at = haystack.find(literal)
        while at >= 0:
            found.add(at)
            at = haystack.find(literal, at + 1)
    return sorted(found)
