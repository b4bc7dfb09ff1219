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
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cache
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from claimaudit.nlp.leading import matches_at, prefixes
from claimaudit.nlp.literal_trie import Literals, gate_starts, occurrences
from claimaudit.nlp.prefilter import fold, needles


_NO_LITERALS: frozenset[str] = frozenset()  # the universe of a haystack without a literal pass


class Haystack:
    """A text's folded form (`nlp/prefilter.fold`, same offsets), with the offsets of each
    literal looked up once: a page's patterns share many of their literals. `literals`: the
    patterns' literals, whose presence is then found in one pass (`Literals`)."""

    __slots__ = ("text", "folded", "_offsets", "_has", "_lines", "present", "universe", "_word_offsets")

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
        self.universe: frozenset[str] = _NO_LITERALS if literals is None else literals.universe
        self._has: dict[str, bool] = {}  # literals out of `universe` -> whether they occur
        self._word_offsets: dict[str, list[int]] = {}  # see `word_offsets`

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

    def word_offsets(self, literal: str) -> list[int]:
        """The offsets of `offsets(literal)` not right after an ASCII letter, digit or "_" of
        the folded text, found by one regex scan (`_word_start_gate`): where a pattern that
        begins with `\\b` and then `literal` (which begins with one of those) may match. (A
        character folds to one of those only if it is a word character itself.)"""
        found = self._word_offsets.get(literal)
        if found is None:
            known = self._offsets.get(literal)
            if known is not None and not known:
                found = known
            else:
                found = list(gate_starts(_word_start_gate(literal).search, self.folded))  # (overlapping ones too)
            self._word_offsets[literal] = found
        return found

    def offsets_before(self, literal: str, end: int) -> list[int]:
        """The offsets of `literal` whose occurrence ends by `end`: a page's head is searched
        alone, unless the whole page's offsets are known."""
        found = self._offsets.get(literal)
        last = end - len(literal)
        if found is None and (literal in self.universe or self._has.get(literal) is False):
            return []  # absent: a present one of `universe` has its offsets
        if found is not None or end >= len(self.folded):
            found = self.offsets(literal) if found is None else found
            return found[: bisect_right(found, last)]  # (sorted)
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


@cache
def _word_start_gate(literal: str) -> re.Pattern[str]:
    """`literal` where no ASCII word character comes right before it: the literal first, so
    that the regex engine looks for it as fast as `str.find` does, then a look back."""
    escaped = re.escape(literal)
    return re.compile(f"{escaped}(?<![0-9A-Za-z_]{escaped})")


def starts_at_word(regex: re.Pattern[str], prefixes: Sequence[str]) -> bool:
    """Every match of `regex` starts at a word boundary (its first item is `\\b`, Unicode
    word characters) with one of `prefixes`, each beginning with an ASCII letter, digit or
    "_": no match starts right after a word character."""
    if regex.flags & re.ASCII or not all(p[:1].isascii() and (p[:1].isalnum() or p[:1] == "_") for p in prefixes):
        return False
    return _first_item(regex) == (sre.AT, sre.AT_BOUNDARY)


