"""Literal scans: which literals of a fixed set occur in a text, and where.

A set of literals is searched as one regex shaped as a trie (`literal_gate`, `literal_source`):
the regex engine tries each character once per position instead of each literal in turn. Two
scans build on the trie that matches, at an offset, the longest literal starting there
(`LiteralTrie`); every literal of the set that this one starts with starts there too (its
`prefixes_of` entry):

- `LiteralIndex`: which literals occur in a short text (a claim), one search loop;
- `Literals`: the offsets of every literal in a whole page, the trie behind a lookahead tried
  only where `GramStarts` says a literal may start.

`occurrences` is the plain `str.find` loop for one literal; `gate_starts` the offsets where a
short text holds one of a set (a `literal_gate` searched again after each).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

import numpy

from claimaudit.nlp.analysis_cache import cached, compiled


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every offset where `needle` starts in `haystack`, in order (overlapping ones too). A
    list, not an iterator: the callers keep the offsets, or test a few."""
    found: list[int] = []
    find = haystack.find
    at = find(needle)
    while at >= 0:
        found.append(at)
        at = find(needle, at + 1)
    return found


def gate_starts(search: Callable[[str, int], re.Match[str] | None], haystack: str) -> Iterator[int]:
    """Every offset where `search` (a `literal_gate`'s) finds a literal of its set starting
    in `haystack`, in order: the gate searched again from the offset after each one found (the
    regex engine skips, in one loop, the offsets whose character starts no literal)."""
    hit = search(haystack, 0)
    while hit is not None:
        at = hit.start()
        yield at
        hit = search(haystack, at + 1)


def literal_gate(literals: Iterable[str], *, longest: bool = False) -> re.Pattern[str] | None:
    """One regex that finds any of `literals` (as plain substrings), shaped as a trie so that
    the regex engine tries each character once per position: far cheaper than testing the
    literals one by one. None for no literal (nothing can be found). `longest`: at an offset,
    match the longest literal that starts there (not the shortest). (Literals fixed by the code
    or the knowledge base only: the program is kept in the pattern cache.)"""
    source = literal_source(literals, longest=longest)
    return None if source is None else compiled(source)


def literal_source(literals: Iterable[str], *, longest: bool = False) -> str | None:
    """The source of `literal_gate(literals, longest=longest)` (None for no literal); it
    depends on the set of literals only, so a set met before comes from the pattern cache."""
    unique = sorted(set(literals))
    if any("\0" in literal for literal in unique):
        return trie_source(unique, longest=longest)
    kind = "longest trie" if longest else "trie"
    return cached(kind, "\0".join(unique), len(unique), lambda: trie_source(unique, longest=longest))


def trie_source(literals: Iterable[str], *, longest: bool = False) -> str | None:
    """`literal_source`, built: the literals as a trie of nested alternations."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}  # a literal ends here
    if not trie:
        return None

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        if "" in node and not longest:
            return ""  # a shorter literal already ends here: the longer ones add nothing
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # the literal ending here, or a longer one

    return emit(trie)


class LiteralTrie:
    """A set of literals, sorted (`literals`, no empty one), with the source of the trie that
    matches at an offset the longest of them starting there (`source`, None for no literal),
    and each literal's prefixes in the set, itself included, shortest first (`prefixes_of`):
    where a literal starts, so do they."""

    __slots__ = ("literals", "source", "prefixes_of")

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals: tuple[str, ...] = tuple(sorted({literal for literal in literals if literal}))
        self.source = literal_source(self.literals, longest=True)
        members = set(self.literals)
        self.prefixes_of: dict[str, tuple[str, ...]] = {
            literal: tuple(literal[:n] for n in range(1, len(literal) + 1) if literal[:n] in members)
            for literal in self.literals
        }


class LiteralIndex(LiteralTrie):
    """Which literals of a fixed set occur in a text (as substrings), found in one scan: the
    same set as `{l for l in literals if l in text}`. The scan finds, at each position where
    one starts, the longest literal starting there (the trie searched again from the next
    position, so no literal hides another: the regex engine skips the positions whose
    character starts no literal in one loop); its prefixes are there too. For short texts: one
    index serves all the gates of a family."""

    __slots__ = ("_search", "_prefixes")

    def __init__(self, literals: Iterable[str]) -> None:
        super().__init__(literals)
        self._search = None if self.source is None else compiled(self.source).search
        self._prefixes = {literal: frozenset(found) for literal, found in self.prefixes_of.items()}

    def present(self, haystack: str) -> frozenset[str]:
        """The literals that occur in `haystack` (searched as is: fold it first)."""
        search = self._search
        if search is None:
            return frozenset()
        match = search(haystack)
        if match is None:
            return frozenset()
        prefixes = self._prefixes
        first = match.group()
        match = search(haystack, match.start() + 1)
        if match is None:
            return prefixes[first]  # (most texts: one literal, or one and its prefixes)
        found = set(prefixes[first])
        while match is not None:
            found.update(prefixes[match.group()])
            match = search(haystack, match.start() + 1)
        return frozenset(found)


class HasNeedles(Protocol):
    """A pattern with literals one of which is in every match (`claims.anchored.Anchored`)."""

    @property
    def needles(self) -> Sequence[str]: ...


class Literals(LiteralTrie):
    """The needles of a set of patterns, found in a text in one regex pass: the trie behind a
    lookahead finds, at each offset, the longest one that starts there, and every literal that
    starts there is a prefix of that one. Far cheaper than one `in` per literal on a whole page.
    (Not their prefixes: short ones, "at", "we", stand too often in a page.) The trie is tried
    only at the offsets `GramStarts` gives, when the literals allow it."""

    __slots__ = ("regex", "universe", "_grams", "_grams_built")

    def __init__(self, patterns: Iterable[HasNeedles], extra: Iterable[str] = ()) -> None:
        """`extra`: more literals to find in the same pass."""
        found: set[str] = set(extra)
        for pattern in patterns:
            found.update(pattern.needles)
        super().__init__(found)
        self.regex = compiled(f"(?=({self.source}))") if self.source is not None else None
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
            found: list[int] = self.hashed[hashes[:window]].nonzero()[0].tolist()  # (1-D: flatnonzero's answer, one call less)
            return found
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
        starts: list[int] = hits[:window].nonzero()[0].tolist()
        return starts
