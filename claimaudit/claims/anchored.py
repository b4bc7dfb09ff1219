"""Whole-page regex counts and tests, tried only where a match can start.

Python's `re` tries a pattern such as `\\b(?:book|schedule)\\s+...` (case-insensitive) at every
position of a page. Most such patterns can only start with one of a few literal strings
("book", "schedule"): `Anchored` reads the pattern's syntax tree once for that set of
prefixes, finds their occurrences in the page's folded text (`nlp/prefilter.fold`, which keeps
every offset) with `str.find`, and tries the pattern only there. `count` is
`len(pattern.findall(text))` and `exists` is `bool(pattern.search(text))`, always: `findall`
takes the leftmost match at or after the end of the previous one, and no match can start
anywhere but at a prefix occurrence. Before that, the literal prefilter's needles
(`nlp/prefilter.needles`) rule out a page that holds none of them.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from claimaudit.nlp.prefilter import fold, needles

MAX_PREFIXES = 64  # at most this many prefix strings per pattern
MAX_CLASS = 8  # a character class of at most this many characters counts as alternatives

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
Strings = frozenset[str]


def _product(left: Strings, right: Strings) -> Strings | None:
    if len(left) * len(right) > MAX_PREFIXES:
        return None
    return frozenset(a + b for a in left for b in right)


def _plain(char: str) -> bool:
    """An ASCII character, or one without case (it matches only itself, and folds to itself)."""
    return char.isascii() or char.lower() == char.upper() == char.casefold() == char


def _exact(op: Any, av: Any) -> Strings | None:
    """Every string the node can match (folded), or None when not a small finite set."""
    if op is sre.LITERAL:
        char = chr(av)
        return frozenset({fold(char)}) if _plain(char) else None
    if op is sre.IN:
        chars: set[str] = set()
        for item, value in av:
            if item is sre.LITERAL:
                chars.add(chr(value))
            elif item is sre.RANGE and value[1] - value[0] < MAX_CLASS:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None
        if len(chars) > MAX_CLASS or not all(_plain(c) for c in chars):
            return None
        return frozenset(fold(c) for c in chars)
    if op is sre.SUBPATTERN:
        return _exact_sequence(list(av[-1]))
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            strings = _exact_sequence(list(alternative))
            if strings is None:
                return None
            union |= strings
        return frozenset(union) if len(union) <= MAX_PREFIXES else None
    if op in _REPEATS:
        low, high, body = av
        strings = _exact_sequence(list(body))
        if strings is None or high > 4:
            return None
        found: set[str] = set()
        current: Strings | None = frozenset({""})
        for count in range(high + 1):
            if current is None:
                return None
            if count >= low:
                found |= current
            current = _product(current, strings)
        return frozenset(found) if len(found) <= MAX_PREFIXES else None
    return None


def _exact_sequence(items: list[tuple[Any, Any]]) -> Strings | None:
    strings: Strings | None = frozenset({""})
    for op, av in items:
        node = None if op in _ZERO_WIDTH else _exact(op, av)  # an assertion: not a plain set
        if node is None or strings is None:
            return None
        strings = _product(strings, node)
    return strings


def _starts(items: list[tuple[Any, Any]]) -> Strings | None:
    """Strings one of which every match of the sequence `items` begins with (possibly "")."""
    current: Strings = frozenset({""})
    for index, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        node = _exact(op, av)
        if node is not None:
            joined = _product(current, node)
            if joined is None:
                return current
            current = joined
            continue
        first = _first(op, av)
        if first is not None and op in _REPEATS and av[0] == 0:
            rest = _starts(items[index + 1 :])
            first = None if rest is None else first | rest
        if first is None:
            return current
        return _product(current, first) or current
    return current


def _first(op: Any, av: Any) -> Strings | None:
    """Strings one of which every match of a node that is not an exact set begins with."""
    if op is sre.SUBPATTERN:
        return _starts(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _starts(list(av))
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            strings = _starts(list(alternative))
            if strings is None:
                return None
            union |= strings
        return frozenset(union) if len(union) <= MAX_PREFIXES else None
    if op in _REPEATS:
        return _starts(list(av[2]))
    return None


def prefixes(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Folded strings one of which every match of `pattern` starts with, or None."""
    try:
        tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled patterns parse
        return None
    found = _starts(tree)
    if not found or "" in found:
        return None
    ordered = sorted(found, key=len)
    kept: list[str] = []
    for candidate in ordered:  # a prefix that starts with a kept one adds no start positions
        if not any(candidate.startswith(k) for k in kept):
            kept.append(candidate)
    return tuple(kept)


