"""Quantities: percentages, counts, N, odds ratios with CIs, durations, sessions, doses.

The component marks them in `doc.spans["quantities"]` (label = kind); `parse_quantity` turns a
marked span into values. Both are driven by the regular expressions below.
"""

from __future__ import annotations

import bisect
import codecs
import operator
import re
from collections.abc import Iterator

import numpy
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.prefilter import fold
from claimaudit.nlp.scan import (
    Stretches,
    anchored_pieces,
    finditer_at,
    finditer_kept,
    lower_text,
    lowered_pattern,
    page_literal_positions,
    share_page_literals,
)
from claimaudit.nlp.spans import CharIndex, doc_text, group_spans, set_group

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a dozen": 12, "dozens": 24, "hundreds": 100, "thousands": 1000, "a few": 3, "several": 3,
    "a single": 1, "single": 1, "an": 1, "a": 1, "twice": 2,
}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_WORDNUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a dozen|dozens|hundreds|thousands|a few|several)"
_ANYNUM = rf"(?:{_NUM}|{_WORDNUM})"
_TIMES_WORD = r"(?:two|three|four|five|six|seven|eight|nine|ten)"  # "three times higher"
_RANGE = rf"{_ANYNUM}(?:\s*(?:-|–|—|to)\s*{_ANYNUM})?"
_UNITS_TIME = r"(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|seconds?)"
_SESSIONS = r"(?:sessions?|treatments?|infusions?|doses?|injections?|sprays?|visits?|administrations?)"
_PEOPLE = r"(?:patients?|participants?|people|adults?|subjects?|veterans?|individuals?|volunteers?|women|men|clients?|children|adolescents?|persons?)"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ci", compiled(rf"\b95\s*%\s*(?:CI|confidence interval)[:,]?\s*{_NUM}\s*(?:-|–|to|,)\s*{_NUM}", re.I)),
    ("odds_ratio", compiled(rf"\b(?:(?i:odds ratio|hazard ratio|risk ratio)|OR|HR|RR)\s*(?:of|=|:|was|is|were)?\s*{_NUM}")),
    ("p_value", compiled(r"\bp\s*(?:=|<|>|≤)\s*0?\.\d+", re.I)),
    ("effect_size", compiled(rf"\b(?:d|g|SMD)\s*=\s*-?{_NUM}", re.I)),
    ("percent", compiled(rf"(?:(?:over|more than|about|around|approximately|nearly|almost|up to|at least|~|≥|>|<)\s*)?{_NUM}(?:\s*(?:-|–|to)\s*{_NUM})?\s*(?:%|percent\b|per cent\b)(?!\s*(?:discount|off\b|cheaper|savings|deposit|interest|fee|of the (?:cost|price|fee)))", re.I)),
    ("percent", compiled(r"\b(?:(?:more than|over|nearly|almost|about|around|roughly|up to|at least)\s+)?(?:half|one half|a third|one third|two thirds|two-thirds|a quarter|one quarter|three quarters|three-quarters)\b(?=\s+(?:of|the|all|our|these|those|patients|people|participants))", re.I)),
    ("odds_ratio", compiled(rf"\b(?:{_NUM}|{_TIMES_WORD})\s*(?:-\s*)?(?:times|fold)\s+(?:more|higher|greater|as)\b", re.I)),
    ("odds_ratio", compiled(r"\btwice\s+as\s+(?:likely|many|much|effective|high|fast|often|long|well)\b", re.I)),
    ("ratio", compiled(rf"\b{_ANYNUM}\s+(?:in|out of|of)\s+(?:every\s+)?{_ANYNUM}\b(?!\s*(?:-|–)\s*\d)", re.I)),
    ("sample_size", compiled(rf"\b[Nn]\s*=\s*{_NUM}|\b(?:over|more than|about|nearly|almost)?\s*{_NUM}\s+(?:{_PEOPLE})\b", re.I)),
    # "6 sessions", "two weekly infusions", "6 ketamine sessions": a match with a word before
    # the session word counts only when it is one of _SESSION_WORDS or a substance term
    # (`_Pieces.matches`, as `finditer_kept` with `_Pieces.keeps_treatment`); the word is tried
    # after no word ("??"), so "2 sessions sessions" reads "2 sessions" as before
    ("sessions", compiled(rf"\b{_RANGE}\s+(?:(?P<treatment>[A-Za-z][\w-]*)\s+)??{_SESSIONS}\b(?!\s*(?:cent|clinic|site|location|provider))", re.I)),
    ("dose", compiled(rf"\b{_NUM}\s*(?:-|–|to)?\s*(?:{_NUM})?\s*(?:mg/kg|mg|mcg|µg|ml)\b", re.I)),
    ("duration", compiled(rf"\b(?:within|in|after|for|up to|over|about|around|lasting|last|at)?\s*(?:a|an|{_RANGE})\s*(?:-|–)?\s*{_UNITS_TIME}\b", re.I)),
    ("duration", compiled(r"\b(?:within|in|after|for)\s+(?:a few\s+|mere\s+|just\s+)?(?:minutes|hours|seconds|days|weeks|months|years)\b", re.I)),
    ("year", compiled(r"\b(?:19[5-9]\d|20[0-4]\d)\b")),
)

