"""The tokenizer: spaCy's English rules plus two infixes for text glued by a lost space.

`ClaimEnglish` builds its tokenizer once with the extra infixes (changing infixes after
creation would recompile the regex and reload every special case). `ChunkCachingTokenizer`
is spaCy's tokenizer with its chunk cache filled first, from a text of the page's new chunks
in an order that puts those that may hold a special case last: spaCy stops caching a
document's chunks after the first special case ("—", "what's"), so long pages would be
re-split by the affix regexes on every call. The tokens are the same either way. It also keeps
the text in `doc.user_data[TEXT_KEY]` (spaCy's tokens reproduce it exactly), so `doc_text`
need not rebuild it from the tokens. None of the prefix, suffix, infix and URL patterns can
match within a word of ASCII letters (`LetterGuard` checks), so `token_match` takes such words
whole and spaCy asks the patterns nothing about them. A prefix or suffix search runs only the entries
that can start or end with the string's first or last character (`StartAnchored`,
`EndAnchored`), and an infix search on a hyphenated word or a number only the entries that
can match within its characters (`InfixSubsets`): same answers, read from the entries' syntax.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any, ClassVar

from spacy import attrs as spacy_attrs
from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from claimaudit.nlp.lexattrs import used_getters
from claimaudit.nlp.spans import TEXT_KEY

GLUED_SENTENCE_INFIXES: tuple[str, ...] = (
    r"(?<=[a-z]{2})\.(?=[A-Z][a-z])",  # "properties.Reports"
    r"(?<=(?:19|20)\d\d)(?=[A-Z][a-z])",  # "2018Journal" (a year glued to a title)
)


class ChunkCachingTokenizer(Tokenizer):  # type: ignore[misc]
    """spaCy's Tokenizer that tokenizes each whitespace-separated chunk it has not seen alone
    first, so spaCy caches it; remembers at most `max_cache_size` chunks. The new chunks of a
    text are tokenized together in one text: plain chunks (words, `plain_chunk`) first, chunks
    that are special cases not at all (spaCy never caches them). Short texts (phrases of the
    pattern files and the lexicon) are tokenized directly."""

    MIN_FILL_LENGTH: ClassVar[int] = 200

    def __call__(self, text: str) -> Doc:
        if len(text) >= self.MIN_FILL_LENGTH:
            self._fill_cache(text)
        doc: Doc = super().__call__(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def _validate_special_case(self, chunk: str, substrings: Any) -> None:
        """spaCy's check of a special case, skipped for one it would pass untouched: a list of
        token specs holding only string ORTH (and NORM) values whose ORTHs spell `chunk`
        (spaCy's check also drops deprecated keys from the specs: those go through it)."""
        if not plain_special_case(chunk, substrings):
            super()._validate_special_case(chunk, substrings)

    def _fill_cache(self, text: str) -> None:
        seen: set[str] = self.__dict__.setdefault("_seen_chunks", set())
        room = self.max_cache_size - len(seen)
        if room <= 0:
            return
        new = set(text.split()) - seen
        if len(new) > room:
            new = set(itertools.islice(new, room))
        seen |= new
        plain, others = sort_chunks(new, self.rules)
        if others:
            # spaCy caches no chunk of a text after the first that holds a special case: the
            # chunks that may hold one ("(don't", "e.g.,") go last
            others.sort(key=may_hold_special)
            plain.extend(others)
        if plain:
            super().__call__(" ".join(plain))


# the keys of a special case's token specs spaCy allows (ids only: no lexical attribute is read)
_ORTH_NORM = frozenset((spacy_attrs.ORTH, spacy_attrs.NORM))


def plain_special_case(chunk: str, substrings: Any) -> bool:
    """`substrings` is a list or tuple of dicts keyed by ORTH (and NORM) only, whose string
    ORTH values join to `chunk`: a special case spaCy's validation passes without change."""
    if not isinstance(substrings, (list, tuple)):
        return False
    orths = []
    for spec in substrings:
        if not isinstance(spec, dict) or not _ORTH_NORM.issuperset(spec):
            return False
        orth = spec.get(spacy_attrs.ORTH)
        if not isinstance(orth, str):
            return False
        orths.append(orth)
    return "".join(orths) == chunk


def may_hold_special(chunk: str) -> bool:
    """False for chunks of letters and digits ("2019", "café", "5mg"), which hold no special
    case unless they are one; True for the others. Only decides the order chunks are cached in."""
    return not chunk.isalnum()


def plain_chunk(chunk: str, rules: Mapping[str, object]) -> bool:
    """`chunk` is ASCII letters, perhaps with one closing ",.:;", and neither it nor its letters
    are a special case (`rules`). spaCy caches such chunks tokenized together as it would alone.
    (A special case met in a text stops caching for the rest of that text, so a chunk misjudged
    here is only tokenized again later, into the same tokens.)"""
    return bool(sort_chunks((chunk,), rules)[0])


def sort_chunks(chunks: Iterable[str], rules: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The chunks `plain_chunk` holds for, and the others but special cases (spaCy reads those
    from its rules, it caches none), each in the chunks' order: one loop, no call per chunk."""
    plain: list[str] = []
    others: list[str] = []
    for chunk in chunks:
        if chunk.isascii() and (chunk.isalpha() or (chunk[-1] in _CLOSING and chunk[:-1].isalpha() and chunk[:-1] not in rules)):
            if chunk not in rules:
                plain.append(chunk)
        elif chunk not in rules:
            others.append(chunk)
    return plain, others


_CLOSING = frozenset(",.:;")  # what a plain chunk may end with after its letters


def affix_regex(entries: Sequence[str | re.Pattern[Any]] | None, form: str) -> re.Pattern[str]:
    """spaCy's compile_prefix_regex ("^{}"), compile_suffix_regex ("{}$") or compile_infix_regex
    ("{}"): the same pattern, compiled through the pattern cache (`analysis_cache.compiled`)."""
    from claimaudit.nlp.analysis_cache import compiled

    pieces = [piece if isinstance(piece, str) else piece.pattern for piece in entries or ()]
    return compiled("|".join(form.format(piece) for piece in pieces if piece.strip()))


def create_tokenizer(nlp: Language) -> ChunkCachingTokenizer:
    """spaCy's default tokenizer factory (`spacy.Tokenizer.v1`), as a ChunkCachingTokenizer
    whose affix and URL patterns skip words of ASCII letters, which they cannot match (such a
    word is then one token: `token_match` takes it whole). The vocab computes only the lexical
    attributes claimaudit reads (`lexattrs.used_getters`), from the special cases the tokenizer
    loads on."""
    vocab: Any = nlp.vocab
    vocab.lex_attr_getters = used_getters(vocab.lex_attr_getters)
    defaults = nlp.Defaults
    prefix_search, suffix_search, infix_finditer, url_match = guarded_searchers(defaults)
    token_match = defaults.token_match
    if token_match is None and all(map(_skips_letters, (prefix_search, suffix_search, infix_finditer, url_match))):
        # spaCy asks no affix nor URL pattern about a word `token_match` takes whole (only, after
        # a prefix, the suffix pattern about the rest): the guards would mostly add a call
        token_match = ASCII_WORD.match
        prefix_search, suffix_search, infix_finditer, url_match = map(unguarded, (prefix_search, suffix_search, infix_finditer, url_match))
    return ChunkCachingTokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=prefix_search,
        suffix_search=suffix_search,
        infix_finditer=infix_finditer,
        token_match=token_match,
        url_match=url_match,
    )


def guarded_searchers(defaults: Any) -> tuple[Any, Any, Any, Any]:
    """The prefix and suffix searches, the infix finditer and the URL match of spaCy's
    `defaults`, each behind a LetterGuard where its pattern cannot match ASCII letters."""
    url_match = defaults.url_match
    url_regex = getattr(url_match, "__self__", None)
    if isinstance(url_regex, re.Pattern):
        url_match = letter_guarded(url_regex).match
    prefix_search = letter_guarded(affix_regex(defaults.prefixes, "^{}"), start_anchored(defaults.prefixes)).search
    suffix_search = letter_guarded(affix_regex(defaults.suffixes, "{}$"), end_anchored(defaults.suffixes)).search
    infix_finditer = letter_guarded(affix_regex(defaults.infixes, "{}"), infix_subsets(defaults.infixes)).finditer
    return prefix_search, suffix_search, infix_finditer, url_match


def unguarded(method: Any) -> Any:
    """The method of what a LetterGuard's method answers for (the method itself otherwise)."""
    guard = getattr(method, "__self__", None)
    return getattr(guard.regex, method.__name__) if isinstance(guard, LetterGuard) else method


# A word of ASCII letters is one token when no affix nor URL pattern can match within it: as
# `token_match` it is taken whole at once (spaCy still looks special cases up first), instead
# of asking each pattern's LetterGuard in turn. Same tokens. Anchored at the end and used as
# `.match`, since spaCy's serialisation keeps only `token_match.__self__.pattern` and restores it
# as `re.compile(pattern).match`.
ASCII_WORD = re.compile(r"[A-Za-z]+\Z")


def _skips_letters(method: Any) -> bool:
    """`method` is None or a method of a LetterGuard (no match within ASCII letters)."""
    return method is None or isinstance(getattr(method, "__self__", None), LetterGuard)


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class LetterGuard:
    """A compiled pattern that matches nothing in a string of ASCII letters only: `search`,
    `match` and `finditer` answer such strings (most words) without running it. Same answers.
    `pattern` and `flags` are the pattern's (spaCy serializes `search.__self__.pattern`)."""

    __slots__ = ("regex", "pattern", "flags")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.flags = regex.flags

    def search(self, string: str) -> re.Match[str] | None:
        if string.isalpha() and string.isascii():
            return None
        return self.regex.search(string)

    def match(self, string: str) -> re.Match[str] | None:
        if string.isalpha() and string.isascii():
            return None
        return self.regex.match(string)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        if string.isalpha() and string.isascii():
            return iter(())
        return self.regex.finditer(string)


def letter_guarded(regex: re.Pattern[str], searcher: Any = None) -> Any:
    """`regex` behind a LetterGuard when no string of ASCII letters holds a match of it.
    `searcher`, when given, answers for the regex (same answers, e.g. an EndAnchored)."""
    from claimaudit.nlp.analysis_cache import cached

    runner = regex if searcher is None else searcher
    if regex.flags & re.IGNORECASE or cached(
        "letters", regex.pattern, regex.flags, lambda: _may_match_letters(list(_sre_parse.parse(regex.pattern, regex.flags)))
    ):
        return runner
    return LetterGuard(runner)


class InfixSubsets:
    """`finditer` of an infix pattern (spaCy's entries) that runs, on a string made only of the
    characters of one of `INFIX_ALPHABETS` (hyphenated words, numbers), only the entries that
    can match within such a string (`_may_match_within`; None: none can), in their order. The
    entries left out match nowhere in it, so each search finds what the whole pattern finds."""

    __slots__ = ("regex", "pattern", "flags", "subsets")

    def __init__(self, regex: re.Pattern[str], subsets: Sequence[tuple[Any, re.Pattern[str] | None]]) -> None:
        self.regex, self.pattern, self.flags = regex, regex.pattern, regex.flags
        self.subsets = tuple(subsets)  # (fullmatch of the alphabet's strings, pattern)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        for within, subset in self.subsets:
            if within(string):
                return iter(()) if subset is None else subset.finditer(string)
        return self.regex.finditer(string)


# ASCII letters and hyphens ("well-known"), digits with stops and commas ("1,530", "0.5")
INFIX_ALPHABETS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-", "0123456789.,")


def infix_subsets(entries: Sequence[str | re.Pattern[Any]] | None) -> InfixSubsets | None:
    """An InfixSubsets for spaCy's infix entries (None when the entries are unknown)."""
    from claimaudit.nlp.analysis_cache import cached, compiled

    if any(not isinstance(piece, str) for piece in entries or ()):
        return None
    pieces = [str(piece) for piece in entries or () if str(piece).strip()]
    subsets = []
    for alphabet in INFIX_ALPHABETS:
        letters = frozenset(alphabet)
        kept = [piece for piece in pieces if cached(f"within {alphabet}", piece, 0, partial(_may_match_in, piece, letters))]
        within = compiled("[" + re.escape(alphabet) + "]+").fullmatch
        subsets.append((within, compiled("|".join(kept)) if kept else None))
    return InfixSubsets(affix_regex(entries, "{}"), subsets)


class EndAnchored:
    """`search` of a suffix pattern (spaCy's entries, each followed by "$") that tries only
    the positions a match can start at. Every match ends at the end of the string (no string
    here holds a line break, else the pattern runs as it is), so a match of an entry at most
    `width` characters long starts in the last `width` positions; the entries of unbounded
    length (`tail`, "\\.\\.+") are searched for first. Same answers as the pattern's search.

    With `ends` (each entry, whether it is bounded, and the characters a match of it can end
    with: `edge_characters`; every match takes one character at least), a string is searched
    only for the entries that can end with its last character, in their order, by a pattern
    of those kept per last character (None: no entry can, so nothing matches). The leftmost
    match, and the first entry matching there, are the whole pattern's."""

    __slots__ = ("regex", "tail", "width", "pattern", "flags", "ends", "_by_last", "_digest", "_edges")

    def __init__(
        self,
        regex: re.Pattern[str],
        width: int,
        tail: re.Pattern[str] | None,
        ends: Sequence[tuple[str, bool, EdgeCharacters]] = (),
    ) -> None:
        self.regex, self.width, self.tail = regex, width, tail
        self.pattern, self.flags = regex.pattern, regex.flags
        self.ends = tuple(ends)
        self._by_last: dict[str, tuple[re.Pattern[str], int] | None] = {}
        self._digest = _digest([entry for entry, _, _ in self.ends])
        self._edges = [EdgeTest(ends) for _, _, ends in self.ends]

    def search(self, string: str) -> re.Match[str] | None:
        if self.ends and string and "\n" not in string:
            last = string[-1]
            try:
                found = self._by_last[last]
            except KeyError:
                found = self._by_last[last] = self._ending_with(last)
            if found is None:
                return None
            regex, width = found
            return regex.search(string, max(len(string) - width, 0))
        start = len(string) - self.width
        if start <= 0 or "\n" in string:
            return self.regex.search(string)
        if self.tail is not None:
            found_tail = self.tail.search(string)
            if found_tail is not None and found_tail.start() < start:
                start = found_tail.start()
        return self.regex.search(string, start)

    def _ending_with(self, last: str) -> tuple[re.Pattern[str], int] | None:
        """The pattern of the entries that can end with `last`, and how far from the end a
        match of one starts at most (the string's length when one is unbounded)."""
        ends = self.ends
        kept = _edge_entries("last", last, self._digest, lambda: [edges(last) for edges in self._edges])
        if not kept:
            return None
        width = self.width if all(ends[index][1] for index in kept) else sys.maxsize
        return _joined(tuple(ends[index][0] for index in kept)), width


class StartAnchored:
    """`search` of a prefix pattern (spaCy's entries, each after "^") by the entries that can
    start with the string's first character (`edge_characters`; every match takes one
    character at least), in their order: one pattern per first character, None when no entry
    can (nothing matches). Every match starts at the start, so the first entry matching
    there, and its match, are the whole pattern's."""

    __slots__ = ("regex", "pattern", "flags", "starts", "_by_first", "_digest", "_edges")

    def __init__(self, regex: re.Pattern[str], starts: Sequence[tuple[str, EdgeCharacters]]) -> None:
        self.regex, self.pattern, self.flags = regex, regex.pattern, regex.flags
        self.starts = tuple(starts)
        self._by_first: dict[str, re.Pattern[str] | None] = {}
        self._digest = _digest([entry for entry, _ in self.starts])
        self._edges = [EdgeTest(starts) for _, starts in self.starts]

    def search(self, string: str) -> re.Match[str] | None:
        if not string:
            return self.regex.search(string)
        first = string[0]
        try:
            regex = self._by_first[first]
        except KeyError:
            regex = self._by_first[first] = self._starting_with(first)
        return None if regex is None else regex.search(string)

    def _starting_with(self, first: str) -> re.Pattern[str] | None:
        starts = self.starts
        kept = _edge_entries("first", first, self._digest, lambda: [edges(first) for edges in self._edges])
        return _joined(tuple(starts[index][0] for index in kept)) if kept else None


def _edge_entries(edge: str, char: str, digest: str, may: Callable[[], list[bool]]) -> tuple[int, ...]:
    """The indices of the entries whose matches may have `char` as their `edge` character
    (`may()` answers for each); for an ASCII character kept in the pattern cache under the
    entries' `digest` (a bounded number of answers: others are worked out in each process)."""
    from claimaudit.nlp.analysis_cache import cached

    def kept() -> tuple[int, ...]:
        return tuple(i for i, yes in enumerate(may()) if yes)

    return cached(f"{edge} character {char}", digest, 0, kept) if char.isascii() else kept()


def _digest(entries: list[str]) -> str:
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=None)
def _joined(entries: tuple[str, ...]) -> re.Pattern[str]:
    """The alternation of `entries`, compiled once per process (many characters share one)."""
    from claimaudit.nlp.analysis_cache import compiled

    return compiled("|".join(entries))


