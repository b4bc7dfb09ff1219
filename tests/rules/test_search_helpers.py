"""Faster searches give the answers of the plain ones: place words located in one scan, and
case-insensitive patterns searched lower-cased."""

from __future__ import annotations

import random
import re

import pytest

from claimaudit.rules._helpers import (
    _UNCASED_EXTRA,
    GatedAlternatives,
    LowerSearch,
    _jurisdiction_patterns,
    jurisdictions_named,
    plain,
)
from claimaudit.rules.evidence_strength._grading import ABSOLUTE_OUTCOME, PRESENT_EFFICACY, SUPERIORITY


def _named_plainly(text: str) -> tuple[str, ...]:
    return tuple(code for code, pattern in _jurisdiction_patterns() if pattern.search(plain(text)))


_PLACE_TEXTS = [
    "Our practice in Germany and the U.S.", "U.S.spain", "the EU-wide rules", "eU", "the EU\u2019s agency",
    "\u017fpain and Spain", "xuk uk", "NHS-funded", "nhs-", "U.K", "usa_", "\u0130reland", "\u0131rish",
    "united  kingdom", "united-states", "European", "neuroscience in Australia", "Ketamine lifts mood", "",
]


@pytest.mark.parametrize("text", _PLACE_TEXTS)
def test_located_place_words_match_the_plain_search(text: str) -> None:
    assert jurisdictions_named.__wrapped__(text) == _named_plainly(text)  # type: ignore[attr-defined]


def test_located_place_words_on_random_texts() -> None:
    rng = random.Random(7)
    alphabet = [*"euksaUKSA.- _\u017f\u0131\u0130\u212a\u2019", "eu", "uk", "nhs", "spain", "u.s.", "canada", "EU", "Brit"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert jurisdictions_named.__wrapped__(text) == _named_plainly(text), text  # type: ignore[attr-defined]


def test_uncased_characters_have_no_case() -> None:
    assert all(c.lower() == c == c.upper() for c in _UNCASED_EXTRA)


def _sig(match: re.Match[str] | None) -> object:
    return None if match is None else (match.span(), match.groups(), match.groupdict())


_TEXTS = [
    "Ketamine works better than ECT for many patients.", "KETAMINE WORKS BETTER THAN ECT.",
    "It is no better than placebo, but it beats waiting.", "The best treatment available today.",
    "It doubles its effectiveness \u2014 twice as effective as SSRIs.", "works as well as infusions, as well as",
    "Clinics effectively manage CRPS with it; it helps patients beat their anxiety.",
    "It\u2019s a fast, effective therapy.", "Caf\u00e9 owners say it WORKS.", "\u017fhows \u212aetamine works",
    "It is an effective treatment.", "", "better", "outperformed placebo, outperforms ECT",
    "It cures depression; symptoms stopped completely in 100 % of clients, whatever your condition.",
    "Almost everyone improves across the board, no matter the diagnosis. 1.100% wipe out",
    "THE MOST EFFECTIVE THERAPY THERE IS, better than every other treatment",
]


@pytest.mark.parametrize("text", _TEXTS)
@pytest.mark.parametrize("pattern", [SUPERIORITY, PRESENT_EFFICACY, ABSOLUTE_OUTCOME])
def test_lower_search_matches_the_pattern(pattern: "LowerSearch | GatedAlternatives", text: str) -> None:
    plain_pattern = re.compile(pattern.pattern, re.IGNORECASE)
    for pos in (0, 4):
        assert _sig(pattern.search(text, pos)) == _sig(plain_pattern.search(text, pos))
        assert [_sig(m) for m in pattern.finditer(text, pos)] == [_sig(m) for m in plain_pattern.finditer(text, pos)]


def test_lower_search_falls_back_for_upper_case_patterns_and_rejects_empty_matches() -> None:
    assert LowerSearch(r"\bFDA\b").lower is None
    assert LowerSearch(r"\bfda(?P<x>\d)?\b").lower is not None
    with pytest.raises(ValueError):
        LowerSearch(r"\b(?:a)?")


def test_gated_alternatives_give_the_matches_of_the_whole_pattern() -> None:
    pieces = (
        r"\bbeats?\s+(?P<a>\w+)", r"\b(?:the\s+)?best\b[\w\s]{0,20}?\b(?:treatment|therapy)\b",
        r"(?<![\d.])100\s?%", r"\bno matter (?:what|the (?:condition|problem))\b",
    )
    gated = GatedAlternatives(pieces)
    whole = re.compile("|".join(pieces), re.IGNORECASE)
    assert gated.pattern == whole.pattern and gated.table is not None
    words = ["the", "best", "beats", "beat", "100", "%", " ", "  ", "therapy", "treatment", "no", "matter",
             "what", "condition", "1.", "BEST", "\u017f", "\u212a", "caf\u00e9", "x", ",", "\n"]
    rng = random.Random(11)
    texts = ["The BEST beats 100 %", "it beats all; the best therapy", "1.100% best", "none", "no matter what"]
    texts += ["".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    for text in texts:
        for pos in (0, 3):
            assert _sig(gated.search(text, pos)) == _sig(whole.search(text, pos)), text
            assert [_sig(m) for m in gated.finditer(text, pos)] == [_sig(m) for m in whole.finditer(text, pos)], text


def test_starts_with_answers_as_the_pattern_search() -> None:
    from claimaudit.nlp.leading import StartsWith
    from claimaudit.rules.scope.comparison_extended import _COMPARISON as compared
    from claimaudit.rules.statistics.control_arm_omitted import _COMPARISON as controlled

    patterns = [compared, controlled, re.compile(r"\bfoo(?:bar)?\b|(?<!x)baz", re.I), re.compile(r"\w+ly\b", re.I)]
    words = ["vs", "vs.", "VS", "versus", "better than", "Better Than", "than those", "placebo", "sham", "shame",
             "xbaz", "baz", "FOO", "foobar", "fooBAR1", "only", " ", ",", "\u212aetamine", "\u0130", "\u017fham", "beat"]
    rng = random.Random(13)
    texts = ["compared with placebo", "It beats ECT.", "relative to", "", "in comparison with usual care"]
    texts += ["".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 10))) for _ in range(3000)]
    for pattern in patterns:
        starts = StartsWith(pattern)
        for text in texts:
            assert starts.exists(text) == (pattern.search(text) is not None), (pattern.pattern, text)
