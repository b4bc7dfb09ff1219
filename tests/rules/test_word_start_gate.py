"""WordStartGate: a gate that says no means no pattern of its list can match; and the DUR
onset gate built on it lets through every claim text an onset pattern matches."""

from __future__ import annotations

import random
import re

from claimaudit.nlp.prefilter import fold
from claimaudit.rules._helpers import plain_text
from claimaudit.rules._pattern_table import WordStartGate
from claimaudit.rules.onset_duration import _time

PATTERNS = [
    re.compile(r"\bwithin\s+(?:a\s+few\s+)?minutes\b", re.I),
    re.compile(r"\binstant(?:ly)?\b", re.I),
    re.compile(r"\bin\s+\d+\s*(?:seconds|minutes|mins?)\b", re.I),
    re.compile(r"\b(?:relief|results?)\b[^.;]{0,20}?\bsame\s+day\b", re.I),
    re.compile(r"\bby\s+the\s+end\s+of\s+(?:the|your)\s+(?:session|visit)\b", re.I),
]

# odd characters IGNORECASE equates with ASCII letters, digits of other scripts, word pieces
# that hold a pattern's literal inside a longer word
PIECES = [
    "within", "WITHIN", "w\u0130thin", "a few", "minutes", "mins", "min", "ketamine", "instant", "INSTANTLY",
    "in", "IN", "5", "\u0665", "10", "seconds", "\u017feconds", "relief", "results", "same day", "same",
    "by the end of", "the", "your", "session", "visit", "recommend", "ended", "end", "\u212aetamine",
    "straight away", "right away", "immediately", "before", "during", "through", "over", "still", "while",
    "x", "-", "\u2013", ".", ";", ",", "(", "\u00e9", "_", "'",
]
SEPARATORS = ["", " ", " ", "  ", "\n", "-", "\u00a0"]


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 9)))
        for _ in range(count)
    ]


OWN = [
    "",
    "Relief came within a few minutes.",
    "Within minutes, anxiety fades.",
    "It works INSTANTLY.",
    "Ketamine is recommended; sessions ended on time.",
    "Relief came the same day, results too.",
    "By the end of the session most felt calmer.",
    "in 5mins",
    "in \u0665 minutes",
    "W\u0130THIN MINUTES",  # dotted capital I
    "(instant relief)",
    "_instant",  # "_" is a word character: no word starts at "instant"
]


def test_gate_never_hides_a_match() -> None:
    gate = WordStartGate.build(PATTERNS)
    assert gate is not None
    matched = 0
    for text in OWN + _texts(3, 6000):
        if any(p.search(text) for p in PATTERNS):
            matched += 1
            assert gate.may_match(fold(text)), text
    assert matched > 300  # the generated texts do reach the patterns


def test_gate_examples() -> None:
    gate = WordStartGate.build(PATTERNS)
    assert gate is not None
    assert gate.may_match(fold("Within minutes, anxiety fades."))  # at the text's start
    assert gate.may_match(fold("W\u0130THIN MINUTES"))
    assert not gate.may_match(fold("Ketamine is recommended; sessions ended on time."))
    assert not gate.may_match(fold("_instant"))
    assert not gate.may_match(fold("Take 5 of them in the evening."))


def test_gate_with_a_look_behind_or_capitals() -> None:
    behind = WordStartGate.build([re.compile(r"\b(?<!not )instant\b", re.I)])
    assert behind is not None
    assert behind.may_match("instant") and behind.may_match("it is instant")
    assert not behind.may_match("it is not instant")
    capitals = WordStartGate.build([re.compile(r"\bIV\s+drip\b", re.I)])
    assert capitals is not None
    assert capitals.may_match(fold("An IV drip")) and capitals.may_match(fold("an iv drip"))


def test_gate_with_a_character_without_case_searches_case_sensitively() -> None:
    """A character that `re.IGNORECASE` leaves alone ("\u2019") keeps the folded search plain;
    the gate still finds every match."""
    pattern = re.compile(r"\bdoubles\s+(?:its|[\w-]+['\u2019]s)\s+effect\b", re.I)
    gate = WordStartGate.build([pattern])
    assert gate is not None and not gate._inside.flags & re.IGNORECASE
    for text in ("It doubles ketamine\u2019s effect.", "DOUBLES ITS EFFECT", "It doubles its effects."):
        assert gate.may_match(fold(text)) is bool(pattern.search(text)), text
    assert WordStartGate.build([re.compile(r"\bdoubles\s+\u00e9tat\b", re.I)])._inside.flags & re.IGNORECASE  # type: ignore[union-attr]


def test_patterns_that_cannot_be_joined_give_no_gate() -> None:
    for pattern in (r"instant\b", r"\binstant|relief", r"\b(instant)", r"\b\d+\s*minutes", r"\b-instant",
                    r"\b(?:a|instant)"):
        assert WordStartGate.build([re.compile(pattern, re.I)]) is None, pattern
    assert WordStartGate.build([]) is None


def test_onset_gate_admits_every_text_an_onset_pattern_matches() -> None:
    patterns = _time._onset_table()[0].patterns
    assert _time._onset_gate() is not None
    rng = random.Random(7)
    words = sorted({w for p in patterns for w in re.findall(r"[a-z]{2,}", p.pattern)} | set(PIECES))
    texts = OWN + _texts(5, 1500) + [
        " ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) + rng.choice(["", ".", " 2 minutes"])
        for _ in range(6000)
    ]
    matched = 0
    for text in texts:
        if any(p.search(plain_text(text)) for p in patterns):
            matched += 1
            assert _time._gates(text)[0], text
    assert matched > 300


def test_onset_gate_examples() -> None:
    assert _time._gates("Most clients feel calmer within minutes of the infusion.")[0]
    assert _time._gates("Relief came right away.")[0]
    assert not _time._gates("Ketamine is recommended at 0.5 mg/kg over 40 minutes by a clinician.")[0]
    assert not _time._gates("We recommend 3 sessions.")[0]

