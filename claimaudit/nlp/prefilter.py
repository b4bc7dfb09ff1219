"""A literal prefilter for compiled regular expressions: skip the regex when it cannot match.

Python's `re` tries a pattern such as `\\b(?:guaranteed|proven)\\b` (case-insensitive) at every
position of the text, and most of the rules' patterns match nothing in most claims. `fast(pattern)`
reads the pattern's syntax tree once and works out a set of literal strings of which any match
must contain at least one ("needles"). A call on a text that holds none of them (after case
folding) answers "no match" at once; any other call goes to the pattern itself, so the results are
always the pattern's own.

    GUARANTEE = fast(re.compile(r"\\bguaranteed?\\b", re.I))
    GUARANTEE.search(text)   # None straight away when "guarantee" is not in text.lower()

Folding: the text is lower-cased after mapping the four characters whose case-insensitive
match with an ASCII letter `str.lower` does not reproduce (dotted capital I, dotless i, long s,
Kelvin sign). Needles are ASCII only, lower-cased; a pattern whose needles would be shorter than
`MIN_NEEDLE` characters (or that has none) is returned unwrapped.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MIN_NEEDLE = 3  # shorter needles are found in nearly every text: not worth checking
MAX_SET = 64  # at most this many alternative strings are tracked for one piece of a pattern
MAX_CLASS = 8  # a character class of at most this many characters counts as alternatives

# Characters `re.IGNORECASE` equates with an ASCII letter although `str.lower` does not make
# them that letter (dotless i, long s, Kelvin sign), or that `str.lower` turns into more than
# one character (dotted capital I). nlp/scan.py relies on the same set.
ODD_CHARACTERS = ("\u0130", "\u0131", "\u017f", "\u212a")
_FOLD_EXTRA = str.maketrans(dict(zip(ODD_CHARACTERS, "iisk")))

_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


def has_odd_characters(text: str) -> bool:
    """`text` holds one of ODD_CHARACTERS."""
    return not text.isascii() and any(odd in text for odd in ODD_CHARACTERS)


def may_name_year(text: str) -> bool:
    """Whether `text` may write a year of 1900-2099: each starts with "19" or "20", which most
    sentences do not hold, so a year pattern need not be tried on them."""
    return "19" in text or "20" in text


def fold(text: str) -> str:
    """`text` lower-cased so that a case-insensitive ASCII match in it is a substring match here."""
    if text.isascii() or not has_odd_characters(text):  # (an ASCII text holds none: one call less)
        return text.lower()
    return text.translate(_FOLD_EXTRA).lower()


FOLD_CACHE_SIZE = 64  # folded texts kept (rules search one claim's text many times)
_fold_cache: dict[int, tuple[str, str]] = {}  # id(text): (text, folded); holding text keeps its id unique
_last: tuple[str, str] = ("", "")  # the last text folded and its folded form (one store: thread-safe)


def folded(text: str) -> str:
    """`fold(text)`, remembered for the last texts seen (by identity)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    entry = _fold_cache.get(id(text))
    if entry is None or entry[0] is not text:
        if len(_fold_cache) >= FOLD_CACHE_SIZE:
            _fold_cache.clear()
        entry = _fold_cache[id(text)] = (text, fold(text))
    _last = entry
    return entry[1]


def _hopeless(needles: tuple[str, ...], text: str) -> bool:
    """True when no needle is in the folded text (so no match); False without needles or a str."""
    if not needles:
        return False
    last = _last
    if last[0] is text:
        haystack = last[1]
    elif isinstance(text, str):
        haystack = folded(text)
    else:
        return False  # the pattern itself answers (and raises) for what is not a str
    for needle in needles:
        if needle in haystack:
            return False
    return True


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: all its strings (`exact`) and/or needles (`need`)."""

    exact: frozenset[str] | None
    need: frozenset[str] | None


_UNKNOWN = _Info(None, None)
_EMPTY = _Info(frozenset({""}), None)


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which every match of `pattern` contains, or None."""
    if not isinstance(pattern.pattern, str):
        return None
    return _needles_of(pattern.pattern, pattern.flags)


