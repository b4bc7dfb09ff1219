"""The exact regex shortcuts of nlp/scan.py and nlp/quantities.py give what a plain scan gives."""

from __future__ import annotations

import random
import re
import sys

import pytest

from claimaudit.nlp.phrases import compile_regex
from spacy.util import filter_spans

from claimaudit.nlp.quantities import PATTERNS, _Taken, _trim
from claimaudit.nlp.scan import LiteralStarts, finditer_kept, is_exact_lower, start_literals
from claimaudit.nlp.spans import TEXT_KEY, CharIndex

WORDS = (
    "one two three ten eleven twenty dozen dozens a an few several half third quarter two-thirds "
    "h hr hrs hour hours min mins minute day days week weeks wk month year yrs second seconds "
    "within in for after over about up to every of out sessions treatment infusions doses mg ml "
    "mg/kg µg percent per cent % OR HR RR odds ratio CI confidence interval p d g SMD N n = < > ≤ "
    "~ times fold more than patients people adults women participants Volunteers persons hazard Risk 95 2018 1999 0.5 .05 1,000 28.94 3 12 24h 5h "
    "ah inah twoh anh oneh x1999 21999 2049 1950s 2050 Studies research show shows found data findings our what trial trials "
    "tentative theorizes hypothesis gabaergic synapses rewired reset eliminates outperform "
    "Smith Jones van der Berg et al al. and & (2018) (1999) 2019a PMID PMID: 12345678 doi: "
    "doi:10.1000/x.y https://doi.org/10.1/z (PubMed) ſeven İn ıt Kelvin K STUDIES Research Show ( ) [ ] . , ; : ! ? \" ' ’ – — - / \n \n\n"
).split(" ")


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 60)):
            parts.append(rng.choice(WORDS))
            parts.append(rng.choice(("", " ", " ", " ", "  ", "\n")))
        texts.append("".join(parts))
    return texts


TEXTS = [
    "Over 70% of patients respond; 95% CI 1.2-3.4, p < .05, d = 0.8, N=28 adults.",
    "About 1 in 3 people improved after six sessions over two-thirds of a year (5 days).",
    "Relief inten h, within minutes, an hour, 24h, a-week, ah, twoh later; 10 mg/kg in 2018.",
    "Research shows it works. What does the research show? Our data show more. Studies have focused on it.",
    "ſeven days, İn one week, ıt lasted a Kelvin-K h; three ſessions.",
    "Smith et al. (2018) and Jones & Berg (2019); Lee and Park, (2020). PMID: 12345678, doi:10.1/ab.",
    *_random_texts(400, 12),
]


def _spans(matches) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [(m.start(), m.end()) for m in matches]


def test_start_literals_of_phrase_patterns() -> None:
    assert start_literals(compile_regex(["outperform*", "alleviate*"])) == ("alleviate", "outperform")
    assert start_literals(re.compile(r"(?<!\w)(?:study|studies)\b", re.I)) == ("stud",)
    assert start_literals(re.compile(r"(?:over\s+)?\d+%", re.I)) is None  # optional start
    assert start_literals(re.compile(r"ab|cde")) is None  # a literal too short to look up


def test_shared_prefixes_start_wherever_a_literal_starts() -> None:
    from claimaudit.nlp.scan import literal_positions, shared_prefixes

    literals = ("study", "studies", "research", "researchers", "trial", "trials", "data", "gaba", "rewir")
    prefixes = shared_prefixes(literals)
    assert prefixes == ("data", "gaba", "research", "rewir", "stud", "trial")
    assert shared_prefixes(("abc", "abd")) == ("abc", "abd")  # a shared "ab" is too short
    for text in TEXTS:
        lowered = text.lower()
        assert set(literal_positions(lowered, literals)) <= set(literal_positions(lowered, prefixes))