# each IGNORECASE pattern of PATTERNS as a case-sensitive one for exact lower-cased texts, by the
# pattern's id (hashing a compiled pattern hashes its whole program, on every call)
_LOWERED: dict[int, re.Pattern[str] | None] = {id(pattern): lowered_pattern(pattern) for _, pattern in PATTERNS}

UNIT_NORMAL = {
    "minute": "minutes", "min": "minutes", "hour": "hours", "hr": "hours", "h": "hours",
    "day": "days", "week": "weeks", "wk": "weeks", "month": "months", "year": "years",
    "yr": "years", "second": "seconds",
}


@Language.factory("claimaudit_quantities", assigns=["doc.spans"], default_config={"spans_key": "quantities"})
def make_quantities(nlp: Language, name: str, spans_key: str) -> "QuantityMarker":
    return QuantityMarker(spans_key=spans_key)


class QuantityMarker:
    """Marks quantities in `doc.spans[spans_key]`; the earlier pattern wins an overlap."""

    def __init__(self, *, spans_key: str = "quantities") -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        index = CharIndex.of(doc)
        text = doc_text(doc)
        substances = _SubstanceWords(doc)
        pieces = _Pieces(text, lower_text(doc), substances)
        spans: list[Span] = []
        taken = _Taken()
        for (kind, pattern), needs in zip(PATTERNS, NEEDS):
            for match in pieces.matches(kind, pattern, needs):
                start, end = _trim(text, match.start(), match.end())
                if end <= start or taken.overlaps(start, end):
                    continue
                span = index.span(start, end, label=kind)
                if span is None:
                    continue
                taken.add(start, end)
                spans.append(span)
        set_group(doc, self.spans_key, disjoint_in_order(spans))
        return doc


TERMS_KEY = "terms"  # the span group of the term component (nlp/terms.py), which runs before this one
# words that may stand between a count and a session word besides a substance's name
_SESSION_WORDS = frozenset({"weekly", "iv", "subcutaneous"})


class _SubstanceWords:
    """Where the doc's substance terms are (the term component runs before this one), read
    from its span group when first asked: most pages have no count of sessions."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._spans: set[tuple[int, int]] | None = None

    def spans(self, start: int, end: int) -> bool:
        """A substance term spans exactly [start, end)."""
        if self._spans is None:
            terms = group_spans(self.doc, TERMS_KEY) if TERMS_KEY in self.doc.spans else ()  # (no term component: none)
            self._spans = {(s.start_char, s.end_char) for s in terms if s.label_ == "substance"}
        return (start, end) in self._spans


def disjoint_in_order(spans: list[Span]) -> list[Span]:
    """`sorted(filter_spans(spans), key=start)`: the spans in order when no two share a token
    (filter_spans keeps them all then), else filter_spans' choice."""
    ordered = sorted(spans, key=_span_start)
    if all(before.end <= after.start for before, after in zip(ordered, ordered[1:])):
        return ordered
    return sorted(filter_spans(spans), key=_span_start)


