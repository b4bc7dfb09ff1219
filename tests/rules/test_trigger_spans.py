"""`find_spaced` gives the span `re.search` gives for words joined by `\\s+` (texts of our own)."""

from __future__ import annotations

import random
import re

from claimaudit.rules.triggers import find_spaced

TEXTS = [
    "relief within  minutes of the first dose",
    "relief within\nminutes, within\t\u00a0minutes",
    "withinminutes within minutes",
    "no match here at all",
    "a b  a\u2003b",
    "ends  depression ends depression",
    "",
]
NEEDLES = ["within minutes", "a b", "ends depression", "minutes of the", "b a", "relief"]


def _direct(haystack: str, words: list[str]) -> tuple[int, int] | None:
    match = re.search(r"\s+".join(re.escape(w) for w in words), haystack)
    return None if match is None else (match.start(), match.end())


def test_find_spaced_is_the_regex_search() -> None:
    for text in TEXTS:
        for needle in NEEDLES:
            assert find_spaced(text, needle.split()) == _direct(text, needle.split()), (text, needle)


def test_find_spaced_on_random_spacing() -> None:
    rng = random.Random(7)
    spaces = [" ", "  ", "\n", "\t", "\u00a0", "\u2009 "]
    words = ["ab", "a", "b", "ba", "abc"]
    for _ in range(400):
        text = "".join(rng.choice(words + spaces + ["x"]) for _ in range(rng.randint(0, 12)))
        needle = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        assert find_spaced(text, needle) == _direct(text, needle), (text, needle)


def test_quoted_phrases_as_the_lookbehind_first_pattern() -> None:
    """The quote pattern (quote first, then the look behind it) finds what the pattern with the
    look-behind first finds."""
    from claimaudit.rules.triggers import quoted_phrases

    reference = re.compile(r"(?<!\w)['\u2018]([^'\u2018\u2019]{2,120}?)['\u2019](?!\w)")
    rng = random.Random(11)
    alphabet = "ab '\u2018\u2019\n.-_1"
    messages = ["'within minutes' is fast", "the patient's 'safe' word", "x'ab' 'cd'", "\u2018gentle\u2019, 'mild'"]
    messages += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(2000)]
    for message in messages:
        expected = tuple(m.group(1).strip() for m in reference.finditer(message) if m.group(1).strip())
        assert quoted_phrases(message) == expected, message
