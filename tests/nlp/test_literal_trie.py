"""Literal scans (`nlp/literal_trie.py`): the trie regexes, `LiteralIndex` and `Literals` find
exactly the literals that occur, `GramStarts` every offset where one may start,
`occurrences` and `gate_starts` every offset where one does."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.nlp import analysis_cache
from claimaudit.nlp.leading import StartsWith, matches_at, prefixes
from claimaudit.nlp.literal_trie import (
    GramStarts,
    LiteralIndex,
    Literals,
    LiteralTrie,
    gate_starts,
    literal_gate,
    literal_source,
    occurrences,
    trie_source,
)
from claimaudit.nlp.prefilter import fold


def _find_all(haystack: str, needle: str) -> list[int]:
    return [at for at in range(len(haystack)) if haystack.startswith(needle, at)]


def test_occurrences_are_every_start_of_the_needle() -> None:
    rng = random.Random(5)
    for _ in range(500):
        haystack = "".join(rng.choice("ab a\n") for _ in range(rng.randint(0, 30)))
        needle = "".join(rng.choice("ab \n") for _ in range(rng.randint(1, 3)))
        assert occurrences(haystack, needle) == _find_all(haystack, needle)


def test_gate_starts_are_every_start_of_a_literal_of_the_gate() -> None:
    rng = random.Random(9)
    for _ in range(300):
        literals = {"".join(rng.choice("ab.") for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))}
        gate = literal_gate(literals)
        assert gate is not None
        haystack = "".join(rng.choice("ab. ") for _ in range(rng.randint(0, 30)))
        expected = sorted({at for literal in literals for at in _find_all(haystack, literal)})
        assert list(gate_starts(gate.search, haystack)) == expected


def test_literal_trie_lists_each_literals_prefixes_in_the_set() -> None:
    rng = random.Random(11)
    for _ in range(200):
        literals = ["".join(rng.choice("abc.") for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(0, 10))]
        trie = LiteralTrie(literals)
        assert trie.literals == tuple(sorted(set(literals) - {""}))
        assert trie.source == literal_source(trie.literals, longest=True)
        assert trie.prefixes_of == {
            literal: tuple(p for p in trie.literals if literal.startswith(p)) for literal in trie.literals}


def test_both_scans_find_exactly_the_literals_that_occur() -> None:
    """`LiteralIndex.present` and `Literals.offsets` (with and without a gram table) on one set."""
    rng = random.Random(3)
    for _ in range(150):
        literals = {"".join(rng.choice("abn' ") for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 8))}
        if rng.random() < 0.5:
            literals = {literal for literal in literals if len(literal) >= 3} or {"abn"}  # a gram table
        index, page = LiteralIndex(literals), Literals([], literals)
        for _ in range(10):
            text = "".join(rng.choice("abn' x") for _ in range(rng.randint(0, 40)))
            expected = {literal for literal in literals if literal in text}
            assert index.present(text) == expected
            offsets = page.offsets(text)
            assert set(offsets) == expected
            assert all(offsets[literal] == _find_all(text, literal) for literal in expected)


def test_starts_with_is_the_pattern_search() -> None:
    """`StartsWith` (a trie of the leading literals) and `matches_at` at their offsets answer
    as `search`; a pattern without leading literals is searched whole."""
    patterns = [re.compile(r"\b(?:book|schedule)\s+a\b", re.I), re.compile(r"(?:ab|b)+c", re.I),
                re.compile(r"\w+c", re.I), re.compile(r"\bss\b|s", re.I)]
    words = ["book", "BOOK", "schedule", " a", "ab", "b", "c", "ss", "\u017f", "\u212a", " ", "x"]
    rng = random.Random(17)
    texts = ["", "book a visit", "Schedule  A call"]
    texts += ["".join(rng.choice(words) for _ in range(rng.randint(0, 8))) for _ in range(1000)]
    assert StartsWith(patterns[2]).prefixes is None
    for pattern in patterns:
        starts, leading = StartsWith(pattern), prefixes(pattern)
        for text in texts:
            expected = pattern.search(text) is not None
            assert starts.exists(text) == expected, (pattern.pattern, text)
            assert matches_at(pattern, text, range(len(text) + 1)) == expected
            if leading is not None:
                offsets = [at for literal in leading for at in occurrences(fold(text), literal)]
                assert matches_at(pattern, text, offsets) == expected


def test_literal_gate_finds_a_literal_exactly_when_one_occurs() -> None:
    literals = ["risk", "risks", "safe", "safely", "side effect", "100%", "a.b", "sa"]
    texts = ["", "no risk here", "ri sk", "unsafe", "a side effect", "side-effect", "100 %", "100%",
             "axb", "a.b", "s", "sa", "xs"]
    gate = literal_gate(literals)
    assert gate is not None and literal_gate([]) is None
    for text in texts:
        assert (gate.search(text) is not None) == any(lit in text for lit in literals), text


def test_literal_source_is_the_gate_pattern_and_scans_like_it() -> None:
    literals = ["gra", "grape", "grapefruit", "lime", "lim", "x.y"]
    for longest in (False, True):
        gate = literal_gate(literals, longest=longest)
        assert gate is not None and gate.pattern == literal_source(literals, longest=longest)
    assert literal_source([]) is None and literal_gate([]) is None
    index = LiteralIndex(literals)
    for text in ("a grapefruit and a lime", "limx.y", "nothing here", "grap", ""):
        assert index.present(text) == {literal for literal in literals if literal in text}


def test_literal_source_from_the_pattern_cache_is_the_built_one(cache_dir: object) -> None:
    rng = random.Random(7)
    sets = [["a", "ab", "abc", "b"], ["", "x"], ["x"], [], ["fda", "fda-approved", "f.d.a.", "(x)"], ["a\0b", "a"]]
    sets += [["".join(rng.choice("ab.-\u00e9") for _ in range(rng.randint(0, 5))) for _ in range(12)] for _ in range(20)]
    expected = {(i, longest): trie_source(literals, longest=longest) for i, literals in enumerate(sets) for longest in (False, True)}
    for _ in range(2):  # computed, then (a fresh process) from the saved cache
        for (i, longest), source in expected.items():
            assert literal_source(reversed(sets[i] * 2), longest=longest) == source
        analysis_cache.save()
        analysis_cache.reset()


def test_literal_index_finds_every_literal_in_the_text() -> None:
    rng = random.Random(7)
    alphabet = "abcno' -.*(\\"  # (regex characters too: the scan escapes them)
    for _ in range(300):
        literals = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 12))}
        index = LiteralIndex(literals)
        for _ in range(20):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            assert index.present(text) == {literal for literal in literals if literal in text}, (literals, text)
    words = LiteralIndex(["min", "minute", "ute", "for", "forever", "ever", "over", "no", "not", "n't"])
    text = "within minutes, forever and not over; it isn't"
    assert words.present(text) == {"min", "minute", "ute", "for", "forever", "ever", "over", "no", "not", "n't"}
    assert LiteralIndex([]).present("anything") == frozenset()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("youracetmnsd -'\u00e9\u2019\x7f\ud800")), max_size=40).map("".join))
def test_gram_starts_offsets_are_the_trie_scan(text: str) -> None:
    """Trying the trie only at the 3- and 4-gram candidates finds what trying it everywhere does."""
    index = Literals([], ["you", "your", "are", "treatment", "don't", "yourself", "ate", "tea"])
    assert index.grams is not None
    with_grams = index.offsets(text)
    candidates = index.grams.candidates(text)
    index.grams = None
    try:
        assert with_grams == index.offsets(text)
    finally:
        index.grams = GramStarts.of(index.literals)
    if candidates is not None:  # a superset of the starts, in order
        assert candidates == sorted(set(candidates))
        assert {at for offsets in with_grams.values() for at in offsets} <= set(candidates)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["treatment", "yourself", "don't", "tea", "r", "x", " ", "-", "\u00e9", "\u2019"]),
                max_size=30).map("".join),
       st.integers(min_value=1, max_value=9))
def test_gram_starts_read_in_windows_are_those_of_one_window(text: str, window: int) -> None:
    """A long text is read `GramStarts.WINDOW` starts at a time; small windows give the same
    candidates."""
    grams = GramStarts.of(["you", "your", "are", "treatment", "don't", "yourself", "ate", "tea"])
    assert grams is not None
    whole = grams.candidates(text)
    assert grams.candidates(text, window) == whole


def test_gram_starts_only_for_short_ascii_alphabets() -> None:
    assert GramStarts.of(["you", "your"]) is not None
    assert GramStarts.of(["yo", "your"]) is None  # shorter than 3
    assert GramStarts.of(["café"]) is None  # not ASCII
    assert GramStarts.of([]) is None
    assert GramStarts.of(["".join(chr(c) for c in range(33, 90))]) is None  # alphabet too large


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("youracetmnsd? -'\u00e9\u2019\x7f\x00")), max_size=40).map("".join))
def test_gram_starts_of_both_readings_hold_every_start(text: str) -> None:
    """A text read as bytes (hashed 4-byte numbers) and one read as UTF-32 ("?" among the
    literals' characters) both give every offset where a literal starts, in order."""
    for literals in (["you", "your", "are", "treatment", "don't", "ate"], ["you", "your", "are?", "t?a", "ate"]):
        grams = GramStarts.of(literals)
        assert grams is not None and (grams.table is None) == ("?" in "".join(literals))
        candidates = grams.candidates(text)
        assert candidates is not None and candidates == sorted(set(candidates))
        starts = {at for literal in literals for at in range(len(text)) if text.startswith(literal, at)}
        assert starts <= set(candidates)
