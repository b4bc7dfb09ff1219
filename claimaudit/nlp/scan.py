"""Exact shortcuts for running a regular expression over a whole document.

`re.finditer` tries the pattern at every position of the text. When every match must start
with one of a few literals, `LiteralStarts` looks the literals up in the lower-cased text
(`str.find`, C speed) and tries the pattern only there: the same matches, in the same order.
`lower_text` gives the lower-cased text only when it lines up character by character with
what `re.IGNORECASE` matches against ASCII literals (same length, same word/space/digit
classes: tests/nlp/test_scan.py checks every code point); otherwise the callers scan as before.
`anchored_pieces` gives the stretches of a text a pattern can match in, for patterns that never
cross certain characters and always hold some anchor (quantities, author-year citations).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterable, Iterator

from re import _constants as _sre  # type: ignore[attr-defined]  # the parser of `re`
from re import _parser as _sre_parse  # type: ignore[attr-defined]

from typing import Any

from spacy.tokens import Doc

from claimaudit.nlp.analysis_cache import cached, compiled
from claimaudit.nlp.literal_trie import GramStarts, Literals, occurrences
from claimaudit.nlp.prefilter import has_odd_characters
from claimaudit.nlp.spans import doc_text


LOWER_KEY = "claimaudit.lower_text"



def lower_text(doc: Doc) -> str | None:
    """The doc's text lower-cased, or None when a position of it could match an ASCII literal
    under `re.IGNORECASE` and differ from that literal in the lower-cased text. Kept per doc."""
    if LOWER_KEY not in doc.user_data:
        text = doc_text(doc)
        lowered = text.lower()
        doc.user_data[LOWER_KEY] = lowered if is_exact_lower(text, lowered) else None
    found: str | None = doc.user_data[LOWER_KEY]
    return found


def is_exact_lower(text: str, lowered: str) -> bool:
    """`lowered` (`text.lower()`) has an ASCII letter where, and only where, the text has a
    character `re.IGNORECASE` matches with that letter."""
    return len(lowered) == len(text) and not has_odd_characters(text)  # see prefilter.ODD_CHARACTERS


_CLASS_ESCAPES = frozenset("bBdDsSwWAZ")  # escapes whose meaning IGNORECASE leaves alone


def lowered_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """For an IGNORECASE pattern whose cased characters are ASCII letters: the pattern with
    those lower-cased and without IGNORECASE. Run on an exact lower-cased text (`lower_text`)
    it matches where the pattern matches in the text, at the same offsets (no case-insensitive
    comparison: faster). None for any other pattern (inline flags, other escapes, a cased
    non-ASCII character such as "µ", which IGNORECASE also matches with "μ")."""
    source = pattern.pattern
    if not isinstance(source, str) or not pattern.flags & re.IGNORECASE:
        return None
    found = _lowered_source(source)
    if found is None or not _lowerable_parse(source, pattern.flags):
        return None
    try:
        lowered = compiled(found, pattern.flags & ~re.IGNORECASE)  # (its program kept between runs)
    except re.error:
        return None
    return lowered if lowered.groupindex == pattern.groupindex else None


def _lowerable_parse(source: str, flags: int) -> bool:
    """The parse of `source` holds nothing whose IGNORECASE matches a lower-cased text could
    tell apart once its ASCII letters are lower-cased: no backreference, no inline flag group,
    no cased non-ASCII character, no range over letters and other characters. The check, on
    the pattern's structure, behind `_lowered_source`'s quick scan of its text."""
    try:
        return _lowerable(_sre_parse.parse(source, flags).data)
    except re.error:
        return False


_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name))


def _lowerable(items: Iterable[tuple[Any, Any]]) -> bool:
    for op, value in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            char = chr(value)
            if not char.isascii() and char.lower() + char.upper() != char + char:
                return False  # IGNORECASE matches it with other characters ("µ" with "μ")
        elif op is _sre.RANGE:
            if not _plain_range(chr(value[0]), chr(value[1])):
                return False
        elif op is _sre.IN:
            if not _lowerable(value):
                return False
        elif op is _sre.BRANCH:
            if not all(_lowerable(branch) for branch in value[1]):
                return False
        elif op in _REPEATS:
            if not _lowerable(value[2]):
                return False
        elif op is _sre.SUBPATTERN:
            if value[1] or value[2] or not _lowerable(value[3]):
                return False  # (inline flags: "(?s-i:...)")
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            if not _lowerable(value[1]):
                return False
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            if not _lowerable(value):
                return False
        elif op not in (_sre.AT, _sre.CATEGORY, _sre.ANY, _sre.NEGATE):
            return False  # a backreference ("σΣ": IGNORECASE compares σ, lower() writes ς), anything else
    return True


def _lowered_source(source: str) -> str | None:
    """`source` with its ASCII letters lower-cased, or None when that could change what it
    matches in a lower-cased text (see `lowered_pattern`)."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            escaped = source[index + 1 : index + 2]
            if escaped.isalnum() and escaped not in _CLASS_ESCAPES:
                return None  # \x41, \N{...}, a group reference ...
            out.append(source[index : index + 2])
            index += 2
            continue
        if in_class:
            if char == "]" and not source.startswith("[", index - 1) and not source.startswith("[^", index - 2):
                in_class = False
            elif source.startswith("-", index + 1) and not source.startswith("-]", index + 1):
                last = source[index + 2 : index + 3]  # a range ("A-Z")
                if last == "\\" or not _plain_range(char, last):
                    return None
        elif char == "[":
            in_class = True
        elif source.startswith("(?P", index):
            out.append("(?P")  # a named group (its name is lower-cased too: `lowered_pattern` refuses a changed one)
            index += 3
            continue
        elif source.startswith("(?", index) and source[index + 2 : index + 3] not in (":", "=", "!", "<"):
            return None  # inline flags "(?i)", "(?-i:...)"
        elif source.startswith("(?<", index) and source[index + 3 : index + 4] not in ("=", "!"):
            return None  # a named group spelled "(?<name>"
        if not char.isascii() and char.lower() + char.upper() != char + char:
            return None  # IGNORECASE matches it with other characters ("µ" with "μ")
        out.append(char.lower())
        index += 1
    return "".join(out)