def _needles_of(source: str, flags: int) -> frozenset[str] | None:
    """The needles of a pattern source, remembered between runs (`nlp/analysis_cache.py`)."""
    from claimaudit.nlp.analysis_cache import cached

    return cached("needles", source, flags, lambda: _analyse(source, flags))


def _analyse(source: str, flags: int) -> frozenset[str] | None:
    try:
        tree = sre_parse.parse(source, flags)
    except (re.error, RecursionError, TypeError):
        return None  # the pattern's own error shows when it is compiled
    info = _sequence(list(tree))
    need = _best(info.need, info.exact)
    if need is None or min(len(n) for n in need) < MIN_NEEDLE:
        return None
    return _minimal(need)


def _minimal(found: frozenset[str]) -> frozenset[str]:
    """Drop needles that contain a shorter one: finding the shorter one is enough."""
    ordered = sorted(found, key=len)
    kept: list[str] = []
    for candidate in ordered:
        if not any(k in candidate for k in kept):
            kept.append(candidate)
    return frozenset(kept)


def _best(*candidates: frozenset[str] | None) -> frozenset[str] | None:
    """The most selective usable needle set: longest shortest needle, then fewest needles."""
    usable = [c for c in candidates if c and "" not in c and len(c) <= MAX_SET]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(n) for n in c), -len(c)))


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > MAX_SET:
        return None
    return frozenset(a + b for a in left for b in right)


def _sequence(items: list[tuple[Any, Any]]) -> _Info:
    """Concatenation: runs of exactly known pieces join into longer literals."""
    need: frozenset[str] | None = None
    run: frozenset[str] | None = frozenset({""})
    whole: frozenset[str] | None = frozenset({""})
    for op, av in items:
        info = _node(op, av)
        need = _best(need, info.need)
        if info.exact is not None and run is not None:
            joined = _product(run, info.exact)
            if joined is None:
                need = _best(need, run)
                run = info.exact
            else:
                run = joined
        else:
            need = _best(need, run)
            run = info.exact if info.exact is not None else frozenset({""})
        whole = None if whole is None or info.exact is None else _product(whole, info.exact)
    need = _best(need, run)
    return _Info(whole, need)


def _node(op: Any, av: Any) -> _Info:
    if op is sre.LITERAL:
        char = chr(av)
        return _Info(frozenset({fold(char)}), None) if char.isascii() else _UNKNOWN
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is sre.IN:
        return _char_class(av)
    if op is sre.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        return _branch([_sequence(list(alt)) for alt in av[1]])
    if op in _REPEATS:
        low, high, body = av
        return _repeat(low, high, _sequence(list(body)))
    return _UNKNOWN  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, GROUPREF_EXISTS, ...


def class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters a parsed character class (`[...]`) matches, or None when it is not a
    small set (negated, a category such as \\w, a range, or more than MAX_CLASS characters)."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, wide RANGE
            return None
    return chars if len(chars) <= MAX_CLASS else None


def _char_class(items: list[tuple[Any, Any]]) -> _Info:
    chars = class_chars(items)
    if chars is None or not all(c.isascii() for c in chars):
        return _UNKNOWN
    return _Info(frozenset(fold(c) for c in chars), None)


def _branch(alternatives: list[_Info]) -> _Info:
    exact: frozenset[str] | None = None
    if all(a.exact is not None for a in alternatives):
        union = frozenset().union(*(a.exact for a in alternatives if a.exact is not None))
        exact = union if len(union) <= MAX_SET else None
    needs = [_best(a.need, a.exact) for a in alternatives]
    need: frozenset[str] | None = None
    if all(n is not None for n in needs):
        union = frozenset().union(*(n for n in needs if n is not None))
        need = union if len(union) <= MAX_SET else None
    return _Info(exact, need)