def start_anchored(entries: Sequence[str | re.Pattern[Any]] | None) -> StartAnchored | None:
    """A StartAnchored for spaCy's prefix entries, or None when an entry may match empty or
    elsewhere than at the start, or the entries are unknown."""
    from claimaudit.nlp.analysis_cache import cached

    if any(not isinstance(piece, str) for piece in entries or ()):
        return None
    pieces = ["^" + str(piece) for piece in entries or () if str(piece).strip()]
    if not pieces or not all(cached("at start", piece, 0, partial(_at_start, piece)) for piece in pieces):
        return None
    starts = [cached("start characters", piece, 0, partial(edge_characters, piece, False)) for piece in pieces]
    if any(empty for _, empty in starts):
        return None
    return StartAnchored(affix_regex(entries, "^{}"), [(piece, found) for piece, (found, _) in zip(pieces, starts)])


def _at_start(entry: str) -> bool:
    """Every match of `entry` starts at the start of the string (`^`, no MULTILINE)."""
    tree = _sre_parse.parse(entry)
    items = list(tree)
    return bool(items) and items[0] == (_sre.AT, _sre.AT_BEGINNING) and not tree.state.flags & re.MULTILINE


def end_anchored(entries: Sequence[str | re.Pattern[Any]] | None) -> EndAnchored | None:
    """An EndAnchored for spaCy's suffix entries, or None when an entry may match elsewhere
    than at the end (a top-level alternative without "$") or the entries are unknown."""
    from claimaudit.nlp.analysis_cache import cached, compiled

    if any(not isinstance(piece, str) for piece in entries or ()):
        return None
    pieces = [str(piece) for piece in entries or () if str(piece).strip()]
    found = [cached("end width", entry, 0, partial(_end_width, entry)) for entry in (piece + "$" for piece in pieces)]
    widths = [width for width in found if width is not None]
    if not pieces or len(widths) < len(found):
        return None
    bounded = [width for width in widths if width < _sre.MAXREPEAT]
    unbounded = [piece + "$" for piece, width in zip(pieces, widths) if width >= _sre.MAXREPEAT]
    entries_ = [piece + "$" for piece in pieces]
    ends = [cached("end characters", entry, 0, partial(edge_characters, entry, True)) for entry in entries_]
    by_last = [
        (entry, width < _sre.MAXREPEAT, found_ends)
        for entry, width, (found_ends, empty) in zip(entries_, widths, ends)
    ]
    return EndAnchored(
        affix_regex(pieces, "{}$"),
        max(bounded, default=0),
        compiled("|".join(unbounded)) if unbounded else None,
        () if any(empty for _, empty in ends) else by_last,
    )