def _plain_range(low: str, high: str) -> bool:
    """The character range low-high, lower-cased, matches in a lower-cased text where it matches
    with IGNORECASE in the text: ASCII letters of one case ("A-Z"), or ASCII characters with no
    letter between ("0-9")."""
    if not (low.isascii() and high.isascii()):
        return False
    if low.isalpha() and high.isalpha():
        return low.isupper() == high.isupper()
    return not any(c.isalpha() for c in map(chr, range(ord(low), ord(high) + 1)))


def start_literals(pattern: re.Pattern[str], min_length: int = 3) -> tuple[str, ...] | None:
    """Lower-cased ASCII literals one of which every match of the pattern starts with, or None
    when the pattern does not start with such a literal of at least `min_length` characters.
    (Answers are kept in the pattern cache.)"""
    if not isinstance(pattern.pattern, str):
        return _start_literals(pattern, min_length)
    return cached(f"start literals {min_length}", pattern.pattern, pattern.flags, lambda: _start_literals(pattern, min_length))


def _start_literals(pattern: re.Pattern[str], min_length: int) -> tuple[str, ...] | None:
    found = _starts(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    if not found or any(len(s) < min_length or not s.isascii() for s in found):
        return None
    return tuple(sorted(found))


def _starts(items: list[tuple[object, object]]) -> set[str] | None:
    """The literal prefixes of a parsed pattern (a sequence of `re` parser items), or None."""
    for index, (op, av) in enumerate(items):
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width: the match starts with what follows
        if op is _sre.LITERAL:
            run = []
            for next_op, next_av in items[index:]:
                if next_op is not _sre.LITERAL:
                    break
                run.append(chr(next_av))  # type: ignore[arg-type]
            return {"".join(run).lower()}
        if op is _sre.SUBPATTERN:
            return _starts(list(av[-1]))  # type: ignore[index]
        if op is _sre.BRANCH:
            union: set[str] = set()
            for branch in av[1]:  # type: ignore[index]
                starts = _starts(list(branch))
                if not starts:
                    return None
                union |= starts
            return union
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:  # type: ignore[index]
            return _starts(list(av[2]))  # type: ignore[index]
        return None
    return None


def literal_positions(lowered: str, literals: Iterable[str]) -> list[int]:
    """Sorted start positions of every occurrence (overlapping too) of the literals."""
    positions: set[int] = set()
    for literal in literals:
        positions.update(occurrences(lowered, literal))
    return sorted(positions)


# Literals looked up in whole pages (`page_literal_positions`): the number and fraction words of
# the quantities, the start literals of the cue, modifier, frame and citation patterns. A page's
# lower-cased text is searched for all of them in one pass (`literal_trie.Literals`: a table of
# 3- and 4-grams, then a trie where one may start) rather than by one `str.find` loop per literal.
_PAGE_LITERALS: set[str] = set()
_page_pass: Literals | None = None  # the pass for the literals registered so far, once built
_last_page: tuple[str, dict[str, list[int]]] | None = None  # a page text and its literals' offsets
_OTHERS: dict[frozenset[str], frozenset[str]] = {}  # shared literals -> the other shared ones (`last_page_offsets`)


def share_page_literals(literals: Iterable[str]) -> None:
    """Have `page_literal_positions` find these literals in the one pass over each page: ASCII
    literals of 3 characters or more, as the gram table takes (others are left to `str.find`)."""
    global _last_page, _page_pass
    new = set(literals) - _PAGE_LITERALS
    if not new or any(len(literal) < 3 or not all("\x00" < char < "\x7f" for char in literal) for literal in new):
        return
    if len({char for literal in _PAGE_LITERALS | new for char in literal}) > GramStarts.MAX_ALPHABET:
        return
    _PAGE_LITERALS.update(new)
    _OTHERS.clear()
    _page_pass = None
    _last_page = None


def page_literal_positions(lowered: str, literals: Iterable[str]) -> list[int]:
    """`literal_positions(lowered, literals)`, for a whole page's lower-cased text (`lower_text`):
    the offsets of every literal shared by `share_page_literals` come from one pass over the
    page for all of them, kept for the last page asked about (the components ask in turn)."""
    wanted = tuple(literals)
    if not all(literal in _PAGE_LITERALS for literal in wanted):
        return literal_positions(lowered, wanted)
    global _last_page
    last = _last_page
    if last is not None and last[0] is lowered:
        offsets = last[1]
    else:
        offsets = _page_offsets(lowered)
        _last_page = (lowered, offsets)
    if len(wanted) == 1:
        return list(offsets.get(wanted[0], ()))
    return sorted({position for literal in wanted for position in offsets.get(literal, ())})


def last_page_offsets(lowered: str, literals: frozenset[str]) -> dict[str, list[int]] | None:
    """The offsets of the `literals` that occur in the last page `page_literal_positions` scanned
    (each literal -> its offsets, in order: the pass's own lists, to read only), when that page's
    lower-cased text is `lowered` and every one of `literals` is shared (`share_page_literals`);
    None otherwise (no new scan). Lets claim extraction's page scan reuse the components' pass."""
    last = _last_page
    if last is None or (last[0] is not lowered and last[0] != lowered):
        return None
    others = _OTHERS.get(literals)
    if others is None:
        if not literals <= _PAGE_LITERALS:
            return None
        others = _OTHERS[literals] = frozenset(_PAGE_LITERALS - literals)
    found = dict(last[1])
    for literal in others:
        found.pop(literal, None)
    return found


def _page_offsets(lowered: str) -> dict[str, list[int]]:
    """Each shared literal occurring in `lowered` -> its offsets, in order (overlapping too)."""
    global _page_pass
    page_pass = _page_pass  # (read once: another thread may register literals meanwhile)
    if page_pass is None:
        page_pass = _page_pass = Literals((), extra=sorted(_PAGE_LITERALS))
    return page_pass.offsets(lowered)


class Stretches:
    """Sorted, disjoint (start, end) stretches of a text joined by NUL, for searching several
    sets of literals in them (`Stretches.literal_positions`) with one join."""

    def __init__(self, text: str, stretches: list[tuple[int, int]]) -> None:
        self.joined = "\0".join(text[start:end] for start, end in stretches)
        self.offsets: list[int] = []
        self.shifts: list[int] = []
        position = 0
        for start, end in stretches:
            self.offsets.append(position)
            self.shifts.append(start - position)
            position += end - start + 1

    def literal_positions(self, literals: Iterable[str]) -> list[int]:
        """Positions in the text of the occurrences of the literals inside the stretches."""
        if not self.offsets:
            return []
        offsets, shifts = self.offsets, self.shifts
        return [p + shifts[bisect.bisect_right(offsets, p) - 1] for p in literal_positions(self.joined, literals)]


def finditer_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int], keep: Callable[[re.Match[str]], bool] | None = None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` when every match starts at one of the sorted `starts`: the
    pattern is tried only there, each match resuming the scan at its end as finditer does.
    With `keep`: `finditer_kept(pattern, text, keep)` under the same condition."""
    position = 0
    match = pattern.match
    for start in starts:
        if start < position:
            continue
        found = match(text, start)
        if found is not None and found.end() > start and (keep is None or keep(found)):
            yield found
            position = found.end()


def finditer_kept(
    pattern: re.Pattern[str], text: str, keep: Callable[[re.Match[str]], bool], pos: int = 0, endpos: int = sys.maxsize
) -> Iterator[re.Match[str]]:
    """The non-empty matches `pattern.finditer(text, pos, endpos)` would give if the pattern
    matched only where `keep` accepts the match it finds at a position: a rejected match moves
    the search on by one character, not past its end."""
    search = pattern.search
    found = search(text, pos, endpos)
    while found is not None:
        start, end = found.span()
        if end > start and keep(found):
            yield found
            found = search(text, end, endpos)
        else:
            found = search(text, start + 1, endpos)


class LiteralStarts:
    """A compiled pattern with the literals its matches start with (None: scan the text),
    tried only where one of their shared prefixes (`shared_prefixes`) occurs."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.literals = start_literals(pattern)
        self.prefixes = shared_prefixes(self.literals) if self.literals else None
        if self.prefixes is not None:
            share_page_literals(self.prefixes)

    def finditer(self, text: str, lowered: str | None) -> Iterator[re.Match[str]]:
        """`self.pattern.finditer(text)` for a whole page's text; `lowered` is `text.lower()` if
        exact, else None."""
        if self.prefixes is None or lowered is None:
            return self.pattern.finditer(text)
        return finditer_at(self.pattern, text, page_literal_positions(lowered, self.prefixes))


MIN_SHARED = 4  # literals sharing a prefix this long are looked up by it, in one search


def shared_prefixes(literals: Iterable[str]) -> tuple[str, ...]:
    """Strings whose occurrences start wherever one of the literals does: the literals, those
    sharing a prefix of MIN_SHARED characters or more replaced by their longest shared one
    ("study", "studies": "stud"). Fewer searches of the text; a few more places to try."""
    found: list[str] = []
    for literal in sorted(literals):
        if found:
            shared = _common_prefix(found[-1], literal)
            if len(shared) >= MIN_SHARED:
                found[-1] = shared
                continue
        found.append(literal)
    return tuple(found)


def _common_prefix(first: str, second: str) -> str:
    size = 0
    for a, b in zip(first, second):
        if a != b:
            break
        size += 1
    return first[:size]


def anchored_pieces(
    text: str, cut: re.Pattern[str], anchor: re.Pattern[str], merge_gap: int = 8
) -> list[tuple[int, int]]:
    """(start, end) stretches covering every piece of the text that holds an `anchor` match,
    where pieces are what lies between characters matched by `cut` (one character each, no
    context). Each stretch ends at a cut character or the end of the text.

    Exact for a pattern that never consumes nor looks ahead into a cut character (non-word
    characters only) and whose every match holds an anchor match made of no cut character:
    `pattern.finditer(text, start, end)` over the stretches finds what `finditer` finds."""
    stretches: list[tuple[int, int]] = []
    reversed_text = ""
    size = len(text)
    end = -1
    for found in anchor.finditer(text):
        position = found.start()
        if position < end:
            continue
        after = cut.search(text, position)
        end = after.start() if after else size
        if not reversed_text:
            reversed_text = text[::-1]
        before = cut.search(reversed_text, size - position)
        start = size - before.start() if before else 0
        if stretches and start - stretches[-1][1] <= merge_gap:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches
