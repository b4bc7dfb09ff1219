"""PatternTable: the patterns it runs give the same matches as running every pattern."""

from __future__ import annotations

import re

import pytest

from claimaudit.rules._pattern_table import PatternTable
from claimaudit.nlp.prefilter import fast

PATTERNS = [
    re.compile(r"\bwithin\s+(?:a\s+few\s+)?minutes\b", re.I),
    re.compile(r"\binstant(?:ly)?\b", re.I),
    fast(re.compile(r"\bfor\s+good\b", re.I)),
    re.compile(r"\b(?:to|help)\s+$", re.I),  # no needle: always run
    re.compile(r"\bkelvin\b", re.I),
    re.compile(r"\bin\s+\d+\s*(?:seconds|minutes|mins?)\b", re.I),  # needs "min"/"seconds" and a digit
]
TEXTS = [
    "",
    "Relief came within a few minutes, almost instantly.",
    "It works INSTANTLY and for good.",
    "We are here to help ",
    "Nothing to see here.",
    "A \u212aELVIN scale reading; for GOOD measure.",  # Kelvin sign matches k case-insensitively
    "Minutes later, within minutes.",
    "Ketamine works in 5 mins; in \u0665 minutes (an Arabic-Indic digit is a digit too).",
    "Ketamine administered in minutes, 20 of them.",
]


def _direct(text: str) -> list[tuple[int, int, int]]:
    return [(i, m.start(), m.end()) for i, p in enumerate(PATTERNS) for m in p.finditer(text)]


def test_table_finds_what_every_pattern_finds() -> None:
    table = PatternTable(PATTERNS)
    for text in TEXTS:
        assert [(i, m.start(), m.end()) for i, m in table.finditer(text)] == _direct(text)
        assert table.any_search(text) == bool(_direct(text))


def test_candidates_keep_order_and_always_include_patterns_without_needles() -> None:
    table = PatternTable(PATTERNS)
    assert table.candidates("nothing here") == (3,)
    assert table.candidates("for good, within minutes, instant") == (0, 1, 2, 3)
    assert table.candidates("ketamine in mins") == (3,)  # no digit: the last pattern cannot match


def test_finditer_long_gives_finditer_matches() -> None:
    from claimaudit.rules._pattern_table import leading_literals

    patterns = [
        re.compile(r"\bsmall(?:er)?\s+(?:studies|trials)\b", re.I),
        re.compile(r"(?<!side\s)\b(?:benefits?|effects?)\s+(?:\w+\s+){0,3}?(?:fade|wear\s+off)\b", re.I),
        re.compile(r"\bnot\s+(?:yet\s+)?established\b", re.I),
        re.compile(r"(?:\w+\s+)?data\s+(?:is|are)\s+limited", re.I),  # no leading literal
        re.compile(r"(?:the\s+)?data\s+(?:are|were)\s+scarce", re.I),  # starts with "the" or "data"
        re.compile(r"aaa", re.I),  # overlapping candidates: "aaaa" holds one match, not two
    ]
    assert leading_literals(patterns[0]) == ("small",) and leading_literals(patterns[3]) is None
    assert leading_literals(patterns[4]) == ("data", "the")
    table = PatternTable(patterns)
    texts = [
        "",
        "Small studies and SMALLER TRIALS; side effects fade, but benefits often fade. Not yet established.",
        "Our data are limited and the data were scarce; data were scarce too. The   DATA ARE SCARCE.",
        "The data are limited.\nEffects wear off; effects   may wear off. notnot established",
        "aaaa aaaaaa \u0130 small studies",  # a dotted capital I folds to one character
        "\u212aelvin smaller studies benefits fade",
    ]
    for text in texts:
        expected = [(i, m.span()) for i, p in enumerate(patterns) for m in p.finditer(text)]
        assert [(i, m.span()) for i, m in table.finditer_long(text)] == expected, text


def test_candidates_need_every_literal_set_of_a_pattern() -> None:
    """A pattern needing a literal of several sets (here "in", a digit, "min"/"seconds") is
    a candidate only when each set has a member in the text."""
    table = PatternTable(PATTERNS)
    pattern = len(PATTERNS) - 1
    assert pattern in table.candidates("in 5 minutes")
    assert pattern not in table.candidates("in minutes")  # no digit
    assert pattern not in table.candidates("in 5 hours")  # no unit


def test_remembered_analyses_are_the_direct_ones() -> None:
    from claimaudit.rules._pattern_table import _leading_of, _sets_of, leading_literals, necessary_sets

    for pattern in PATTERNS:
        regex = getattr(pattern, "regex", pattern)
        assert _sets_of(regex) == necessary_sets(regex, digits=True)
        assert _leading_of(regex) == leading_literals(regex)


def test_finditer_long_candidates_are_the_gate_candidates() -> None:
    """`finditer_long` looks its needles up one by one: the same candidates as the gate's scan."""
    import random

    patterns = [
        re.compile(r"\bwithin\s+\d+\s+min", re.I), re.compile(r"\bno\s+(?:data|trials?)\b", re.I),
        re.compile(r"\d+\s*%"), re.compile(r"(?:very\s+)?few\s+studies", re.I), re.compile(r"\w+ly\b"),
    ]
    rng = random.Random(5)
    words = ["within", "5", "min", "no", "data", "trial", "few", "studies", "very", "%", "x", "\n"]
    for _ in range(300):
        table = PatternTable(patterns)
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 25)))
        found = [(i, m.span()) for i, m in table.finditer_long(text)]
        assert table.candidates(text) == PatternTable(patterns)._candidates(text), text
        assert found == [(i, m.span()) for i, p in enumerate(patterns) for m in p.finditer(text)], text


def test_finditer_long_reads_the_page_haystack_as_it_searches(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the page's haystack built last and finding the table's literals (claim
    extraction's, `facts.read_from_page`), `finditer_long` reads which occur from it: the same
    matches as with its own search, and as without a haystack or with another page's."""
    from claimaudit.claims import facts
    from claimaudit.claims.facts import page_haystack

    handed: list[object] = []  # what finditer_long was given to read
    real = facts.last_page_haystack
    monkeypatch.setattr(facts, "last_page_haystack", lambda text: handed.append(real(text)) or handed[-1])

    patterns = [
        re.compile(r"\bsmall(?:er)?\s+(?:studies|trials)\b", re.I),
        re.compile(r"\bnot\s+(?:yet\s+)?established\b", re.I),
        re.compile(r"(?:\w+\s+)?data\s+(?:is|are)\s+limited", re.I),
        re.compile(r"\bin\s+\d+\s*minutes\b", re.I),  # a digit in its literal sets
    ]
    texts = [
        "Small studies and SMALLER TRIALS. Not yet established; our data are limited.",
        "Nothing here. In 5 minutes, in 10 minutes.",
        "\u212aelvin: small trials, not established",
        "",
    ]
    for text in texts:
        expected = [(i, m.span()) for i, p in enumerate(patterns) for m in p.finditer(text)]
        table = PatternTable(patterns)
        assert table.page_literals()  # every gate literal is one a page scan finds
        built = page_haystack(text, table.page_literals())
        assert [(i, m.span()) for i, m in table.finditer_long(text)] == expected, text
        assert handed[-1] is built  # read from the page's haystack, not searched again
        page_haystack("another page", ())
        assert [(i, m.span()) for i, m in PatternTable(patterns).finditer_long(text)] == expected, text
        assert handed[-1] is None  # another page's: searched
    assert PatternTable([re.compile(r"\bno\s+cure\b")]).page_literals() == ("cure",)
    assert PatternTable([re.compile(r"\bno\b|\bcure\b")]).page_literals() == ()  # "no": too short
