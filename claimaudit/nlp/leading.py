"""Leading literals of a regular expression: strings one of which every match starts with.

`prefixes(pattern)` reads the pattern's syntax tree (the parser of `re`) and returns the folded
strings (`nlp/prefilter.fold`) every match of it begins with, or None when it can begin with
anything. A caller that finds those strings in the folded text (same offsets) need try the
pattern only there (`matches_at`): `claims/anchored.py` does so for whole-page counts and tests,
`StartsWith` for short texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from claimaudit.nlp.literal_trie import gate_starts, literal_gate
from claimaudit.nlp.prefilter import class_chars, fold, folded

MAX_PREFIXES = 64  # at most this many prefix strings per pattern

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
        chars = class_chars(av)
        if chars is None or not all(_plain(c) for c in chars):
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
    """Folded strings one of which every match of `pattern` starts with, or None (remembered
    between runs, `nlp/analysis_cache.py`)."""
    from claimaudit.nlp.analysis_cache import cached

    return cached("prefixes", pattern.pattern, pattern.flags, lambda: _prefixes(pattern))


def _prefixes(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
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


def matches_at(regex: re.Pattern[str], text: str, starts: Iterable[int]) -> bool:
    """Does `regex` match `text` at one of `starts`? `bool(regex.search(text))` when `starts`
    holds every offset where one of its `prefixes` occurs in the folded text: no match starts
    anywhere else."""
    match = regex.match
    for at in starts:
        if match(text, at) is not None:
            return True
    return False


class StartsWith:
    """`bool(pattern.search(text))` for a pattern whose every match starts with one of a few
    literals (`prefixes`): the pattern is tried only where one of them starts in the text's
    folded form (`prefilter.folded`, same offsets), found by one trie of them (`gate_starts`).
    For short texts searched once; `claims/anchored.py` does the same on whole pages, the
    literals' offsets looked up once for all a page's patterns."""

    __slots__ = ("regex", "prefixes", "_search")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.prefixes = prefixes(regex)
        gate = None if self.prefixes is None else literal_gate(self.prefixes)
        self._search = None if gate is None else gate.search

    def exists(self, text: str) -> bool:
        if self._search is None:
            return self.regex.search(text) is not None
        return matches_at(self.regex, text, gate_starts(self._search, folded(text)))