_span_start = operator.attrgetter("start")


# What every match of each pattern of PATTERNS holds, as groups of anchor kinds: one kind of
# each group at least (see _Pieces.anchors).
_DIGIT: tuple[tuple[str, ...], ...] = (("digit",),)
NEEDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    _DIGIT,  # ci (its own pieces: _CI_PIECES)
    (("digit",), ("ratio",)),  # odds_ratio: OR 2.5, odds ratio of 1.4
    (("digit",), ("comparison",)),  # p_value
    (("digit",), ("equals",)),  # effect_size
    (("digit",), ("percent",)),  # percent: 70%
    (("fraction",),),  # percent: half, a third ...
    (("digit", "number"), ("fold",)),  # odds_ratio: 2 times more, three times higher
    (("number",),),  # odds_ratio: twice as likely
    (("two numbers",),),  # ratio: 1 in 3, one in five
    (("digit",), ("people", "equals")),  # sample_size: N = 40, 40 adults
    (("digit", "number"),),  # sessions: tried at number starts (_AT_NUMBERS), or in the whole text
    (("digit",), ("dose",)),  # dose
    (("counted time",),),  # duration: 5 days, an hour
    (("time",),),  # duration: within minutes
    _DIGIT,  # year
)

# A quantity pattern (but "ci", see _CI_PIECES) never consumes, nor looks ahead into, a
# non-word character other than these (`.` and `,` only before a digit): the text splits there
# into pieces no match crosses, and a pattern run on a piece ending there (`endpos`) finds
# what it finds in the whole text.
_CUT = compiled(r"[^\w\s\-–—%~≥><=:≤/](?!(?<=[.,])\d)")
# "ci" ("95% CI: 1.2, 3.4") also takes commas: its own pieces, around "95%"
_CI_PIECES = (compiled(r"[^\w\s,.\-–%:]"), compiled(r"95\s*%"))
# number and fraction words start a word wherever a match holds them
_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "fifteen", "twenty", "thirty", "dozen", "hundreds", "thousands", "few", "several", "twice",
)
_FRACTION_WORDS = ("half", "third", "quarter")
share_page_literals(_NUMBER_WORDS + _FRACTION_WORDS)  # looked up in the whole page
# literals one of which every match of a pattern holds (lower-cased; anywhere)
_LITERALS: dict[str, tuple[str, ...]] = {
    "percent": ("%", "percent", "per cent"),
    "dose": ("mg", "mcg", "µg", "μg", "ml"),  # IGNORECASE matches µ (micro) with μ and Μ (mu)
    "comparison": ("=", "<", ">", "≤"),
    "equals": ("=",),
    "fold": ("times", "fold"),
    "people": (
        "patient", "participant", "people", "adult", "subject", "veteran", "individual", "volunteer",
        "men", "client", "children", "adolescent", "person",  # "men" also finds "women"
    ),
    "ratio": ("ratio",),  # "odds ratio" ...; its OR, HR, RR are found case-sensitively (_CASED)
}
_CASED: dict[str, tuple[str, ...]] = {"ratio": ("OR", "HR", "RR")}
# the literals are looked for only in the pieces holding one of these anchors (what the
# patterns of NEEDS require with them), so anchors of these kinds lie in such pieces only
_WITHIN: dict[str, tuple[str, ...]] = {
    "percent": ("digit",), "dose": ("digit",), "comparison": ("digit",),
    "equals": ("digit",), "fold": ("digit", "number"), "people": ("digit",), "ratio": ("digit",),
}
# a time unit ends a word and follows a digit, "a", "an" or a number word, maybe after spaces
# or a dash ("5 days", "an hour", "two-week", "24h"): "counted time" anchors; "time" anchors
# start a word, follow a digit or end a word of _BEFORE_UNIT
_UNIT_END = compiled(r"(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|seconds?)(?!\w)")
# _UNIT_END's alternatives by first letter: each pattern starts with a literal, which `re` looks
# for faster than the whole alternation's first characters
_UNITS_BY_FIRST = tuple(
    compiled(pattern)
    for pattern in (
        r"m(?:inutes?|ins?|onths?)(?!\w)", r"h(?:ours?|rs?)?(?!\w)", r"days?(?!\w)", r"w(?:eeks?|ks?)(?!\w)",
        r"y(?:ears?|rs?)(?!\w)", r"seconds?(?!\w)",
    )
)
_BEFORE_UNIT = ("a", "an", *_NUMBER_WORDS, "dozens")
# patterns whose every match starts with a number (`\b{_ANYNUM}`, `\b{_RANGE}`): tried only
# there when the lower-cased text is exact (`_Pieces._number_starts`)
_AT_NUMBERS = ("ratio", "sessions")
_MERGE_GAP = 8  # pieces closer than this are scanned as one
_FEW = 24  # fewer positions than this are placed in their pieces by `bisect`, more by numpy