def _first_item(regex: re.Pattern[str]) -> object:
    """The first item of the pattern's top-level sequence (None when it has none)."""
    try:
        tree = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError, TypeError):  # pragma: no cover - compiled patterns parse
        return None
    return tree[0] if len(tree) > 0 else None


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
    return _first_item(regex) == (sre.AT, sre.AT_BEGINNING)


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

    __slots__ = ("regex", "prefixes", "needles", "at_lines", "needle_set", "_prefix_set", "_tail", "_at_word")

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
        # matches start at a word start: a prefix the page's single pass did not look up is
        # found only there (`Haystack.word_offsets`), not inside words ("at" in "that")
        self._at_word = found is not None and starts_at_word(regex, found)

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

    def start_lists(self, text: str, haystack: Haystack) -> list[list[int]] | None:
        """`starts`, not merged: one sorted list of offsets per prefix that occurs (none
        empty), or None when the pattern has no known prefixes. For a caller to whom the order
        of the starts does not matter, or who sorts only the few that match."""
        if self.prefixes is None:
            return None
        end = len(text)
        if end < len(haystack.folded):  # a head of the page
            lists = [haystack.offsets_before(p, end) for p in self.prefixes]
        elif self._prefix_set <= haystack.universe:  # all looked up at once: only the present ones
            found = haystack._offsets
            return [found[p] for p in self._prefix_set.intersection(haystack.present)]
        elif self._at_word:
            universe = haystack.universe
            lists = [haystack.offsets(p) if p in universe else haystack.word_offsets(p) for p in self.prefixes]
        else:
            lists = [haystack.offsets(p) for p in self.prefixes]
        return [offsets for offsets in lists if offsets]

    def prefixes_within(self, universe: frozenset[str]) -> bool:
        """Are all the pattern's prefixes in `universe` (a haystack's literals looked up at
        once)? Then `count_present` counts it."""
        return self.prefixes is not None and self._prefix_set <= universe

    def count_present(self, text: str, haystack: Haystack, limit: int | None = None) -> int:
        """`count(text, haystack, limit)` for a whole text (`haystack.text`) whose haystack
        looked up every prefix at once (`prefixes_within(haystack.universe)`): the starts are
        the offsets of the prefixes present."""
        found = haystack._offsets
        return count_at(self.regex.match, text, [found[p] for p in self._prefix_set.intersection(haystack.present)], limit)

    def count(self, text: str, haystack: Haystack | None = None, limit: int | None = None) -> int:
        """`len(self.regex.findall(text))`, or `min(that, limit)`: counting stops at `limit`."""
        haystack = self._haystack(text, haystack)
        needles = self.needle_set
        if needles and len(text) >= len(haystack.folded) and needles <= haystack.universe:
            if needles.isdisjoint(haystack.present):  # `may_match` inlined: asked of every pattern
                return 0
        elif not self.may_match(text, haystack):
            return 0
        lists = self.start_lists(text, haystack)
        if lists is not None:
            return count_at(self.regex.match, text, lists, limit)
        starts = self.starts(text, haystack)
        if starts is None:
            if self._tail_rules_out(text, haystack):
                return 0
            if limit is None:
                return len(self.regex.findall(text))
            return sum(1 for _ in zip(range(limit), self.regex.finditer(text)))
        return count_at(self.regex.match, text, [starts], limit)

    def exists(self, text: str, haystack: Haystack | None = None) -> bool:
        """`bool(self.regex.search(text))`."""
        haystack = self._haystack(text, haystack)
        if not self.may_match(text, haystack):
            return False
        lists = self.start_lists(text, haystack)
        if lists is not None:  # the order of the starts does not matter: any match will do
            return any(matches_at(self.regex, text, offsets) for offsets in lists)
        starts = self.starts(text, haystack)
        if starts is None:
            if self._tail_rules_out(text, haystack):
                return False
            return self.regex.search(text) is not None
        return matches_at(self.regex, text, starts)


def count_at(match: Callable[[str, int], re.Match[str] | None], text: str, lists: Sequence[Sequence[int]], limit: int | None = None) -> int:
    """How many matches `findall` finds in `text` (at most `limit`), when every match starts
    at an offset of `lists` (each sorted; together a superset of the starts, as
    `Anchored.start_lists` gives). `findall` takes the leftmost match at or after the end of
    the previous one: only the offsets where `match` succeeds decide, so with several lists
    the matches are found in any order and only they are sorted (the offsets are many, the
    matches few); with `limit` 1, any match answers."""
    if len(lists) == 1:
        found, position = 0, 0
        for start in lists[0]:
            if start < position:
                continue
            hit = match(text, start)
            if hit is not None:
                found += 1
                if found == limit:
                    break
                position = hit.end() if hit.end() > start else start + 1
        return found
    hits: list[tuple[int, int]] = []
    for offsets in lists:
        for start in offsets:
            hit = match(text, start)
            if hit is not None:
                if limit == 1:
                    return 1
                hits.append((start, hit.end()))
    if len(hits) < 2:
        return len(hits)
    hits.sort()
    found, position = 0, 0
    for start, end in hits:
        if start < position:
            continue
        found += 1
        if found == limit:
            break
        position = end if end > start else start + 1
    return found