# What the first or last character of a match can be: a tuple of pattern items ("literal", c),
# ("not literal", c) or ("in", negated, characters, ranges, categories) (any of them), or None
# for any character.
EdgeCharacters = tuple[tuple[Any, ...], ...] | None
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}


def edge_characters(entry: str, last: bool) -> tuple[EdgeCharacters, bool]:
    """What the last (else the first) character of a match of `entry` can be (`EdgeCharacters`,
    None when not understood), and whether a match of it can be empty."""
    tree = _sre_parse.parse(entry)
    found = None if tree.state.flags & _CLASS_FLAGS else _edge_items(list(tree), last)
    return found, tree.getwidth()[0] == 0


# flags under which a character class may hold other characters than `EdgeTest` reads in it
_CLASS_FLAGS = re.IGNORECASE | re.ASCII | re.LOCALE


def _edge_items(items: list[tuple[Any, Any]], last: bool) -> EdgeCharacters:
    edge = -1 if last else 0
    while items and items[edge][0] in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        items = items[:-1] if last else items[1:]  # zero-width: the next character is the edge
    if not items:
        return None
    op, av = items[edge]
    if op is _sre.LITERAL:
        return (("literal", chr(av)),)
    if op is _sre.NOT_LITERAL:
        return (("not literal", chr(av)),)
    if op is _sre.IN:
        item = _class_item(av)
        return None if item is None else (item,)
    if op is _sre.SUBPATTERN and not av[1] & _CLASS_FLAGS:
        return _edge_items(list(av[-1]), last)
    if op is _sre.BRANCH:
        found: list[tuple[Any, ...]] = []
        for branch in av[1]:
            ends = _edge_items(list(branch), last)
            if ends is None:
                return None
            found.extend(ends)
        return tuple(found)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
        return _edge_items(list(av[2]), last)
    return None  # an optional item (the one beyond may be the edge), a group reference ...


