"""Whole-page regex counts and tests, tried only where a match can start.

Python's `re` tries a pattern such as `\\b(?:book|schedule)\\s+...` (case-insensitive) at every
position of a page. Most such patterns can only start with one of a few literal strings
("book", "schedule"): `Anchored` reads the pattern's syntax tree once for that set of
prefixes, finds their occurrences in the page's folded text (`nlp/prefilter.fold`, which keeps
every offset; a `Haystack` finds the literals of all a page's patterns in one trie pass,
`nlp/literal_trie.Literals`), and tries the pattern only there (a multi-line `^` pattern only
at line starts). `count` is `len(pattern.findall(text))` and `exists` is
`bool(pattern.search(text))`, always: `findall` takes the leftmost match at or after the end of
the previous one, and no match can start anywhere but at a prefix occurrence. Before that, the
literal prefilter's needles (`nlp/prefilter.needles`) rule out a page that holds none of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from claimaudit.nlp.leading import matches_at, prefixes
from claimaudit.nlp.literal_trie import Literals, occurrences
from claimaudit.nlp.prefilter import fold, needles


class Haystack:
    """A text's folded form (`nlp/prefilter.fold`, same offsets), with the offsets of each
    literal looked up once: a page's patterns share many of their literals. `literals`: the
    patterns' literals, whose presence is then found in one pass (`Literals`)."""

    __slots__ = ("text", "folded", "_offsets", "_has", "_lines", "present", "universe")

    def __init__(self, text: str, literals: Literals | None = None) -> None:
        self.text = text
        self.folded = fold(text)
        self._offsets: dict[str, list[int]] = {}
        self._lines: list[int] | None = None
        # `universe`: the literals looked up at once; `present`: those that occur, whose offsets
        # that lookup found
        if literals is not None:
            self._offsets = literals.offsets(self.folded)
        self.present: set[str] = set(self._offsets)
        self.universe: frozenset[str] = frozenset() if literals is None else literals.universe
        self._has: dict[str, bool] = {}  # literals out of `universe` -> whether they occur

    def line_starts(self) -> list[int]:
        """0 and every offset right after a newline of the text, in order: where a multi-line
        `^` holds."""
        if self._lines is None:
            self._lines = line_starts(self.text)
        return self._lines

    def offsets(self, literal: str) -> list[int]:
        """Every offset where `literal` occurs in the folded text, in order."""
        found = self._offsets.get(literal)
        if found is None:
            found = []
            if literal not in self.universe:  # else absent: a present one's offsets are known
                found = occurrences(self.folded, literal)
                self._has[literal] = bool(found)
            self._offsets[literal] = found
        return found

    def offsets_before(self, literal: str, end: int) -> list[int]:
        """The offsets of `literal` whose occurrence ends by `end`: a page's head is searched
        alone, unless the whole page's offsets are known."""
        found = self._offsets.get(literal)
        last = end - len(literal)
        if found is None and (literal in self.universe or self._has.get(literal) is False):
            return []  # absent: a present one of `universe` has its offsets
        if found is not None or end >= len(self.folded):
            return [at for at in (self.offsets(literal) if found is None else found) if at <= last]
        return occurrences(self.folded[:end], literal)  # (a page's head: the occurrences ending by `end`)

    def has(self, literal: str, end: int) -> bool:
        """Does `literal` occur in the folded text before `end`?"""
        if end < len(self.folded):
            if literal in self.universe and literal not in self.present:
                return False
            return self._has.get(literal) is not False and self.folded.find(literal, 0, end) >= 0
        if literal in self.universe:
            return literal in self.present
        found = self._has.get(literal)
        if found is None:
            found = self._has[literal] = literal in self.folded
        return found


def line_starts(text: str) -> list[int]:
    """0 and every offset right after a "\\n" in `text`, in order."""
    found, at, find = [0], text.find("\n"), text.find
    while at >= 0:
        found.append(at + 1)
        at = find("\n", at + 1)
    return found


def starts_at_line(regex: re.Pattern[str]) -> bool:
    """Every match of `regex` starts where a multi-line `^` holds: the pattern is MULTILINE
    and its first item, outside any alternation, is `^`."""
    if not regex.flags & re.MULTILINE:
        return False
    try:
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled patterns parse
        return False
    return len(tree) > 0 and tree[0] == (sre.AT, sre.AT_BEGINNING)


def needle_tail(regex: re.Pattern[str], needles: Sequence[str]) -> tuple[str, re.Pattern[str]] | None:
    """For a pattern without groups whose top-level sequence spells one of its (folded)
    needles out (`\\b(?:a|the)\\s+clinic\\s+in\\b`): that needle, and the pattern from the
    needle on (`clinic\\s+in\\b`). Every match holds the needle where that tail matches, so a
    text where the tail matches at no occurrence of the needle holds no match. Else None."""
    if regex.groups:
        return None
    try:
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled patterns parse
        return None
    items = list(tree)
    codes = [chr(av).lower() if op is sre.LITERAL else None for op, av in items]
    for needle in needles:
        for at in range(len(items) - len(needle) + 1):
            if all(codes[at + i] == char for i, char in enumerate(needle)):
                tail = sre_parse.SubPattern(tree.state, items[at:])
                return needle, sre_compile.compile(tail, regex.flags)
    return None


