"""Anchored counts and tests answer exactly as `findall` and `search` do."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimaudit.claims.anchored import Anchored, Haystack, needle_tail
from claimaudit.nlp.leading import prefixes
from claimaudit.claims.facts import CALL_TO_ACTION, LIMIT_WORDS, REVIEW_DATE, SOURCE_URL
from claimaudit.claims.page_kind import _cues

PATTERNS = [
    re.compile(r"\b(?:book|schedule)\s+(?:a|an|your)\s+(?:free\s+)?consult(?:ation)?\b", re.I),
    re.compile(r"\b(?:you|your|you're)\b", re.I),
    re.compile(r"(?:[$£€]|\bUSD\s?)\s?\d[\d,]*\s*(?:per|a)\s*(?:session|dose)", re.I),
    re.compile(r"(?<!do\s)\b(?:experts?|critics)\s+(?:warn|say)\b", re.I),
    re.compile(r"(?m)^\s*(?:methods?|results)\s*:", re.I),
    re.compile(r"\b(?-i:We\s+Are\s+[A-Z])", re.I),
    re.compile(r"[★⭐]{3,}"),
    re.compile(r"\b(?:a|the)\s+clinic\b", re.I),
    re.compile(r"\b(?:a|the)\s+(?:new\s+)?clinic\s+(?:in|opened)\b", re.I),  # searched after its tail
    re.compile(r"\b(?:a|the)\s+Clinic\s+in\b"),
    re.compile(r"\bss\b|s", re.I),  # overlapping starts: findall's order decides
    *(p for cue in _cues() for p in cue.patterns),
    CALL_TO_ACTION, SOURCE_URL, LIMIT_WORDS, REVIEW_DATE,
]
TEXTS = [
    "Book a free consultation today, or schedule your consult online. You're welcome!",
    "Experts warn; critics say more. We do say nothing. Do experts warn? do experts say",
    "Sessions cost $450 per session, £120 a dose or USD 99 per dose.",
    "Methods: we randomised adults.\nResults: lower scores.\n  methods : again",
    "We Are Harbourside. we are not. ★★★★ ⭐⭐⭐ the clinic, a clinic.",
    "ſchedule a conſultation with İnfusion KETAMINE and your Kelvin K; sss ss s",
    "Reviewed by Dr. Lee on March 3, 2024. Updated: 2023-05-01. https://pubmed.ncbi.nlm.nih.gov/1",
    "Evidence is limited; more research is needed. Not a cure. Call us to get started.",
    "Our 5-star reviews: 5 star rated, x5 star rating, 15 star reviews, 5\nstar reviews. [see WARNINGS]",
    "A new clinic in town; the clinic opened. a CLINIC  in, the\nclinic\tin, theclinic in, a Clinic in, clinic in",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_count_and_exists_are_findall_and_search(text: str) -> None:
    haystack = Haystack(text)
    for pattern in PATTERNS:
        anchored = Anchored(pattern)
        assert anchored.count(text) == len(pattern.findall(text)), pattern.pattern
        assert anchored.count(text, haystack) == len(pattern.findall(text)), pattern.pattern
        assert anchored.exists(text, haystack) == bool(pattern.search(text)), pattern.pattern
        head = text[:30]
        assert anchored.count(head, haystack) == len(pattern.findall(head)), pattern.pattern


def test_prefixes_are_the_strings_a_match_starts_with() -> None:
    assert set(prefixes(PATTERNS[0]) or ()) == {"book", "schedule"}
    assert prefixes(PATTERNS[1]) == ("you",)
    assert set(prefixes(PATTERNS[2]) or ()) == {"$", "£", "€", "usd"}
    assert prefixes(re.compile(r"\d+ mg")) is None
    assert set(prefixes(re.compile(r"(?:very )?safe", re.I)) or ()) == {"safe", "very safe"}
    assert set(prefixes(re.compile(r"x*safe")) or ()) == {"x", "safe"}
    assert prefixes(re.compile(r"(?:\w+ )?safe")) is None


ALPHABET = st.sampled_from(list("abcdeksuyo ,.:\n$£★İıſK") + ["you", "book ", "a clinic", "Experts say", "ss"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_random_texts(text: str) -> None:
    haystack = Haystack(text)
    for pattern in PATTERNS[:9]:
        anchored = Anchored(pattern)
        assert anchored.count(text, haystack) == len(pattern.findall(text)), pattern.pattern
        assert anchored.exists(text, haystack) == bool(pattern.search(text)), pattern.pattern


@pytest.mark.parametrize("text", TEXTS)
def test_count_up_to_a_limit(text: str) -> None:
    haystack = Haystack(text)
    for pattern in PATTERNS:
        anchored = Anchored(pattern)
        for limit in (1, 2, 3):
            assert anchored.count(text, haystack, limit) == min(len(pattern.findall(text)), limit), pattern.pattern


DATE_PIECES = st.sampled_from(
    ["Reviewed", "updated", "UPDATED", "reviewed by", "March 3, 2024", "3 Mar 2021", "2023-05-01", "1/2/23",
     "Sept. 2019", "٣", "2020", " ", "\n", "x" * 19, ": ", "date ", "on ", "K"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(DATE_PIECES, max_size=12).map("".join))
def test_review_date_gate_answers_as_the_pattern(text: str) -> None:
    from types import SimpleNamespace

    from claimaudit.claims.facts import _has_review_date

    document = SimpleNamespace(text=text, meta=())
    assert _has_review_date(document) == bool(REVIEW_DATE.search(text))  # type: ignore[arg-type]
    assert _has_review_date(document, Haystack(text)) == bool(REVIEW_DATE.search(text))  # type: ignore[arg-type]


def test_literals_presence_is_each_literal_in_the_text() -> None:
    from claimaudit.nlp.literal_trie import Literals
    from claimaudit.claims.facts import _page_literals
    from claimaudit.nlp.prefilter import fold

    literals = _page_literals()
    small = Literals([Anchored(p) for p in PATTERNS[:9]])
    assert literals.literals and small.literals
    for text in [*TEXTS, "you your yours tour our ourselves", "a\nb", "$$ £ €€ doi.org/10.1 pp. 12"]:
        for index in (literals, small):
            folded = fold(text)
            assert set(index.offsets(folded)) == {literal for literal in index.literals if literal in folded}
    assert Literals([]).offsets("anything") == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_haystack_with_literals_answers_as_without(text: str) -> None:
    from claimaudit.claims.facts import _page_literals

    plain, indexed = Haystack(text), Haystack(text, _page_literals())
    assert indexed.present == {literal for literal in _page_literals().literals if literal in plain.folded}
    for pattern in PATTERNS:
        anchored = Anchored(pattern)
        assert anchored.count(text, indexed) == anchored.count(text, plain) == len(pattern.findall(text))
        assert anchored.exists(text, indexed) == bool(pattern.search(text))


LINE_PATTERNS = [
    re.compile(r"(?m)^\s*(?:methods?|results)\s*:", re.I),
    re.compile(r"(?m)^\s*(?:abstract|results)\s*[:.]?\s*$", re.I),
    re.compile(r"(?m)^(?:x|)"),  # may match empty at every line start
    re.compile(r"(?m)^\s*\d{1,2}\s+(?-i:WARNINGS)\b", re.I),
]


def test_line_start_patterns_are_tried_at_line_starts_only() -> None:
    from claimaudit.claims.anchored import line_starts, starts_at_line

    assert all(starts_at_line(p) for p in LINE_PATTERNS)
    for other in (r"(?m)a|^b", r"^abc", r"(?m)(?:^a|b)", r"(?m)\s*^a", r"(?m)a^"):
        assert not starts_at_line(re.compile(other))
    assert line_starts("") == [0]
    assert line_starts("a\nb\n\nc\n") == [0, 2, 4, 5, 7]
    assert line_starts("\r\n x") == [0, 2]


LINE_ALPHABET = st.sampled_from(
    ["\n", "\r", " ", "\t", "x", "methods", "Results", ":", ".", "abstract", "12 ", "WARNINGS", "warnings", "İ", "a"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINE_ALPHABET, max_size=30).map("".join), st.integers(min_value=0, max_value=40))
def test_line_start_counts_are_findall(text: str, cut: int) -> None:
    from claimaudit.claims.facts import _page_literals

    for haystack in (Haystack(text), Haystack(text, _page_literals())):
        for pattern in [*LINE_PATTERNS, *(p for cue in _cues() for p in cue.patterns)]:
            anchored = Anchored(pattern)
            head = text[:cut]
            assert anchored.count(text, haystack) == len(pattern.findall(text)), pattern.pattern
            assert anchored.count(head, haystack) == len(pattern.findall(head)), pattern.pattern
            assert anchored.count(head, haystack, 1) == min(1, len(pattern.findall(head))), pattern.pattern
            assert anchored.exists(head, haystack) == bool(pattern.search(head)), pattern.pattern


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.integers(min_value=0, max_value=60))
def test_head_offsets_are_the_page_offsets_before_the_end(text: str, cut: int) -> None:
    from claimaudit.claims.facts import _page_literals

    indexed = Haystack(text, _page_literals())
    for literal in ("you", "a", "clinic", "book", "ss", "\n", "zzz"):
        last = cut - len(literal)
        expected = [at for at in Haystack(text).offsets(literal) if at <= last]
        assert indexed.offsets_before(literal, cut) == expected
        indexed.offsets(literal)  # the page's offsets, once known, answer the same
        assert indexed.offsets_before(literal, cut) == expected


def test_found_literals_are_the_present_ones() -> None:
    from claimaudit.nlp.literal_trie import Literals
    from claimaudit.claims.facts import _page_literals
    from claimaudit.nlp.prefilter import fold

    for index in (_page_literals(), Literals([Anchored(p) for p in PATTERNS[:9]])):
        assert index.universe == set(index.literals)
        for text in [*TEXTS, "you your yours tour our ourselves", "$$ £ €€ doi.org/10.1 pp. 12"]:
            folded = fold(text)
            assert set(index.offsets(folded)) == {literal for literal in index.literals if literal in folded}
            haystack = Haystack(text, index)
            assert haystack.present == set(index.offsets(folded)) and haystack.universe == index.universe
            for pattern in PATTERNS:
                anchored = Anchored(pattern)
                assert anchored.may_match(text, haystack) == anchored.may_match(text, Haystack(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_literal_offsets_from_one_pass_are_each_literals_offsets(text: str) -> None:
    from claimaudit.claims.facts import _page_literals

    plain, indexed = Haystack(text), Haystack(text, _page_literals())
    for literal in _page_literals().literals:
        assert indexed.offsets(literal) == plain.offsets(literal), literal


def test_prefixes_are_none_the_start_of_another() -> None:
    """`Anchored.starts` merges the prefixes' offsets without removing repeats."""
    for pattern in PATTERNS:
        found = Anchored(pattern).prefixes or ()
        assert not [(p, q) for p in found for q in found if p != q and q.startswith(p)], pattern.pattern
        assert len(set(found)) == len(found)