def _class_item(items: list[tuple[Any, Any]]) -> tuple[Any, ...] | None:
    negated, characters, ranges, categories = False, [], [], []
    for op, av in items:
        if op is _sre.NEGATE:
            negated = True
        elif op is _sre.LITERAL:
            characters.append(chr(av))
        elif op is _sre.RANGE:
            ranges.append((av[0], av[1]))
        elif op is _sre.CATEGORY and av in _CATEGORIES:
            categories.append(_CATEGORIES[av])
        else:
            return None
    return ("in", negated, "".join(characters), tuple(ranges), tuple(categories))


class EdgeTest:
    """Whether a character can be the edge character `edges` describes, as a callable, with each
    class's ranges merged and searched by bisection (spaCy's symbol classes hold hundreds of
    ranges)."""

    __slots__ = ("any", "literals", "not_literals", "classes")

    def __init__(self, edges: EdgeCharacters) -> None:
        self.any = edges is None
        self.literals = "".join(item[1] for item in edges or () if item[0] == "literal")
        self.not_literals = [item[1] for item in edges or () if item[0] == "not literal"]
        self.classes = [_PreparedClass(item) for item in edges or () if item[0] == "in"]

    def __call__(self, char: str) -> bool:
        if self.any or char in self.literals or any(char != other for other in self.not_literals):
            return True
        return any(test(char) for test in self.classes)