class Anchored:
    """A compiled pattern whose whole-text `count` and `exists` try only possible starts.

    `haystack`: the `Haystack` of `text`, or of a text that `text` begins with (a page and its
    head), so that a page is folded and searched for each literal once for all its patterns.
    A pattern with no known starts, whose tail from a needle on is known (`needle_tail`), is
    searched only when that tail matches at an occurrence of the needle."""

    __slots__ = ("regex", "prefixes", "needles", "at_lines", "needle_set", "_prefix_set", "_tail")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        found = prefixes(regex)
        # a one-letter prefix ("a") starts too many tries, and a pattern that starts with one
        # literal character ("[") is scanned as fast by the regex itself, unless an assertion
        # comes first ("\\b5"): the regex then tries every offset
        if found is not None and (
            any(len(p) == 1 and p.isalpha() for p in found)
            or ([len(p) for p in found] == [1] and not regex.pattern.startswith("\\b"))
        ):
            found = None
        self.prefixes = found
        self._prefix_set = frozenset(found or ())
        self.needles = tuple(needles(regex) or ())  # one of them is in every match
        self.needle_set = frozenset(self.needles)
        # no prefixes, but a leading multi-line `^`: tried at line starts only
        self.at_lines = found is None and starts_at_line(regex)
        self._tail: tuple[str, re.Pattern[str]] | None | bool = False  # `needle_tail`, worked out when first needed

    def _haystack(self, text: str, haystack: Haystack | None) -> Haystack:
        if haystack is None or (haystack.text is not text and not haystack.text.startswith(text)):
            return Haystack(text)
        return haystack

    def starts(self, text: str, haystack: Haystack | None = None) -> list[int] | None:
        """Sorted offsets where a match may start (a superset), or None when not known."""
        if self.prefixes is None:
            if not self.at_lines:
                return None
            haystack = self._haystack(text, haystack)
            lines, end = haystack.line_starts(), len(text)
            return lines if lines[-1] <= end else [at for at in lines if at <= end]
        haystack = self._haystack(text, haystack)
        end = len(text)
        if end < len(haystack.folded):  # a head of the page
            if len(self.prefixes) == 1:
                return haystack.offsets_before(self.prefixes[0], end)
            return sorted([at for p in self.prefixes for at in haystack.offsets_before(p, end)])
        # the whole text: every occurrence ends by `end`; and no two prefixes, none the start of
        # another (`nlp/leading.prefixes`), occur at one offset
        if len(self.prefixes) == 1:
            return list(haystack.offsets(self.prefixes[0]))
        if self._prefix_set <= haystack.universe:  # all looked up at once: only the present ones
            found = haystack._offsets
            return sorted([at for p in self._prefix_set.intersection(haystack.present) for at in found[p]])
        return sorted([at for p in self.prefixes for at in haystack.offsets(p)])

    def _tail_rules_out(self, text: str, haystack: Haystack) -> bool:
        """True when the pattern's tail (`needle_tail`) is known and matches at no occurrence of
        its needle in `text` (no match then); asked only of a pattern with no known starts."""
        if self._tail is False:
            self._tail = needle_tail(self.regex, self.needles)
        if not isinstance(self._tail, tuple):
            return False
        needle, tail = self._tail
        end = len(text)
        found = haystack.offsets(needle) if end >= len(haystack.folded) else haystack.offsets_before(needle, end)
        match = tail.match
        return all(match(text, at) is None for at in found)

    def may_match(self, text: str, haystack: Haystack | None = None) -> bool:
        """False only when no match is possible in `text`."""
        if not self.needles:
            return True
        haystack = self._haystack(text, haystack)
        end = len(text)
        if end < len(haystack.folded):
            return any(haystack.has(n, end) for n in self.needles)
        if self.needle_set <= haystack.universe:  # all looked up at once
            return not self.needle_set.isdisjoint(haystack.present)
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
        needles = self.needle_set
        if needles and len(text) >= len(haystack.folded) and needles <= haystack.universe:
            if needles.isdisjoint(haystack.present):  # `may_match` inlined: asked of every pattern
                return 0
        elif not self.may_match(text, haystack):
            return 0
        starts = self.starts(text, haystack)
        if starts is None:
            if self._tail_rules_out(text, haystack):
                return 0
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
            if self._tail_rules_out(text, haystack):
                return False
            return self.regex.search(text) is not None
        return matches_at(self.regex, text, starts)
