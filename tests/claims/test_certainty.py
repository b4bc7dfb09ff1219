"""The asserted certainty of a claim follows its governing modifiers (judgement.md, section 1)."""

from __future__ import annotations

import pytest

from claimaudit.claims.model import Certainty


def certainty_of(audit, text: str) -> Certainty:  # type: ignore[no-untyped-def]
    result = audit(text)
    assert result.claims, f"no claim extracted from {text!r}"
    return result.claims[0].certainty


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ketamine is not approved by the FDA for any anxiety disorder.", Certainty.REJECTED),
        ("There is no evidence that ketamine cures PTSD.", Certainty.REJECTED),
        ("Researchers hope ketamine could one day treat OCD.", Certainty.SPECULATIVE),
        ("Small early studies suggest ketamine may reduce anxiety.", Certainty.HEDGED),
        ("Ketamine reduces anxiety in adults with GAD.", Certainty.ASSERTED),
        ("Ketamine has been shown to reduce anxiety.", Certainty.BOOSTED),
        ("Studies show ketamine relieves social anxiety.", Certainty.BOOSTED),
        ("Ketamine therapy has no side effects.", Certainty.ABSOLUTE),
        ("Ketamine cures depression permanently.", Certainty.ABSOLUTE),
        # a comparison that contains "likely" is not a hedge
        ("Patients given ketamine were more likely to respond than those given placebo.", Certainty.ASSERTED),
        ("Ketamine is not a narcotic and is not addictive.", Certainty.ABSOLUTE),
    ],
)
def test_certainty_levels(audit, text, level):  # type: ignore[no-untyped-def]
    assert certainty_of(audit, text) == level


def test_terminator_limits_hedge_scope(audit):  # type: ignore[no-untyped-def]
    # "may" governs only its own clause: the clause after "but" is asserted with a booster.
    result = audit("Ketamine is not a cure; it has been proven to relieve anxiety.")
    levels = [c.certainty for c in result.claims]
    assert levels == [Certainty.REJECTED, Certainty.BOOSTED]


def test_claim_spans_point_into_the_source(audit):  # type: ignore[no-untyped-def]
    text = "Intro line.\nKetamine has been shown to reduce anxiety in 85% of patients."
    result = audit(text)
    claim = next(c for c in result.claims if "85%" in c.text)
    assert text[claim.span.start : claim.span.end] == claim.text
    assert (claim.span.line, claim.span.column) == (2, 1)
    assert [q.kind for q in claim.quantities] == ["percent"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # attribution frames beyond a fixed cue list
        ("Mounting clinical research has revealed that ketamine relieves PTSD.", Certainty.BOOSTED),
        ("Findings show that infusions lift social anxiety.", Certainty.BOOSTED),
        ("Ketamine has been found to ease panic attacks.", Certainty.BOOSTED),
        ("It is well known that ketamine helps in bipolar depression.", Certainty.BOOSTED),
        # hedges worded as belief or theory
        ("Ketamine is believed to ease chronic pain.", Certainty.HEDGED),
        ("Ketamine is thought to calm an overactive amygdala.", Certainty.HEDGED),
        ("Some researchers theorize that ketamine resets brain circuits.", Certainty.HEDGED),
        # a research topic is not a research finding
        ("Recent studies have focused on how well ketamine relieves chronic pain.", Certainty.ASSERTED),
    ],
)
def test_attribution_frames_and_belief_hedges(audit, text, level):  # type: ignore[no-untyped-def]
    assert certainty_of(audit, text) == level


def test_no_modifier_leaves_the_level_of_the_cues() -> None:
    from types import SimpleNamespace

    from claimaudit.claims.extract import Bounds, _certainty, _level
    from claimaudit.claims.model import Certainty

    clause = Bounds(0, 5, 0, 20)
    absolute = SimpleNamespace(label_="safety_absolute", start=1, end=2, kb_id_="")
    plain = SimpleNamespace(label_="efficacy", start=2, end=3, kb_id_="")
    assert _certainty(clause, [plain], [], [], []) == ((), _level(set())) == ((), Certainty.ASSERTED)
    assert _certainty(clause, [plain, absolute], [], [], []) == ((), _level({"absolute"})) == ((), Certainty.ABSOLUTE)