class _PreparedClass:
    __slots__ = ("negated", "characters", "starts", "ends", "categories")

    def __init__(self, item: tuple[Any, ...]) -> None:
        _, self.negated, self.characters, ranges, categories = item
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self.starts = [low for low, _ in merged]
        self.ends = [high for _, high in merged]
        self.categories = [re.compile(category) for category in categories]

    def __call__(self, char: str) -> bool:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        held = (
            char in self.characters
            or (index >= 0 and code <= self.ends[index])
            or any(category.fullmatch(char) for category in self.categories)
        )
        return held != bool(self.negated)


def _end_width(entry: str) -> int | None:
    """The most characters a match of `entry` takes (`MAXREPEAT` or more: unbounded), or None
    unless every match of it ends at the end of the string (`$`)."""
    tree = _sre_parse.parse(entry)
    items = list(tree)
    if not items or items[-1] != (_sre.AT, _sre.AT_END) or tree.state.flags & re.MULTILINE:
        return None
    width: int = tree.getwidth()[1]
    return width


def _may_match_letters(items: list[tuple[Any, Any]]) -> bool:
    """False only when the parsed pattern (a sequence) can match nothing within a string of
    ASCII letters; True for anything not understood."""
    return _may_match_within(items, _LETTERS)


def _may_match_in(pattern: str, alphabet: frozenset[str]) -> bool:
    """`_may_match_within` for a pattern's source (case-insensitive: may match)."""
    tree = _sre_parse.parse(pattern)
    return bool(tree.state.flags & re.IGNORECASE) or _may_match_within(list(tree), alphabet)


