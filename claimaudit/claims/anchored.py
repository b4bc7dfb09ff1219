"""Whole-page regex counts and tests, tried only where a match can start.

Python's `re` tries a pattern such as `\\b(?:book|schedule)\\s+...` (case-insensitive) at every
position of a page. Most such patterns can only start with one of a few literal strings
("book", "schedule"): `Anchored` reads the pattern's syntax tree once for that set of
prefixes, finds their occurrences in the page's folded text (`nlp/prefilter.fold`, which keeps
every offset; a `Haystack` finds the literals of all a page's patterns in one trie pass,
`Literals`), and tries the pattern only there (a multi-line `^` pattern only at line starts). `count` is
`len(pattern.findall(text))` and `exists` is `bool(pattern.search(text))`, always: `findall`
takes the leftmost match at or after the end of the previous one, and no match can start
anywhere but at a prefix occurrence. Before that, the literal prefilter's needles
(`nlp/prefilter.needles`) rule out a page that holds none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import numpy

from claimaudit.nlp.leading import prefixes
from claimaudit.nlp.prefilter import fold, needles
from claimaudit.nlp.analysis_cache import compiled

class Literals:
    """The needles of a set of patterns, found in a text in one regex pass: a trie of them
    behind a lookahead finds, at each offset, the longest one that starts there, and every
    literal that starts there is a prefix of that one. Far cheaper than one `in` per literal on
    a whole page. (Not their prefixes: short ones, "at", "we", stand too often in a page.) The
    trie is tried only at the offsets `GramStarts` gives, when the literals allow it."""

    __slots__ = ("regex", "literals", "prefixes_of", "universe", "_grams", "_grams_built")

    def __init__(self, patterns: Iterable["Anchored"], extra: Iterable[str] = ()) -> None:
        """`extra`: more literals to find in the same pass."""
        found: set[str] = set(extra)
        for pattern in patterns:
            found.update(pattern.needles)
        from claimaudit.rules._pattern_table import literal_gate

        self.literals = tuple(sorted(literal for literal in found if literal))
        trie = literal_gate(self.literals, longest=True)
        self.regex = compiled(f"(?=({trie.pattern}))") if trie is not None else None
        self.prefixes_of = {
            literal: tuple(p for p in self.literals if literal.startswith(p)) for literal in self.literals
        }
        self.universe = frozenset(self.literals)
        self._grams: GramStarts | None = None
        self._grams_built = False  # `grams` is built when first needed

    @property
    def grams(self) -> "GramStarts | None":
        """The literals' `GramStarts` (a 1.5 MB table for a page's): built for the first text
        searched, not for a set of literals only asked for its `universe`."""
        if not self._grams_built:
            self._grams, self._grams_built = GramStarts.of(self.literals), True
        return self._grams

    @grams.setter
    def grams(self, value: "GramStarts | None") -> None:
        self._grams, self._grams_built = value, True

    def offsets(self, folded: str) -> dict[str, list[int]]:
        """Each literal that occurs in `folded` -> the offsets where it does, in order."""
        found: dict[str, list[int]] = {}
        if self.regex is None:
            return found
        grams = self.grams
        starts = grams.candidates(folded) if grams is not None else None
        if starts is None:  # every offset where a literal starts (matched again below)
            starts = [hit.start() for hit in self.regex.finditer(folded)]
        # else the trie is tried only where a literal may start, not at every offset
        prefixes_of, get, match = self.prefixes_of, found.get, self.regex.match
        for at in starts:
            hit = match(folded, at)
            if hit is None:
                continue
            for literal in prefixes_of[hit[1]]:  # the longest literal starting there, and its prefixes
                listed = get(literal)
                if listed is None:
                    found[literal] = [at]
                else:
                    listed.append(at)
        return found


class GramStarts:
    """The offsets of a text where one of a set of ASCII literals (3 characters or more) may
    start, found with array operations: those where the text's next 3 characters are a
    3-character literal, or its next 4 the first 4 of a longer one (a superset of where one
    starts). Characters are numbered within the literals' alphabet (any other is 0), so a
    3- or 4-gram is an index into a table of booleans. A text read as bytes (`table`) is read
    4 bytes at a time, each 4 as one number (a view of the bytes, no arithmetic), hashed into
    a small table that holds every 4-byte start of a literal (a 3-character literal followed
    by any byte): a few more candidates where two numbers hash alike."""

    __slots__ = ("size", "codes", "three", "four", "table", "hashed")

    MAX_ALPHABET = 48  # the 4-gram table has (alphabet + 1) ** 4 entries
    HASH_BITS = 18  # the hashed table's size: 2 ** 18 entries
    _MULTIPLIER = 2654435761  # Knuth's multiplicative hash (mod 2 ** 32)

    def __init__(self, literals: Sequence[str], alphabet: Sequence[str]) -> None:
        self.size = size = len(alphabet) + 1
        self.codes = numpy.zeros(128, dtype=numpy.int32)  # code point (ASCII) -> number (keys fit: 49 ** 4 < 2 ** 31)
        for number, char in enumerate(alphabet, 1):
            self.codes[ord(char)] = number
        # byte -> number, for a text read as ASCII with "?" for any other character: None when
        # "?" is in the alphabet (such a text is read as UTF-32, with the exact 3- and 4-gram
        # tables; else the hashed one)
        self.table = None if "?" in alphabet else bytes(self.codes.tolist()) + bytes(128)
        self.three = self.four = self.hashed = numpy.zeros(0, dtype=bool)
        if self.table is None:
            self.three = numpy.zeros(size**3, dtype=bool)
            self.four = numpy.zeros(size**4, dtype=bool)
            for literal in literals:
                key = 0
                for char in literal[:4]:
                    key = key * size + int(self.codes[ord(char)])
                (self.three if len(literal) == 3 else self.four)[key] = True
            return
        self.hashed = numpy.zeros(1 << self.HASH_BITS, dtype=bool)
        for literal in literals:
            numbers = [int(self.codes[ord(char)]) for char in literal[:4]]
            for last in range(size) if len(literal) == 3 else (numbers.pop(),):
                word = numbers[0] | numbers[1] << 8 | numbers[2] << 16 | last << 24  # little-endian
                self.hashed[((word * self._MULTIPLIER) & 0xFFFFFFFF) >> (32 - self.HASH_BITS)] = True

    @classmethod
    def of(cls, literals: Sequence[str]) -> "GramStarts | None":
        """None when the literals do not fit (shorter than 3, not ASCII, too many characters)."""
        alphabet = sorted({char for literal in literals for char in literal})
        if (
            not literals
            or any(len(literal) < 3 for literal in literals)
            or any(not ("\x00" < char < "\x7f") for char in alphabet)
            or len(alphabet) > cls.MAX_ALPHABET
        ):
            return None
        return cls(literals, alphabet)

    WINDOW = 1 << 18  # characters read at once, so a long text's arrays stay small

    def candidates(self, text: str, window: int = WINDOW) -> list[int] | None:
        """Sorted offsets where a literal may start, read `window` starts at a time; None when
        the text cannot be read so (lone surrogates, when "?" is in the literals' alphabet)."""
        found: list[int] = []
        for start in range(0, max(len(text) - 2, 0), window):
            starts = self._window_candidates(text[start : start + window + 3], window)
            if starts is None:
                return None
            found.extend(starts if start == 0 else [start + offset for offset in starts])
        return found

    def _window_candidates(self, text: str, window: int) -> list[int] | None:
        """`candidates` among the first `window` starts of `text` (the 3 characters after them
        are there for the 4-grams)."""
        if self.table is not None:  # one byte a character, numbered by `bytes.translate`
            if len(text) < 3:
                return []
            numbers = text.encode("ascii", "replace").translate(self.table) + bytes(3)
            # each offset's 4 bytes as one number (3 zero bytes, no literal's character, end the text)
            words = numpy.ndarray((len(text) - 2,), dtype="<u4", buffer=numbers, strides=(1,))
            hashes = (words * numpy.uint32(self._MULTIPLIER)) >> numpy.uint32(32 - self.HASH_BITS)
            return numpy.flatnonzero(self.hashed[hashes[:window]]).tolist()
        try:
            points = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        except UnicodeEncodeError:
            return None
        codes = self.codes[numpy.minimum(points, 127)]  # 127 (DEL) is in no literal: 0
        size = self.size
        keys = (codes[:-2] * size + codes[1:-1]) * size + codes[2:]
        hits = self.three[keys]
        if len(text) >= 4:
            hits[:-1] |= self.four[keys[:-1] * size + codes[3:]]
        return numpy.flatnonzero(hits[:window]).tolist()


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
                at = self.folded.find(literal)
                while at >= 0:
                    found.append(at)
                    at = self.folded.find(literal, at + 1)
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
        found, find = [], self.folded.find
        at = find(literal, 0, end)
        while at >= 0:
            found.append(at)
            at = find(literal, at + 1, end)
        return found

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
        match = self.regex.match
        return any(match(text, start) is not None for start in starts)
