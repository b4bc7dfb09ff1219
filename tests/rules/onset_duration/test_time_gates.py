"""The DUR time-phrase gates: a gate that says no means the pattern it guards cannot match."""

from __future__ import annotations

import random

from claimaudit.rules.onset_duration._time import _EXPLICIT, may_state_duration

PIECES = [
    "ketamine", "esketamine", "admin", "for", "up to", "lasting", "over", "about", "~", "-", "\u2013",
    "to", "a", "an", "a few", "a couple of", "several", "one", "two", "twelve", "2", "3.5", "\u0665",
    "day", "days", "DAYS", "min", "mins", "minute", "hour", "weeks", "month", "years", "second",
    "o", "x", "s", "\u017f", "\u212a", "\u0130", "months to years", "y", "n",
]


def test_duration_gate_never_hides_an_explicit_duration() -> None:
    rng = random.Random(12)
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " ", " ", "  "]) for _ in range(rng.randint(1, 7)))
        if not may_state_duration(text):
            assert _EXPLICIT.search(text) is None, text


def test_duration_gate_examples() -> None:
    assert may_state_duration("Benefits last for up to 2 weeks.")
    assert may_state_duration("relief lasting a fewdays")  # a number word against its unit
    assert may_state_duration("lasting 2-3months")
    assert not may_state_duration("Ketamine is an anaesthetic.")  # "min" inside a word
    assert not may_state_duration("Ask the clinic admin.")