@pytest.mark.parametrize(
    "phrases",
    [["outperform*", "alleviate*"], ["gaba*", "synap*", "rewir*"], ["theoriz*"], ["studies", "study*", "research*", "researchers"]],
)
def test_literal_starts_find_what_finditer_finds(phrases: list[str]) -> None:
    pattern = compile_regex(phrases)
    starts = LiteralStarts(pattern)
    assert starts.literals is not None
    for text in TEXTS:
        lowered = text.lower()
        exact = lowered if is_exact_lower(text, lowered) else None
        assert _spans(starts.finditer(text, exact)) == _spans(pattern.finditer(text))


def test_attribution_frames_found_as_by_a_plain_scan(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.context import attribution_frames

    frames = nlp.get_pipe("claimaudit_context").frames
    assert frames.literals is not None
    for text in TEXTS:
        lowered = text.lower()
        exact = lowered if is_exact_lower(text, lowered) else None
        assert attribution_frames(text, frames, exact) == attribution_frames(text, frames.pattern)


def test_exact_lower_covers_every_character_ignorecase_treats_differently() -> None:
    """Outside the characters `is_exact_lower` refuses, `str.lower` keeps the length and the
    word/space/digit classes, and gives an ASCII letter exactly where IGNORECASE matches one."""
    letter = re.compile("[a-z]", re.I)
    word, space, digit = re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        lowered = char.lower()
        if not is_exact_lower(char, lowered):
            continue
        assert len(lowered) == 1
        assert bool(letter.fullmatch(char)) == ("a" <= lowered <= "z"), hex(code)
        for cls in (word, space, digit):
            assert bool(cls.match(char)) == bool(cls.match(lowered)), hex(code)


def _plain_quantities(doc) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """The quantity marking of a plain scan: each pattern over the whole text, earlier wins."""
    index = CharIndex(doc)
    text = doc.text
    spans = []
    taken = _Taken()
    for kind, pattern in PATTERNS:
        for match in (pattern.finditer(text) if kind != "sessions" else finditer_kept(pattern, text, _no_term_keeps)):
            start, end = _trim(text, match.start(), match.end())
            if end <= start or taken.overlaps(start, end):
                continue
            span = index.span(start, end, label=kind)
            if span is None:
                continue
            taken.add(start, end)
            spans.append(span)
    return [(s.start, s.end, s.label_) for s in sorted(filter_spans(spans), key=lambda s: s.start)]


def _no_term_keeps(match: re.Match[str]) -> bool:
    """The sessions pattern's rule on a doc without terms: only a treatment word between."""
    from claimaudit.nlp.quantities import _SESSION_WORDS

    word = match.group("treatment")
    return word is None or word.lower() in _SESSION_WORDS


def test_quantities_marked_as_by_a_plain_scan(nlp) -> None:  # type: ignore[no-untyped-def]
    marker = nlp.get_pipe("claimaudit_quantities")
    marked = 0
    for text in TEXTS:
        doc = marker(nlp.make_doc(text))
        found = [(s.start, s.end, s.label_) for s in doc.spans["quantities"]]
        assert found == _plain_quantities(doc), text
        marked += len(found)
    assert marked > 500


def test_tokenizer_keeps_the_exact_text(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert doc.user_data[TEXT_KEY] == text == doc.text


def _consumed(items) -> set[str]:  # type: ignore[no-untyped-def]
    """Characters a parsed pattern can consume or look at (None-free: fails on '.' and [^...])."""
    from claimaudit.nlp.scan import _sre

    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.IN:
            for item_op, item_av in av:
                assert item_op is not _sre.NEGATE
                if item_op is _sre.LITERAL:
                    chars.add(chr(item_av))
                elif item_op is _sre.RANGE:
                    chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
                else:
                    assert item_op is _sre.CATEGORY
        elif op is _sre.SUBPATTERN:
            chars |= _consumed(av[-1])
        elif op is _sre.BRANCH:
            for branch in av[1]:
                chars |= _consumed(branch)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            chars |= _consumed(av[2])
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            chars |= _consumed(av[1])
        else:
            assert op is _sre.AT, op
    return chars


def test_quantity_patterns_never_consume_a_cut_character() -> None:
    from claimaudit.nlp.quantities import _CI_PIECES, _CUT
    from claimaudit.nlp.scan import _sre_parse

    for kind, pattern in PATTERNS:
        cut = _CI_PIECES[0] if kind == "ci" else _CUT
        for char in _consumed(_sre_parse.parse(pattern.pattern, pattern.flags)):
            assert not cut.match(char + "0"), (char, pattern.pattern)  # "." and "," cut unless a digit follows
        if kind != "ci":
            # "." and "," only ever before a digit (where _CUT does not cut)
            source = re.sub(r"\{\d+,\d*\}", "", pattern.pattern)
            assert all(after.startswith(r"\d") for after in re.split(r"\\\.|,", source)[1:]), pattern.pattern


def test_citation_markers_found_as_by_a_plain_scan(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.citations import MARKER_PATTERNS, _PIECES, _marker_matches

    found = 0
    for text in TEXTS:
        doc = nlp.make_doc(text)
        for number, (_, pattern) in enumerate(MARKER_PATTERNS):
            spans = _spans(_marker_matches(number, pattern, text, doc))
            assert spans == _spans(pattern.finditer(text)), (number, text)
            found += len(spans)
    assert found > 100
    for number, (cut, _) in _PIECES.items():
        pattern = MARKER_PATTERNS[number][1]
        for char in _consumed(_sre_parse_of(pattern)):
            assert not cut.match(char), (char, pattern.pattern)


def _sre_parse_of(pattern: re.Pattern[str]):  # type: ignore[no-untyped-def]
    from claimaudit.nlp.scan import _sre_parse

    return _sre_parse.parse(pattern.pattern, pattern.flags)


def test_cuts_and_digits_match_the_regexes() -> None:
    from claimaudit.nlp.quantities import _CUT, cuts_and_digits

    every = "".join(chr(c) + ("1." if c % 7 == 0 else ",") for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    stops = "..5 .,5 1.2.3 ,,1 a.\u0663 5. ., 1,,2 .\u0663\u0664.5"
    for text in [*TEXTS, every, "", "7", ".", ".5,5", "a\udc80.5 \ud800,7 ٣.٤ é,1", stops]:
        cuts, digits = cuts_and_digits(text)
        assert cuts == [m.start() for m in _CUT.finditer(text)]
        assert digits == [m.start() for m in re.finditer(r"\d+", text)]


def test_filter_matches_keeps_what_filter_spans_keeps(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    from claimaudit.nlp.terms import filter_matches

    rng = random.Random(5)
    doc = nlp.make_doc(" ".join(["word"] * 40))
    for count in [12] * 300 + [40] * 300:  # dense: mostly overlapping; sparse: runs of a few
        matches = []
        for _ in range(rng.randint(0, count)):
            start = rng.randint(0, 38)
            matches.append((start, rng.randint(start + 1, min(start + (5 if count < 40 else 2), 40)), rng.randint(1, 3)))
        spans = [Span(doc, s, e, label=str(i)) for s, e, i in matches]
        assert [(s, e, int(i)) for s, e, i in filter_matches(matches)] == [(s.start, s.end, int(s.label_)) for s in filter_spans(spans)]


_TIME_TEXTS = [
    "eighth month monthh a month, 5months two -  week 24 – hours an\u00a0hour sevenh tenh fewh an-hr h 3h",
    "for years every day the days today within minutes after a few hours mont h manh wh 2 ²h ¹ day",
    "3 IV infusions, two weekly sessions, 4 subcutaneous  doses, six ketamine treatments, 5-sessions",
    "few in ten, a few in 10, A Dozen weekly sessions, a dozens of 12 visits, xa few doses, 2a few, a  few visits",
    "ten\ntreatment, twelve IVinfusion, a few\tsprays, dozens of visits, 2 Weekly Doses, some sessions",
    *_random_texts(300, 21),
]


def _time_units_reference(text: str, lowered: str) -> list[int]:
    """Unit starts by a search of each unit word: `_UNIT_END` there and the word condition."""
    from claimaudit.nlp.quantities import _BEFORE_UNIT, _UNIT_END, _is_word
    from claimaudit.nlp.scan import literal_positions

    words = ("min", "hour", "hr", "day", "week", "wk", "month", "year", "yr", "second", "h")
    return [
        p for p in literal_positions(lowered, words)
        if _UNIT_END.match(lowered, p)
        and (p == 0 or not _is_word(text[p - 1]) or text[p - 1].isdigit() or lowered.endswith(_BEFORE_UNIT, 0, p))
    ]


def test_time_units_found_as_by_a_search_of_each_unit() -> None:
    from claimaudit.nlp.quantities import _Pieces

    found = 0
    for text in _TIME_TEXTS + TEXTS:
        lowered = text.lower()
        if not is_exact_lower(text, lowered):
            continue
        units = _Pieces(text, lowered)._time_units()
        assert units == _time_units_reference(text, lowered), text
        found += len(units)
    assert found > 300


def test_each_quantity_pattern_finds_in_its_regions_what_it_finds_in_the_text() -> None:
    from claimaudit.nlp.quantities import _CI_PIECES, NEEDS, _Pieces
    from claimaudit.nlp.scan import anchored_pieces

    found = 0
    for text in _TIME_TEXTS + TEXTS:
        lowered = text.lower()
        pieces = _Pieces(text, lowered if is_exact_lower(text, lowered) else None)
        for (kind, pattern), needs in zip(PATTERNS, NEEDS):
            regions = anchored_pieces(text, *_CI_PIECES) if kind == "ci" else pieces.regions(needs)
            if kind == "sessions":  # (a match is kept by its treatment word: `_Pieces.keeps_treatment`)
                in_regions = [m.span() for low, high in regions for m in finditer_kept(pattern, text, _no_term_keeps, low, high)]
                assert in_regions == _spans(finditer_kept(pattern, text, _no_term_keeps)), (kind, text)
            else:
                in_regions = [m.span() for low, high in regions for m in pattern.finditer(text, low, high)]
                assert in_regions == _spans(pattern.finditer(text)), (kind, text)
            assert _spans(pieces.matches(kind, pattern, needs)) == in_regions, (kind, text)
            found += len(in_regions)
    assert found > 1000


def test_literal_positions_in_stretches_are_those_inside_them() -> None:
    from claimaudit.nlp.scan import Stretches, literal_positions

    rng = random.Random(7)
    literals = ("mg", "ml", "=", "dose", "doses", "per cent", "%", "one")
    found = 0
    for text in _random_texts(300, 31):
        lowered = text.lower()
        cuts = sorted(rng.sample(range(len(lowered) + 1), min(len(lowered) + 1, 2 * rng.randint(0, 4))))
        stretches = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
        inside = [
            p for p in literal_positions(lowered, literals)
            if any(start <= p and p + len(literal) <= end for start, end in stretches for literal in literals
                   if lowered.startswith(literal, p))
        ]
        assert Stretches(lowered, stretches).literal_positions(literals) == inside, (text, stretches)
        found += len(inside)
    assert found > 100


def test_start_literals_from_the_pattern_cache_are_the_computed_ones(cache_dir: object) -> None:
    from claimaudit.nlp import analysis_cache
    from claimaudit.nlp.scan import _start_literals

    patterns = [compile_regex(["outperform*", "alleviate*"]), re.compile(r"(?<!\w)(?:study|studies)\b", re.I),
                re.compile(r"(?:over\s+)?\d+%", re.I), re.compile(r"ab|abcd"), re.compile(r"ab|abcd", re.I)]
    for _ in range(2):  # computed, then (a fresh process) from the saved cache
        for pattern in patterns:
            for min_length in (2, 3, 4):
                assert start_literals(pattern, min_length) == _start_literals(pattern, min_length)
        analysis_cache.save()
        analysis_cache.reset()


def test_phrase_index_spans_are_those_of_its_matches(nlp) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import Span

    from claimaudit.nlp.phrases import PhraseIndex

    index = PhraseIndex(nlp, {"a": ["is proven", "rewir*", "works"], "b": ["proven", "synap* changes", "gaba*"]})
    found = 0
    for text in [*TEXTS[:6], "It is proven: rewiring of GABAergic synapse changes works, proven twice. Rewired!"]:
        doc = nlp(text)
        chars = CharIndex(doc)
        expected = []
        for label, start, end, is_char in index.label_matches(doc, text):
            span = chars.span(start, end, label=label) if is_char else Span(doc, start, end, label=label)
            if span is not None:
                expected.append((span.start, span.end, span.label_))
        assert [(s.start, s.end, s.label_) for s in index.spans(doc, text)] == expected, text
        found += len(expected)
    assert found > 8


def test_phrase_index_regex_matches_are_each_regexs_matches(nlp) -> None:  # type: ignore[no-untyped-def]
    """The prefix-word regexes give, in label order, the matches each finds in the whole text
    (the page-wide look-up of their start literals skips them only when none occurs)."""
    from claimaudit.nlp.phrases import PhraseIndex

    index = PhraseIndex(nlp, {"a": ["is proven", "rewir*", "works"], "b": ["synap* changes", "gaba*"], "c": ["x"]})
    assert index.prefixes == ("gaba", "rewir", "synap")
    texts = [*TEXTS[:6], "It is proven: rewiring of GABAergic synapse changes works. Rewired!", "No such word.",
             "Synapses changes; KETAMİNE rewires"]
    for text in texts:
        doc = nlp(text)
        strings = doc.vocab.strings
        expected = [(strings.add(label), m.start(), m.end()) for label, pattern in index.regexes
                    for m in pattern.pattern.finditer(text)]
        assert index.regex_matches(doc, text) == expected, text
    assert any(index.regex_matches(nlp(text), text) for text in texts)


def test_page_literal_positions_are_literal_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one pass over a page finds every (overlapping) occurrence `str.find` finds; literals
    it does not take (short, non-ASCII, not shared) are found by `str.find`; a page's answers are
    kept for that text object only."""
    from claimaudit.nlp import scan

    monkeypatch.setattr(scan, "_PAGE_LITERALS", set())
    monkeypatch.setattr(scan, "_page_pass", None)
    monkeypatch.setattr(scan, "_last_page", None)
    monkeypatch.setattr(scan, "_OTHERS", {})
    shared = ("one", "ones", "tenet", "ten", "net", "few", "fewer", "data", "doi:", "stud")
    scan.share_page_literals(shared)
    scan.share_page_literals(("ok", "née"))  # too short, not ASCII: not shared
    assert scan._PAGE_LITERALS == set(shared)
    rng = random.Random(7)
    alphabet = "onetfwrdais:u é\n"
    for _ in range(200):
        lowered = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300))) + " tenetones fewer doi:stud"
        for literals in (shared, shared[:3], ("ten",), ("net", "few"), ("ok", "one"), ("née",), ()):
            assert scan.page_literal_positions(lowered, literals) == scan.literal_positions(lowered, literals)
    first = "tenet " * 3
    second = "".join(["tenet "] * 3)  # the same text, another object
    assert scan.page_literal_positions(first, ("net",)) == [2, 8, 14]
    monkeypatch.setattr(scan, "_last_page", (second, {"net": [99]}))
    assert scan.page_literal_positions(second, ("net",)) == [99]  # kept for that object
    assert scan.page_literal_positions(first, ("net",)) == [2, 8, 14]  # not for an equal one


def test_last_page_offsets_reuses_the_last_pass_only_for_its_text_and_shared_literals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another scan of the same lower-cased text (an equal string too) reads the offsets the
    last page pass found, as copies; any other text, or a literal the pass does not find: None."""
    from claimaudit.nlp import scan

    monkeypatch.setattr(scan, "_PAGE_LITERALS", set())
    monkeypatch.setattr(scan, "_page_pass", None)
    monkeypatch.setattr(scan, "_last_page", None)
    monkeypatch.setattr(scan, "_OTHERS", {})
    scan.share_page_literals(("ten", "tenet", "net", "owl", "rain"))
    page = "tenet of the owls: ten nets"
    assert scan.last_page_offsets(page, frozenset({"net"})) is None  # no pass yet
    assert scan.page_literal_positions(page, ("ten",)) == [0, 19]
    wanted = frozenset({"net", "tenet", "rain"})
    found = scan.last_page_offsets("".join(["tenet of the owls: ", "ten nets"]), wanted)
    assert found == {"tenet": [0], "net": [2, 23]}  # "rain" is absent
    for literal in wanted:
        assert found.get(literal, []) == scan.literal_positions(page, (literal,))
    del found["net"]  # a new dict: the pass keeps its offsets
    assert scan.page_literal_positions(page, ("net",)) == [2, 23]
    assert scan.last_page_offsets(page, frozenset({"net", "the"})) is None  # "the" is not shared
    assert scan.last_page_offsets("another page", frozenset({"net"})) is None


def test_the_components_page_literals_are_found_in_one_pass(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp import citations, quantities, scan

    starts = [pattern for _, pattern in nlp.get_pipe("claimaudit_cues").index.regexes]
    starts += [pattern for _, pattern in nlp.get_pipe("claimaudit_context").index.regexes]
    starts += [nlp.get_pipe("claimaudit_context").frames, *citations._STARTS.values()]
    literals = {p for pattern in starts for p in pattern.prefixes or ()}
    literals |= set(quantities._NUMBER_WORDS + quantities._FRACTION_WORDS)
    assert literals <= scan._PAGE_LITERALS


def test_finditer_kept_is_finditer_of_the_pattern_restricted_to_kept_matches() -> None:
    """A rejected match moves the search on by one character: matches that start inside it are
    still found, as a pattern that never matched there would find them."""
    pattern = re.compile(r"\d+(?:\s+(?P<word>[a-z]+))??\s+sessions")  # (the word after no word, as quantities')
    text = "at 4 six sessions, 3 free sessions, 2 weekly sessions and 5 sessions"
    keep = lambda m: m.group("word") in (None, "weekly")  # noqa: E731
    restricted = re.compile(r"\d+(?:\s+weekly)?\s+sessions")
    assert _spans(finditer_kept(pattern, text, keep)) == _spans(restricted.finditer(text))
    assert _spans(finditer_kept(pattern, text, keep, 20, 60)) == _spans(restricted.finditer(text, 20, 60))
    rng = random.Random(3)
    words = ("1", "22", "free", "weekly", "sessions", " ", "  ", "x")
    for _ in range(300):
        sample = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        assert _spans(finditer_kept(pattern, sample, keep)) == _spans(restricted.finditer(sample)), sample


def test_unit_starts_are_where_the_unit_alternation_finds_its_matches() -> None:
    from claimaudit.nlp.quantities import _UNIT_END, unit_starts

    found = 0
    for text in [*TEXTS, "months monthh hh h-h 5hrs yrs.wks mins minutes4 daysdays secondseconds h"]:
        lowered = text.lower()
        starts = unit_starts(lowered)
        assert starts == [m.start() for m in _UNIT_END.finditer(lowered)], text
        found += len(starts)
    assert found > 300


_LOWERABLE = (
    r"\b(?:CI|Odds ratio)\s*[:=]?\s*\d+(?:\.\d+)?",
    r"[A-Z][a-z]+\s+(?P<word>x)?(?P<after>[^\W\d]+)\b(?!\s*[–-])",
    r"(?<![\w])(?:per cent|%|PERCENT)(?=\s|$)",
    r"[^A-Z\s]+Q\B",
)


@pytest.mark.parametrize("source", _LOWERABLE)
def test_a_lowered_pattern_matches_the_lowered_text_where_the_pattern_matches_the_text(source: str) -> None:
    from claimaudit.nlp.scan import lowered_pattern

    pattern = re.compile(source, re.IGNORECASE)
    lowered = lowered_pattern(pattern)
    assert lowered is not None and not lowered.flags & re.IGNORECASE
    own = ["Odds Ratio = 2.5 and ci: 3; OR 4", "PER CENT, Per cent 5% (percent)", "AbcQ xq ÉtéQ; Kelvin Hours-x", "Dose Xyz - 4"]
    compared = 0
    for text in own + TEXTS:
        text_lowered = text.lower()
        if not is_exact_lower(text, text_lowered):
            continue
        assert _spans(lowered.finditer(text_lowered)) == _spans(pattern.finditer(text)), text
        compared += 1
    assert compared > 200


@pytest.mark.parametrize(
    "source",
    [
        r"µg", r"(?-i:OR)|ratio", r"(?i)x", r"\x41", r"[A-z]", r"[0-Z]", r"(?P<Name>a)", r"\N{LATIN SMALL LETTER A}",
        r"[?-[]", r"[!-~]", "[\u00a1-\u00bf]", r"[a\-\x41]",
        # an escaped "[" before a flag group, an escaped cased symbol, a range from an escaped
        # character over letters, backreferences ("σΣ": IGNORECASE compares σ, lower() writes ς)
        r"[(\[]\s*(?s-i:PMID)", r"[x[]\s*(?m-i:PMID)", "Step \\\u24b7\\s+\\d", r"[\--Z]", r"[\.-Z]+",
        r"(?P<c>\w)(?P=c)", r"(?P<w>\w+) (?P=w)", r"(a)\1",
    ],
)
def test_no_lowered_pattern_where_lower_casing_could_change_the_matches(source: str) -> None:
    from claimaudit.nlp.scan import lowered_pattern

    assert lowered_pattern(re.compile(source, re.IGNORECASE)) is None
    assert lowered_pattern(re.compile("abc")) is None  # (not IGNORECASE: nothing to gain)


class _EverySubstance:
    """Substance terms everywhere: a sessions match keeps any word before its session word."""

    def spans(self, start: int, end: int) -> bool:
        return True


def test_session_counts_are_found_as_by_a_plain_scan_whatever_word_names_the_treatment() -> None:
    from claimaudit.nlp.quantities import NEEDS, _Pieces

    pattern, needs = next((p, n) for (kind, p), n in zip(PATTERNS, NEEDS) if kind == "sessions")
    own = ["6 ketamine sessions; 2 (IV) doses, three Spravato-nasal sprays. 4 visits", "x 5 foo infusions, 1 dose"]
    found = 0
    for text in own + TEXTS:
        lowered = text.lower()
        pieces = _Pieces(text, lowered if is_exact_lower(text, lowered) else None, _EverySubstance())  # type: ignore[arg-type]
        expected = _spans(finditer_kept(pattern, text, pieces.keeps_treatment))
        assert _spans(pieces.matches("sessions", pattern, needs)) == expected, text
        found += len(expected)
    assert found > 30


def test_the_quantity_patterns_run_lowered_and_find_what_they_find_in_the_text() -> None:
    """The quantities component searches lower-cased pages with the lowered forms of its
    IGNORECASE patterns (`quantities._LOWERED`): most have one, and each finds the same spans."""
    from claimaudit.nlp.quantities import _LOWERED, PATTERNS

    lowered_forms = [(pattern, _LOWERED[id(pattern)]) for _, pattern in PATTERNS if _LOWERED[id(pattern)] is not None]
    assert len(lowered_forms) * 2 > len(PATTERNS)
    for text in TEXTS:
        text_lowered = text.lower()
        if is_exact_lower(text, text_lowered):
            for pattern, lowered in lowered_forms:
                assert _spans(lowered.finditer(text_lowered)) == _spans(pattern.finditer(text)), (pattern.pattern, text)
