"""A list of patterns searched over the same short texts (one claim at a time): the literal
prefilter's needles of all of them are looked up once per text, and only the patterns that can
match are run. Same results as running every pattern; far fewer calls when most match nothing."""

from __future__ import annotations

import _sre
import re
from collections.abc import Callable, Iterable, Iterator
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from claimaudit.nlp import prefilter
from claimaudit.nlp.analysis_cache import cached, compiled
from claimaudit.nlp.leading import prefixes
from claimaudit.nlp.literal_trie import LiteralIndex, literal_gate, literal_source
from claimaudit.nlp.prefilter import folded, needles


class SharedLiterals:
    """One `LiteralIndex` over the literals several rule families look for in each claim text:
    a family registers a function giving its literals (called when the index is built, rebuilt
    when another registers), and `present` scans a folded text once for all of them (the last
    texts' answers kept). Each family reads its own literals from the answer."""

    __slots__ = ("_providers", "_index", "_memo")

    def __init__(self) -> None:
        self._providers: list[Callable[[], Iterable[str]]] = []
        self._index: LiteralIndex | None = None
        self._memo: dict[str, frozenset[str]] = {}

    def register(self, provider: Callable[[], Iterable[str]]) -> None:
        self._providers.append(provider)
        self._index, self._memo = None, {}

    def present(self, haystack: str) -> frozenset[str]:
        """Every registered literal that occurs in `haystack` (a folded text), and no other."""
        found = self._memo.get(haystack)
        if found is None:
            if self._index is None:
                self._index = LiteralIndex(literal for provider in self._providers for literal in provider())
            if len(self._memo) >= 512:
                self._memo.clear()
            found = self._memo[haystack] = self._index.present(haystack)
        return found


RULE_LITERALS = SharedLiterals()  # the SAFE and DUR families' gate literals


DIGIT = "\\d"  # in a literal set: "some digit" (found with the regex \d, Unicode digits too)
_DIGIT = re.compile(r"\d")


def _is_digit(op: Any, av: Any) -> bool:
    """The piece is \d, or \d repeated at least once."""
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        op, av = list(av[2])[0]
    return op is sre_constants.IN and list(av) == [(sre_constants.CATEGORY, sre_constants.CATEGORY_DIGIT)]


def necessary_sets(pattern: re.Pattern[str], *, digits: bool = False) -> list[frozenset[str]]:
    """Literal sets of which every match of `pattern` contains a member: the prefilter's own
    choice, then those of the pattern's top-level pieces (a match holds every piece): each
    run of literal pieces and each group's own needles. The prefilter's rules, every choice kept."""
    options: list[frozenset[str]] = []

    def add(found: frozenset[str] | None) -> None:
        if (found and "" not in found and len(found) <= prefilter.MAX_SET
                and min(map(len, found)) >= prefilter.MIN_NEEDLE):
            found = prefilter._minimal(found)
            if found not in options:
                options.append(found)

    add(needles(pattern))
    try:
        run: frozenset[str] | None = frozenset({""})
        for op, av in sre_parse.parse(pattern.pattern, pattern.flags):
            info = prefilter._node(op, av)
            add(info.need)
            if digits and _is_digit(op, av) and frozenset({DIGIT}) not in options:
                options.append(frozenset({DIGIT}))
            joined = None if info.exact is None or run is None else prefilter._product(run, info.exact)
            if joined is None:
                add(run)
                run = info.exact if info.exact is not None else frozenset({""})
            else:
                run = joined
        add(run)
    except Exception:  # the prefilter's internals moved: its own needles still hold
        pass
    return options


LEADING_MIN = 2  # shorter leading literals occur too often to be worth looking for