class Haystack:
    """A text's folded form (`nlp/prefilter.fold`, same offsets), with the offsets of each
    literal looked up once: a page's patterns share many of their literals."""

    __slots__ = ("text", "folded", "_offsets", "_has")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._offsets: dict[str, list[int]] = {}
        self._has: dict[str, bool] = {}

    def offsets(self, literal: str) -> list[int]:
        """Every offset where `literal` occurs in the folded text, in order."""
        found = self._offsets.get(literal)
        if found is None:
            found = []
            at = self.folded.find(literal)
            while at >= 0:
                found.append(at)
                at = self.folded.find(literal, at + 1)
            self._offsets[literal] = found
        return found

    def has(self, literal: str, end: int) -> bool:
        """Does `literal` occur in the folded text before `end`?"""
        if end < len(self.folded):
            return self.folded.find(literal, 0, end) >= 0
        found = self._has.get(literal)
        if found is None:
            found = self._has[literal] = literal in self.folded
        return found


class Anchored:
    """A compiled pattern whose whole-text `count` and `exists` try only possible starts.

    `haystack`: the `Haystack` of `text`, or of a text that `text` begins with (a page and its
    head), so that a page is folded and searched for each literal once for all its patterns."""

    __slots__ = ("regex", "prefixes", "needles")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        found = prefixes(regex)
        # a one-letter prefix ("a") starts too many tries, and a pattern that starts with one
        # literal character ("[") is scanned as fast by the regex itself
        if found is not None and (any(len(p) == 1 and p.isalpha() for p in found) or [len(p) for p in found] == [1]):
            found = None
        self.prefixes = found
        self.needles = tuple(needles(regex) or ())  # one of them is in every match

    def _haystack(self, text: str, haystack: Haystack | None) -> Haystack:
        if haystack is None or (haystack.text is not text and not haystack.text.startswith(text)):
            return Haystack(text)
        return haystack

    def starts(self, text: str, haystack: Haystack | None = None) -> list[int] | None:
        """Sorted offsets where a match may start (a superset), or None when not known."""
        if self.prefixes is None:
            return None
        haystack = self._haystack(text, haystack)
        end = len(text)
        if len(self.prefixes) == 1:
            last = end - len(self.prefixes[0])
            return [at for at in haystack.offsets(self.prefixes[0]) if at <= last]
        return sorted({at for p in self.prefixes for at in haystack.offsets(p) if at + len(p) <= end})

    def may_match(self, text: str, haystack: Haystack | None = None) -> bool:
        """False only when no match is possible in `text`."""
        if not self.needles:
            return True
        haystack = self._haystack(text, haystack)
        end = len(text)
        if end < len(haystack.folded):
            return any(haystack.has(n, end) for n in self.needles)
        known, folded = haystack._has, haystack.folded  # `has` inlined: called for every needle of every pattern
        for needle in self.needles:
            found = known.get(needle)
            if found is None:
                found = known[needle] = needle in folded
            if found:
                return True
        return False

    def count(self, text: str, haystack: Haystack | None = None, limit: int | None = None) -> int:
        """`len(self.regex.findall(text))`, or `min(that, limit)`: counting stops at `limit`."""
        haystack = self._haystack(text, haystack)
        if not self.may_match(text, haystack):
            return 0
        starts = self.starts(text, haystack)
        if starts is None:
            if limit is None:
                return len(self.regex.findall(text))
            return sum(1 for _ in zip(range(limit), self.regex.finditer(text)))
        found, position, match = 0, 0, self.regex.match
        for start in starts:
            if start < position:
                continue
            hit = match(text, start)
            if hit is not None:
                found += 1
                if found == limit:
                    break
                position = hit.end() if hit.end() > start else start + 1
        return found

    def exists(self, text: str, haystack: Haystack | None = None) -> bool:
        """`bool(self.regex.search(text))`."""
        haystack = self._haystack(text, haystack)
        if not self.may_match(text, haystack):
            return False
        starts = self.starts(text, haystack)
        if starts is None:
            return self.regex.search(text) is not None
        match = self.regex.match
        return any(match(text, start) is not None for start in starts)