@pytest.mark.parametrize("text", TEXTS)
def test_starts_are_sorted_and_distinct(text: str) -> None:
    haystack = Haystack(text)
    for pattern in PATTERNS:
        starts = Anchored(pattern).starts(text, haystack)
        if starts is not None:
            assert starts == sorted(set(starts)), pattern.pattern


def test_needle_tail_is_the_pattern_from_a_spelled_out_needle_on() -> None:
    found = needle_tail(re.compile(r"\b(?:a|the)\s+(?:new\s+)?Clinic\s+in\b", re.I), ("clinic",))
    assert found is not None and found[0] == "clinic"
    tail = found[1]
    assert tail.match("CLINIC in") and tail.match("x clinic  in", 2) and not tail.match("clinics in")
    assert needle_tail(re.compile(r"\b(?:a|the)\s+(clinic)\s+in\b", re.I), ("clinic",)) is None  # a group
    assert needle_tail(re.compile(r"\b(?:clinic|office)\s+in\b", re.I), ("clinic", "office")) is None
    anchored = Anchored(re.compile(r"\b(?:a|the)\s+(?:new\s+)?clinic\s+(?:in|opened)\b", re.I))
    assert anchored.prefixes is None
    for text in ("Our clinic offers care. A clinic is a place.", "The new clinic opened.", "a clinic  in"):
        haystack = Haystack(text)
        assert anchored.count(text, haystack) == len(anchored.regex.findall(text)), text
        assert anchored.exists(text, haystack) is bool(anchored.regex.search(text)), text