def leading_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of `pattern` starts with (as the
    prefilter folds text; `nlp/leading.prefixes`), or None when the pattern's start is not
    such a literal (or is shorter than LEADING_MIN)."""
    run = prefixes(pattern)
    if not run or min(map(len, run)) < LEADING_MIN:
        return None
    return tuple(sorted(run))


# frequent English words and fragments: a literal set holding one says little about a text
_COMMON = frozenset(
    "the and that this these those with for from have has are was were you your they their can not "
    "but all any one our its more most some than then them time day min even first only also very "
    "will may who what when which how about other just".split()
)
# frequent on health pages (a treatment, its doses and sessions, their effects): a set with
# fewer of them is looked up first
_TOPICAL = frozenset(
    "benefit change result improvement relief better difference treatment dose doses infusion "
    "infusions session sessions medication over done".split()
)


def _selectivity(option: frozenset[str]) -> tuple[int, int, int, list[str]]:
    """Sort key: the literal set least likely to be in an unrelated text first (a frequent
    English word counts as three topical ones)."""
    frequent = sum(3 if n in _COMMON else n in _TOPICAL for n in option)
    return (frequent, -min(map(len, option)), len(option), sorted(option))


class PatternTable:
    """Patterns in a fixed order; `candidates(text)` keeps that order. A pattern is run only
    when the text holds a literal of each set its matches need (`necessary_sets`)."""

    __slots__ = ("patterns", "_needles", "_indices", "_always", "_gate", "_leading", "_also", "_also_split", "_last",
                 "_needle_set")

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        # a prefiltered pattern is run as its plain regex: the table does the prefiltering
        self.patterns: tuple[re.Pattern[str], ...] = tuple(getattr(p, "regex", p) for p in patterns)
        by_needle: dict[str, list[int]] = {}
        always = []
        also: dict[int, tuple[frozenset[str], ...]] = {}  # the other sets each match needs
        for index, pattern in enumerate(self.patterns):
            options = _sets_of(pattern)
            if not options:
                always.append(index)
                continue
            best = min(options, key=_selectivity)  # looked up first: the least frequent literals
            for needle in best:
                by_needle.setdefault(needle, []).append(index)
            rest = tuple(sorted((o for o in options if o != best), key=_selectivity))
            if rest:
                also[index] = rest
        self._needles = tuple(sorted(n for n in by_needle if n != DIGIT))
        self._indices = {needle: frozenset(indices) for needle, indices in by_needle.items()}
        self._always = tuple(always)
        self._gate = _gate(by_needle)
        self._leading = tuple(_leading_of(p) for p in self.patterns)
        self._also = also
        # each other set as (its literals, whether a digit will do)
        self._also_split = {
            i: tuple((tuple(n for n in sorted(need) if n != DIGIT), DIGIT in need) for need in sets)
            for i, sets in also.items()
        }
        self._last: tuple[str | None, tuple[int, ...]] = (None, ())  # the last text asked about, its answer
        self._needle_set = frozenset(self._needles)

    def candidates(self, text: str, present: frozenset[str] | None = None) -> tuple[int, ...]:
        """Indices of the patterns that may match in `text`, in order (every other one cannot).
        `present`, when given, is which of the `gate_literals` occur in the folded text (as a
        family's `LiteralIndex` finds them): the table then need not look for them itself."""
        last = self._last
        if last[0] is text:  # several rules ask about one claim's text in a row
            return last[1]
        found = self._candidates(text, present)
        self._last = (text, found)
        return found

    def _candidates(self, text: str, present: frozenset[str] | None = None) -> tuple[int, ...]:
        haystack = folded(text)
        chosen: set[int] = set()
        if present is not None:
            if self.closed(present, haystack):
                return self._always
            for needle in present & self._needle_set:
                chosen |= self._indices[needle]
        elif self._gate is None or self._gate.search(haystack) is None:
            return self._always  # most texts hold no needle at all: one scan says so
        else:
            for needle in filter(haystack.__contains__, self._needles):
                chosen |= self._indices[needle]
        if DIGIT in self._indices and _DIGIT.search(haystack):
            chosen |= self._indices[DIGIT]
        also, contains = self._also_split, haystack.__contains__
        kept = set(self._always)
        for i in chosen:
            for words, digit in also.get(i, ()):
                if not any(map(contains, words)) and not (digit and _DIGIT.search(haystack)):
                    break  # no literal of this set: the pattern cannot match
            else:
                kept.add(i)
        return tuple(sorted(kept))

    def gate_literals(self) -> frozenset[str]:
        """The literals `candidates` first looks for (a digit may do too: see `closed`)."""
        return self._needle_set

    def closed(self, present: frozenset[str], haystack: str) -> bool:
        """True when `candidates` is empty for the text folded to `haystack`, told `present`:
        which of the table's `gate_literals` occur there (other literals may be in it too), as
        a family's `LiteralIndex` finds them. The same test as the table's own gate."""
        if self._always or not present.isdisjoint(self._needle_set):
            return False
        return DIGIT not in self._indices or _DIGIT.search(haystack) is None

    def may_match(self, text: str) -> bool:
        """False only when no pattern of the table can match in `text`."""
        return bool(self._always) or (self._gate is not None and self._gate.search(folded(text)) is not None)

    def finditer(self, text: str, indices: Iterable[int] | None = None) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern index, match) for each pattern in order, then each of its matches in order,
        as the patterns' own `finditer` gives them. A pattern whose matches all start with a
        literal is tried only where that literal occurs, with `match` (which sees the text
        before the position, as `finditer` does), instead of at every position. `indices`
        (ascending) replaces `candidates(text)` when the caller has its own gate."""
        haystack = folded(text)
        aligned = len(haystack) == len(text)  # folding kept every character in place
        for index in self.candidates(text) if indices is None else indices:
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

    def finditer_long(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """`finditer(text)` for a page-long text: which needles occur is asked of each in turn
        (a substring search, fast over a long text) instead of the gate's one regex scan, which
        tries every position of the page; the same candidates."""
        last = self._last
        if last[0] is not text:
            from claimaudit.claims.facts import last_page_haystack  # (the claims import this module)

            page = last_page_haystack(text)
            if page is not None and self._needle_set <= page.universe:  # its one scan found them
                present = self._needle_set.intersection(page.present)
            else:
                haystack = folded(text)
                present = frozenset(filter(haystack.__contains__, self._needles))
            last = self._last = (text, self._candidates(text, present))
        return self.finditer(text, last[1])

    def page_literals(self) -> tuple[str, ...]:
        """The gate literals a page haystack can find for `finditer_long` (`facts.read_from_page`):
        all of them, or none when one is not such a literal (3 ASCII characters or more)."""
        if all(len(n) >= 3 and n.isascii() for n in self._needles):
            return self._needles
        return ()

    def any_search(self, text: str) -> bool:
        """Does some pattern match somewhere in `text`?"""
        return next(self.finditer(text), None) is not None


def _sets_of(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """necessary_sets(pattern, digits=True), remembered between runs (`nlp/analysis_cache.py`)."""
    return cached("table_sets", pattern.pattern, pattern.flags, lambda: necessary_sets(pattern, digits=True))


def _leading_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """leading_literals(pattern), remembered between runs."""
    return cached("table_leading", pattern.pattern, pattern.flags, lambda: leading_literals(pattern))


def _occurrences(haystack: str, literals: tuple[str, ...]) -> list[int]:
    """Every position where one of `literals` starts in `haystack`, in order."""
    found: set[int] = set()
    for literal in literals:  # (inline, not `literal_trie.occurrences`: a call per literal costs here)
        at = haystack.find(literal)
        while at >= 0:
            found.add(at)
            at = haystack.find(literal, at + 1)
    return sorted(found)


def _gate(literals: Iterable[str]) -> re.Pattern[str] | None:
    """literal_gate, with \\d for DIGIT."""
    words = [n for n in literals if n != DIGIT]
    if DIGIT not in literals:
        return literal_gate(words)
    source = literal_source(words)
    return compiled(r"\d" if source is None else source + r"|\d")


class WordStartGate:
    """Whether some pattern of a list can match in a text, told by one search of the folded
    text: for patterns that each start with `\\b` and a word character (a leading literal),
    the patterns' bodies joined behind a non-word character (a space put before the text
    stands for its start), tried where one of their leading literals starts. A match of a
    pattern is a match of the gate at the same place, so a gate that says no means no pattern
    matches; one search is far cheaper than a literal gate that lets through every text where
    "end" or "min" occurs inside a word. The folded text gives the case-insensitive answer:
    lower-casing (`prefilter.fold`) keeps every character's class (word, space, digit) and
    turns every character `re.IGNORECASE` equates with an ASCII letter into that letter.
    `build` gives None for patterns it cannot join."""

    __slots__ = ("_inside", "_at_start")

    def __init__(self, inside: re.Pattern[str], at_start: re.Pattern[str] | None) -> None:
        self._inside = inside
        self._at_start = at_start  # None: the text is searched with a space before it

    @classmethod
    def build(cls, patterns: Iterable[re.Pattern[str]]) -> WordStartGate | None:
        regexes = [getattr(p, "regex", p) for p in patterns]
        key = "\0".join(f"{r.flags}:{r.pattern}" for r in regexes)
        found = cached("word_start_gate", key, 0, lambda: _word_start_source(regexes))
        if found is None:
            return None
        joined, flags, padded = found  # (the programs kept between runs too: no compile)
        inside = compiled(f"\\W(?:{joined})", flags)
        return cls(inside, None if padded else compiled(f"(?:{joined})", flags))

    def may_match(self, haystack: str) -> bool:
        """False only when no pattern can match in the text folded to `haystack`."""
        if self._at_start is None:
            return self._inside.search(" " + haystack) is not None
        return self._inside.search(haystack) is not None or self._at_start.match(haystack) is not None


def _word_start_source(patterns: list[re.Pattern[str]]) -> tuple[str, int, bool] | None:
    """The gate's joined bodies, its flags (case-sensitive when it names only lower-case
    ASCII), and whether a space may stand for the text's start (no body looks behind or for
    the start); None when some pattern cannot be joined."""
    bodies: list[str] = []
    leads: set[str] = set()
    for pattern in patterns:
        body = _word_start_body(pattern)
        if body is None:
            return None
        bodies.append(body)
        leads.update(leading_literals(pattern) or ())
    trie = literal_gate(leads)
    if trie is None:
        return None
    joined = "|".join(f"(?:{body})" for body in bodies)
    try:
        items = sre_parse.parse(joined, re.IGNORECASE)
        re.compile(joined)
    except Exception:  # not joinable after all: no gate
        return None
    flags = 0 if _lower_ascii(items) and trie.pattern.isascii() else re.IGNORECASE
    # the bodies are tried only where a leading literal starts (a trie: one look per position)
    return f"(?={trie.pattern})(?:{joined})", flags, not _looks_before(items)


_NESTED = {sre_constants.MAX_REPEAT: 2, sre_constants.MIN_REPEAT: 2,
           sre_constants.ASSERT: 1, sre_constants.ASSERT_NOT: 1}
_FLAT = {sre_constants.AT, sre_constants.ANY, sre_constants.CATEGORY}


def _lower_ascii(items: Any) -> bool:
    """Every character the parsed pattern `items` names (literals, class members and ranges)
    is ASCII and not an upper-case letter, and no negated class or literal names a letter;
    False for any piece it does not know (an inline flag among them)."""
    for op, av in items:
        if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL):
            if not _plain_codes((av,), op is sre_constants.NOT_LITERAL):
                return False
        elif op is sre_constants.IN:
            negated = any(o is sre_constants.NEGATE for o, _ in av)
            for o, a in av:
                if o is sre_constants.LITERAL:
                    codes: Iterable[int] = (a,)
                elif o is sre_constants.RANGE:
                    if a[1] >= 128:
                        return False
                    codes = range(a[0], a[1] + 1)
                elif o in (sre_constants.NEGATE, sre_constants.CATEGORY):
                    continue
                else:
                    return False
                if not _plain_codes(codes, negated):
                    return False
        elif op is sre_constants.BRANCH:
            if not all(_lower_ascii(alternative) for alternative in av[1]):
                return False
        elif op is sre_constants.SUBPATTERN:
            if av[1] or av[2] or not _lower_ascii(av[3]):
                return False
        elif op in _NESTED:
            if not _lower_ascii(av[_NESTED[op]]):
                return False
        elif op not in _FLAT:
            return False
    return True


_BEFORE = (sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING, sre_constants.AT_BEGINNING_LINE)


def _looks_before(items: Any) -> bool:
    """The parsed pattern may look behind its match or for the text's start (True for any
    piece it does not know)."""
    for op, av in items:
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if av[0] < 0 or _looks_before(av[1]):
                return True
        elif op is sre_constants.AT:
            if av in _BEFORE:
                return True
        elif op is sre_constants.BRANCH:
            if any(_looks_before(alternative) for alternative in av[1]):
                return True
        elif op is sre_constants.SUBPATTERN:
            if _looks_before(av[3]):
                return True
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            if _looks_before(av[2]):
                return True
        elif op not in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN, sre_constants.ANY,
                        sre_constants.CATEGORY):
            return True
    return False


def _plain_codes(codes: Iterable[int], negated: bool) -> bool:
    """ASCII and no upper-case letter, or without case (`re.IGNORECASE` leaves such a character
    alone: "\u2019"); and no letter at all when `negated`."""
    return all(
        (not chr(c).isupper() if c < 128 else not _sre.unicode_iscased(c))
        and not (negated and chr(c).isalpha())
        for c in codes
    )


def _word_start_body(pattern: re.Pattern[str]) -> str | None:
    """The pattern's source without its leading `\\b`, when every match starts a word with a
    leading literal and the body can be joined with others (no groups to renumber, no flag but
    the case-insensitive one); else None."""
    source = pattern.pattern
    if (not isinstance(source, str) or not source.startswith("\\b") or pattern.groups
            or pattern.flags & ~(re.IGNORECASE | re.UNICODE)):
        return None
    try:
        items = list(sre_parse.parse(source, pattern.flags))
    except Exception:
        return None
    if not items or items[0] != (sre_constants.AT, sre_constants.AT_BOUNDARY):
        return None  # e.g. "\\bx|y": the boundary is one alternative's only
    leads = leading_literals(pattern)
    if leads is None or not all(re.match(r"\w", lead) for lead in leads):
        return None
    return source[2:]