def _repeat(low: int, high: int, body: _Info) -> _Info:
    if low == 0:
        optional = None if body.exact is None else body.exact | {""}
        return _Info(optional if high == 1 and optional is not None and len(optional) <= MAX_SET else None, None)
    need = _best(body.need, body.exact)
    if low == high and body.exact is not None:
        exact: frozenset[str] | None = frozenset({""})
        for _ in range(low):
            exact = None if exact is None else _product(exact, body.exact)
        return _Info(exact, need)
    return _Info(None, need)


class Prefiltered:
    """A pattern behind its literal prefilter; same methods, same results.

    Lazy: the needles are worked out on the first call (the `_needles` slot stays unset until
    then, see `__getattr__`) and the pattern is compiled only when a text gets past them, so
    tables of patterns cost nothing at import time."""

    __slots__ = ("pattern", "_flags", "_regex", "_needles")

    def __init__(self, pattern: str, flags: int = 0, regex: re.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self._flags = flags
        self._regex = regex

    def __getattr__(self, name: str) -> Any:
        if name != "_needles":
            raise AttributeError(name)
        found = _needles_of(self.pattern, self._flags)
        self._needles = tuple(sorted(found, key=len, reverse=True)) if found else ()
        return self._needles

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            from claimaudit.nlp.analysis_cache import compiled

            self._regex = compiled(self.pattern, self._flags)
        return self._regex

    @property
    def flags(self) -> int:
        return self.regex.flags

    @property
    def needles(self) -> tuple[str, ...]:
        """The needles, longest first; empty when the pattern has no useful one."""
        found: tuple[str, ...] = self._needles
        return found

    @property
    def groups(self) -> int:
        return self.regex.groups

    @property
    def groupindex(self) -> Any:
        return self.regex.groupindex

    def may_match(self, text: str) -> bool:
        """False only when no match is possible in `text`."""
        return not _hopeless(self._needles, text)

    # Each method tests the needles inline (`_hopeless`): the prefilter runs tens of thousands
    # of times per corpus, mostly to answer "no match".
    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if _hopeless(self._needles, string):
            return None
        return (self._regex or self.regex).search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if _hopeless(self._needles, string):
            return None
        return (self._regex or self.regex).match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if _hopeless(self._needles, string):
            return None
        return (self._regex or self.regex).fullmatch(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        if _hopeless(self._needles, string):
            return []
        return (self._regex or self.regex).findall(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if _hopeless(self._needles, string):
            return iter(())
        return (self._regex or self.regex).finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        if _hopeless(self._needles, string):
            return string
        return (self._regex or self.regex).sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        if _hopeless(self._needles, string):
            return (string, 0)
        return (self._regex or self.regex).subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        if _hopeless(self._needles, string):
            return [string]
        return (self._regex or self.regex).split(string, maxsplit)

    def __repr__(self) -> str:
        return f"fast({self.regex!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Prefiltered) and (other.pattern, other._flags) == (self.pattern, self._flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self._flags))


def fast(regex: re.Pattern[str]) -> re.Pattern[str]:
    """`regex` behind a literal prefilter, or `regex` itself when no useful needle exists.

    Typed as a Pattern: the wrapper answers every method the rules call on one (it is not an
    instance of `re.Pattern`)."""
    if isinstance(regex, Prefiltered):
        return regex
    found = needles(regex)
    if found is None:
        return regex
    wrapped = Prefiltered(regex.pattern, regex.flags, regex)
    wrapped._needles = tuple(sorted(found, key=len, reverse=True))
    return wrapped  # type: ignore[return-value]


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - mirrors re.compile
    """`re.compile` behind the literal prefilter, compiled lazily (on the first text that may match).

    A syntax error shows on first use: for patterns read from data files, where the error must
    name the file, use `fast(re.compile(...))` instead."""
    return Prefiltered(pattern, flags)  # type: ignore[return-value]
