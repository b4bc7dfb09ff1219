"""Claim extraction's shortcuts answer as the direct computations they stand for."""

from __future__ import annotations

import itertools

from claimaudit.claims import extract
from claimaudit.claims.coverage import _unrecorded, unrecorded_conditions
from claimaudit.claims.model import Certainty, Claim, ClaimKind, Mention
from claimaudit.findings.model import SourceSpan
from claimaudit.nlp.quantities import parse_quantity


def test_reaching_any_anchor_is_reaching_one_of_them() -> None:
    """`_reaches_any` over token ranges is `any(_reaches(...))` over the anchors, for every
    direction, with and without terminators between modifier and anchor."""
    ranges = [(0, 1), (2, 4), (5, 6), (7, 9)]
    terminator_sets = [[], [(1, 2)], [(4, 5)], [(1, 2), (6, 7)], [(3, 8)]]
    for direction in ("forward", "backward", "either"):
        for start, end in ranges:
            for count in range(len(ranges) + 1):
                for anchors in itertools.combinations(ranges, count):
                    for stops in terminator_sets:
                        records = [_Range(first, last) for first, last in stops]
                        expected = any(
                            extract._reaches(direction, start, end, first, last, records) for first, last in anchors
                        )
                        assert extract._reaches_any(direction, start, end, list(anchors), stops) is expected


class _Range:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


class _Quantity:
    """A quantity span as `_quantities` reads it."""

    def __init__(self, label: str, text: str, start: int) -> None:
        self.label_, self.text, self.start_char, self.end_char = label, text, start, start + len(text)


def test_quantities_parsed_before_are_the_ones_parsed_afresh() -> None:
    spans = [
        _Quantity("percent", "70%", 0), _Quantity("duration", "within hours", 10), _Quantity("ci", "95% CI 1.2-3.4", 30),
        _Quantity("dose", "0.5 mg/kg", 50), _Quantity("percent", "more than half", 60), _Quantity("percent", "70%", 80),
    ]
    extract._PARSED.clear()
    for _ in range(2):  # parsed, then remembered
        quantities = extract._quantities(spans)
        for quantity, span in zip(quantities, spans):
            parsed = parse_quantity(span.label_, span.text)
            assert (quantity.kind, quantity.value, quantity.upper, quantity.unit) == (
                span.label_, parsed.value, parsed.upper, parsed.unit
            )
            assert (quantity.text, quantity.start, quantity.end) == (span.text, span.start_char, span.end_char)


def test_unrecorded_conditions_read_the_claims_indications_only_at_a_match() -> None:
    text = "Ketamine helps migraine and depression."
    cases = (((), ("migraine",)), ((Mention("indication", "migraine", "migraine", 15, 23),), ()))
    for mentions, expected in cases:
        claim = Claim(
            "c1", (ClaimKind.EFFICACY,), text, SourceSpan(0, len(text), 1, 1, 1, len(text) + 1), 0, len(text),
            Certainty.ASSERTED,
            mentions=mentions,
        )
        folded = text.lower()
        present = {literal for literal in ("migraine", "depression", "pain") if literal in folded}
        assert _unrecorded(claim, present) == unrecorded_conditions(claim) == expected