def _may_match_within(items: list[tuple[Any, Any]], alphabet: frozenset[str]) -> bool:
    """False only when the parsed pattern (a sequence) can match nothing within a string of
    characters of `alphabet`; True for anything not understood."""
    for op, av in items:
        if op is _sre.LITERAL:
            possible = chr(av) in alphabet
        elif op is _sre.IN:
            item = _class_item(av)
            possible = item is None or any(map(EdgeTest((item,)), alphabet))
        elif op is _sre.SUBPATTERN:
            possible = bool(av[1] & re.IGNORECASE) or _may_match_within(list(av[-1]), alphabet)
        elif op is _sre.BRANCH:
            possible = any(_may_match_within(list(branch), alphabet) for branch in av[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            possible = av[0] == 0 or _may_match_within(list(av[2]), alphabet)
        elif op is _sre.ASSERT:  # a lookaround sees only such characters too (or nothing)
            possible = _may_match_within(list(av[1]), alphabet)
        else:  # zero-width anchors, negative lookarounds, ANY, NOT_LITERAL, ...
            possible = True
        if not possible:
            return False
    return True


class ClaimEnglishDefaults(EnglishDefaults):
    infixes = [*EnglishDefaults.infixes, *GLUED_SENTENCE_INFIXES]  # noqa: RUF012 - spaCy's Defaults are class lists


class ClaimEnglish(English):  # type: ignore[no-untyped-call]
    """Blank English whose tokenizer also splits "properties.Reports" and "2018Journal"."""

    Defaults = ClaimEnglishDefaults


def blank_english() -> ClaimEnglish:
    """A blank pipeline (like `spacy.blank("en")`) with the claimaudit tokenizer."""
    return ClaimEnglish(create_tokenizer=create_tokenizer)