class _Pieces:
    """The text cut at `_CUT` characters, and the pieces holding each kind of anchor."""

    def __init__(self, text: str, lowered: str | None, substances: "_SubstanceWords | None" = None) -> None:
        self.text = text
        self.lowered = lowered
        self.substances = substances
        self.cuts, digits = cuts_and_digits(text)
        self._found: dict[str, list[int]] = {"digit": digits}
        self._anchors: dict[str, set[int]] = {}
        self._regions: dict[object, list[tuple[int, int]]] = {}
        self._cut_array: "numpy.ndarray | None" = None
        self._joined: dict[tuple[tuple[str, ...], bool], Stretches] = {}

    def matches(self, kind: str, pattern: re.Pattern[str], needs: tuple[tuple[str, ...], ...]) -> Iterator[re.Match[str]]:
        """The matches of `pattern.finditer(text)` for the pattern of PATTERNS of that kind and
        needs (for "sessions", `finditer_kept(pattern, text, self.keeps_treatment)`); where the
        lower-cased text is exact, those of an IGNORECASE pattern are found in it (`_LOWERED`:
        same offsets, other `string`)."""
        text = self.text
        keep = self.keeps_treatment if kind == "sessions" else None
        if kind == "year":  # a year starts a digit run ("1999", not "x1999" nor "21999")
            starts = [p for p in self._positions("digit") if text.startswith(("19", "20"), p)]
            return finditer_at(pattern, text, starts)
        lowered = _LOWERED.get(id(pattern)) if self.lowered is not None else None
        if lowered is not None:
            pattern, text = lowered, self.lowered  # type: ignore[assignment]
        if kind in _AT_NUMBERS and self.lowered is not None:
            return finditer_at(pattern, text, self._number_starts(), keep)
        regions = anchored_pieces(text, *_CI_PIECES) if kind == "ci" else self.regions(needs)
        if keep is not None:
            return (match for low, high in regions for match in finditer_kept(pattern, text, keep, low, high))
        return (match for low, high in regions for match in pattern.finditer(text, low, high))

    def keeps_treatment(self, match: re.Match[str]) -> bool:
        """The sessions pattern's word before the session word, if any, is a treatment word
        ("weekly", "IV") or a substance the knowledge base names ("ketamine", "Spravato")."""
        word = match.group("treatment")  # (from the text or its exact lower-cased form: same fold)
        if word is None or fold(word) in _SESSION_WORDS:  # (as the pattern ignores case: "İV" is "iv")
            return True
        return self.substances is not None and self.substances.spans(*match.span("treatment"))

    def _number_starts(self) -> list[int]:
        """Where a match of a pattern of _AT_NUMBERS may start: a digit run, a number word
        or the "a" of "a dozen", "a few"."""
        found = self._found.get("number starts")
        if found is None:
            lowered = self.lowered
            assert lowered is not None
            words = self._positions("number")
            found = [*self._positions("digit"), *words]
            found.extend(p - 2 for p in words if p >= 2 and lowered.startswith("a ", p - 2) and lowered.startswith(("dozen", "few"), p))
            found.sort()
            self._found["number starts"] = found
        return found

    def regions(self, needs: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
        """(start, end) stretches holding every piece that has an anchor of each group."""
        found = self._regions.get(needs)
        if found is None:
            if self.lowered is None and any(kind != "digit" for group in needs for kind in group):
                found = [(0, len(self.text))]
            else:
                pieces: set[int] | None = None
                for group in needs:
                    union = set().union(*(self.anchors(kind) for kind in group))
                    pieces = union if pieces is None else pieces & union
                    if not pieces:
                        break  # no piece has an anchor of each group so far (most texts: no digit)
                found = self._stretches(sorted(pieces or ()))
            self._regions[needs] = found
        return found

    def anchors(self, kind: str) -> set[int]:
        """Indices of the pieces holding an anchor of the kind."""
        found = self._anchors.get(kind)
        if found is None:
            if kind == "two numbers":  # pieces holding two numbers (digits or number words) at least
                # digit runs and number words start at different positions: count each piece
                pieces = sorted(self._pieces_of(self._positions("digit") + self._positions("number")))
                found = {piece for piece, after in zip(pieces, pieces[1:]) if piece == after}
            else:
                found = set(self._pieces_of(self._positions(kind)))
            self._anchors[kind] = found
        return found

    def _pieces_of(self, positions: list[int]) -> list[int]:
        """The index of the piece holding each position (`bisect_left` into the cuts)."""
        if len(positions) < _FEW:
            cuts = self.cuts
            return [bisect.bisect_left(cuts, p) for p in positions]
        if self._cut_array is None:
            self._cut_array = numpy.array(self.cuts, dtype=numpy.int64)
        found: list[int] = numpy.searchsorted(self._cut_array, positions).tolist()
        return found

    def _positions(self, kind: str) -> list[int]:
        found = self._found.get(kind)
        if found is None:
            found = self._find(kind)
            self._found[kind] = found
        return found

    def _find(self, kind: str) -> list[int]:
        """Positions of the anchors of a kind."""
        text, lowered = self.text, self.lowered
        assert lowered is not None
        if kind in ("number", "fraction"):
            words = _NUMBER_WORDS if kind == "number" else _FRACTION_WORDS
            return [p for p in page_literal_positions(lowered, words) if p == 0 or not _is_word(text[p - 1])]
        if kind in _LITERALS:
            found = self._stretches_of(_WITHIN[kind], lowered).literal_positions(_LITERALS[kind])
            if kind in _CASED:
                found += self._stretches_of(_WITHIN[kind], text).literal_positions(_CASED[kind])
            return found
        if kind == "counted time":
            return [p for p in self._positions("time") if _after_count(text, lowered, p, _BEFORE_UNIT, dash=True)]
        return self._time_units()

    def _stretches_of(self, kinds: tuple[str, ...], text: str) -> Stretches:
        """The regions of the pieces holding an anchor of the kinds, joined (once per text)."""
        key = (kinds, text is self.text)
        found = self._joined.get(key)
        if found is None:
            found = self._joined[key] = Stretches(text, self.regions((kinds,)))
        return found

    def _time_units(self) -> list[int]:
        """Where a time unit of the duration patterns may start."""
        text, lowered = self.text, self.lowered
        assert lowered is not None
        found = []
        # one scan: a unit inside another unit's match ends where it ends, so is a suffix of
        # it ("h" of "month"), and follows a letter ending no word of _BEFORE_UNIT: none is lost
        for p in unit_starts(lowered):
            if p == 0 or not _is_word(text[p - 1]) or text[p - 1].isdigit() or lowered.endswith(_BEFORE_UNIT, 0, p):
                found.append(p)
        return found

    def _stretches(self, pieces: list[int]) -> list[tuple[int, int]]:
        cuts, size = self.cuts, len(self.text)
        stretches: list[tuple[int, int]] = []
        for piece in pieces:
            start = cuts[piece - 1] + 1 if piece > 0 else 0
            end = cuts[piece] if piece < len(cuts) else size
            if stretches and start - stretches[-1][1] <= _MERGE_GAP:
                stretches[-1] = (stretches[-1][0], end)
            else:
                stretches.append((start, end))
        return stretches


def unit_starts(lowered: str) -> list[int]:
    """Where the matches of `_UNIT_END.finditer(lowered)` start: the matches of _UNITS_BY_FIRST
    but those inside the one before (every match ends a word, so such a one ends where it
    ends: "h" of "month", which finditer skips)."""
    found = []
    end = 0
    for start, unit_end in sorted(unit.span() for pattern in _UNITS_BY_FIRST for unit in pattern.finditer(lowered)):
        if start >= end:
            found.append(start)
            end = unit_end
    return found


_CUT_CLASS, _DIGIT_CLASS, _STOP_CLASS = 1, 2, 4  # _STOP_CLASS: "." or ","
_NON_ASCII = 0x80  # a byte of 0x80 | class stands for a non-ASCII character of that class
_ERRORS = "claimaudit.quantity_classes"


def cuts_and_digits(text: str) -> tuple[list[int], list[int]]:
    """The positions `_CUT` matches at, and the starts of the digit runs (`\\d+`), from a byte
    per character: its class (`_char_class`), ASCII characters through a translation table, the
    others through the encoding's error handler (same positions as the two regexes). A stop
    before a digit (`_STOP_BEFORE_DIGIT`) loses its cut bit by a replacement in the bytes; the
    cut bits are then read by one translation and one numpy pass, the digit runs (few) by a
    search of the bytes."""
    classes = text.encode("ascii", _ERRORS).translate(_CLASS_BYTES).replace(*_STOP_BEFORE_DIGIT)
    cuts = numpy.frombuffer(classes.translate(_CUT_BITS), dtype=numpy.uint8).nonzero()[0].tolist()
    return cuts, [found.start() for found in _DIGIT_RUN.finditer(classes)]


def _class_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """The encoding error handler: a byte `_NON_ASCII | class` for each non-ASCII character."""
    assert isinstance(error, UnicodeEncodeError)
    found = bytearray()
    for char in error.object[error.start:error.end]:
        value = _NON_ASCII_CLASSES.get(char)
        if value is None:
            value = _NON_ASCII_CLASSES[char] = _NON_ASCII | _char_class(char)
        found.append(value)
    return bytes(found), error.end


_NON_ASCII_CLASSES: dict[str, int] = {}
codecs.register_error(_ERRORS, _class_bytes)


def _char_class(char: str) -> int:
    """_CUT_CLASS for a character in `_CUT`'s class, _DIGIT_CLASS for a `\\d` character,
    _STOP_CLASS for "." and ","."""
    cut = not (_is_word(char) or char.isspace() or char in "-–—%~≥><=:≤/")
    return (_CUT_CLASS if cut else 0) | (_DIGIT_CLASS if char.isdecimal() else 0) | (_STOP_CLASS if char in ".," else 0)



def _after_count(text: str, lowered: str, position: int, words: tuple[str, ...], *, dash: bool) -> bool:
    """The word at `position` may follow a count as in the first duration pattern (`dash`) or
    the sessions pattern: before it, past spaces (maybe a dash and spaces), a digit or one of
    the `words` ends."""
    index = position
    while index > 0 and text[index - 1].isspace():
        index -= 1
    if dash and index > 0 and text[index - 1] in "-–":
        index -= 1
        while index > 0 and text[index - 1].isspace():
            index -= 1
    return index > 0 and (text[index - 1].isdigit() or lowered.endswith(words, 0, index))


def _is_word(char: str) -> bool:
    """`char` is a `\\w` character of `re`."""
    return char.isalnum() or char == "_"


# the class of each ASCII byte; a byte `_NON_ASCII | class` (from `_class_bytes`) to its class
_CLASS_BYTES = bytes(_char_class(chr(code)) if code < _NON_ASCII else code & ~_NON_ASCII for code in range(256))
# "." and "," are the only characters of _STOP_CLASS, and both are in _CUT_CLASS; a digit is in
# neither: a stop followed by a digit is these two bytes, and without its cut bit no cut
_STOP_BEFORE_DIGIT = (
    bytes((_CUT_CLASS | _STOP_CLASS, _DIGIT_CLASS)),
    bytes((_STOP_CLASS, _DIGIT_CLASS)),
)
assert {_char_class(char) for char in ".,"} == {_CUT_CLASS | _STOP_CLASS}
assert {_char_class(char) for char in "0123456789"} == {_DIGIT_CLASS}  # (what `_STOP_BEFORE_DIGIT` takes)
_CUT_BITS = bytes(code & _CUT_CLASS for code in range(256))  # a class byte -> 1 if a cut, else 0
# a class byte with the digit bit not after another: where a digit run starts
_DIGIT_BYTES = re.escape(bytes(code for code in range(8) if code & _DIGIT_CLASS))
_DIGIT_RUN = re.compile(b"[" + _DIGIT_BYTES + b"](?<![" + _DIGIT_BYTES + b"][" + _DIGIT_BYTES + b"])")


class _Taken:
    """Disjoint, non-empty character ranges already marked; overlap tests by bisection.

    Disjoint ranges sorted by start are sorted by end too, so the only candidate overlapping
    [start, end) is the last range starting before `end`.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True, slots=True)
class ParsedQuantity:
    value: float
    upper: float | None
    unit: str


def parse_number(text: str) -> float | None:
    text = text.strip().lower()
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


_NUMBER_IN_TEXT = compiled(rf"{_NUM}|\b(?:{_WORDNUM}|twice)\b", re.I)
_TIME_UNIT_IN_TEXT = compiled(rf"\b{_UNITS_TIME}\b", re.I)
_DOSE_UNIT_IN_TEXT = compiled(r"mg/kg|mg|mcg|µg|ml", re.I)


def parse_quantity(kind: str, text: str) -> ParsedQuantity:
    """Values of a quantity span: first number, second number (range/CI/ratio), unit."""
    numbers = [n for n in (parse_number(m.group()) for m in _NUMBER_IN_TEXT.finditer(text)) if n is not None]
    if kind == "ci":
        numbers = numbers[1:]  # drop the "95"
    value = numbers[0] if numbers else 0.0
    upper = numbers[1] if len(numbers) > 1 else None
    unit = ""
    if kind == "percent":
        unit = "%"
        fraction = _fraction_value(text)
        if fraction is not None:
            value, upper = fraction, None
    elif kind == "duration":
        match = _TIME_UNIT_IN_TEXT.search(text)
        if match:
            word = match.group().lower().rstrip("s") or "h"
            unit = UNIT_NORMAL.get(word, word)
        if value == 0.0 and not numbers:
            value = 1.0  # "within an hour", "a week"
    elif kind == "dose":
        match = _DOSE_UNIT_IN_TEXT.search(text)
        unit = match.group().lower() if match else ""
    elif kind == "ratio" and upper:
        unit = "ratio"
    return ParsedQuantity(value, upper, unit)


FRACTIONS = {
    "half": 50.0, "one half": 50.0, "a third": 33.3, "one third": 33.3, "two thirds": 66.7,
    "two-thirds": 66.7, "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0,
    "three-quarters": 75.0,
}


# the fractions as word-bounded patterns, longest first; each holds one of _FRACTION_WORDS
_FRACTION_PATTERNS = tuple(
    (compiled(rf"\b{re.escape(words)}\b"), value) for words, value in sorted(FRACTIONS.items(), key=lambda item: -len(item[0]))
)


def _fraction_value(text: str) -> float | None:
    """"more than half" -> 50.0; None when the text holds no fraction word."""
    lowered = text.lower()
    if not any(word in lowered for word in _FRACTION_WORDS):
        return None
    for pattern, value in _FRACTION_PATTERNS:
        if pattern.search(lowered):
            return value
    return None


def duration_in_hours(value: float, unit: str) -> float | None:
    factor = {"seconds": 1 / 3600, "minutes": 1 / 60, "hours": 1, "days": 24, "weeks": 168, "months": 730, "years": 8760}
    return value * factor[unit] if unit in factor else None
