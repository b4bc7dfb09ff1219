"""Gates of the EVI, REG, STAT, SCOPE and CITE rules answer as the direct computation: a gate
that says no only where the pattern it guards cannot match."""

from __future__ import annotations

import pytest

from claimaudit.nlp import prefilter
from claimaudit.rules.evidence_strength import _grading

TEXTS = [
    "Ketamine works better than ECT for many people.",
    "It is BETTER THAN   antidepressants, say some.",
    "Esketamine outperformed placebo in two trials.",
    "It outperforms SSRIs in speed.",
    "Ketamine beats every pill on the market.",
    "It is as effective as electroconvulsive therapy.",
    "Just as good as ECT, and faster.",
    "Equally powerful as infusions at home.",
    "The nasal spray works just as well as infusions do.",
    "It helped about as well as therapy alone.",
    "The most effective treatment for depression available today.",
    "Ketamine is the best therapy there is.",
    "The fastest-acting medication ever made.",
    "It beats every other option.",
    "Every other treatment failed me.",
    "Adding therapy doubles its effectiveness.",
    "Boosts ketamine's results, in our experience.",
    "It is twice as effective, and three times more effective in some.",
    "It is no better than placebo.",
    "Ketamine is effective for depression and works well for many.",
    "The treatment is available today at our clinic.",
    "Book a consultation with our team.",
    "Ketamine, as well as esketamine, is used in anaesthesia.",
    "As effective? As well? Better.",
    "İt is better than ECT, ſo they say.",
    "Stronger to the end: ketamine works.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_superiority_gate_closed_only_without_a_match(text: str) -> None:
    gate = _grading._superiority_gate()
    assert gate is not None
    if _grading.SUPERIORITY.search(text) is not None:
        assert gate.may_match(prefilter.folded(text))


REGULATORY_TEXTS = [
    "Ketamine is a Schedule II controlled substance in the United States.",
    "Ketamine is a schedule-2 drug; esketamine is C-II.",
    "The VA approved ketamine for PTSD last year.",
    "Veterans Affairs added it to the formulary for post-traumatic stress.",
    "The FDA granted ketamine breakthrough therapy designation.",
    "Oral ketamine lozenges are FDA approved.",
    "Sublingual troches have been cleared by the Food and Drug Administration.",
    "Ketamine nasal spray is FDA-approved for depression.",
    "Spravato is approved for teenagers and children.",
    "Esketamine is authorised for at-home use.",
    "Ketamine is a Schedule III controlled substance.",
    "Book a consultation with our team today.",
    "Ketamine is used off-label for depression.",
    "Ketamine ist ein Schedule-II-Arzneimittel in den Vereinigten Staaten für Erwachsene.",
    "Esketamine est approuvé pour les adolescents à domicile, dit-on.",
    "",
]


@pytest.mark.parametrize("text", REGULATORY_TEXTS)
def test_regulatory_misconceptions_in_equals_direct(auditor, text: str) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.rules.regulatory import _misconceptions

    kb = auditor.lookup
    direct = _misconceptions.regulatory_misconceptions(kb.mechanisms_matching(text))
    assert _misconceptions.regulatory_misconceptions_in(text, kb) == direct


def test_regulatory_gate_closes_for_plain_text(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.rules.regulatory import _misconceptions

    assert not _misconceptions._may_trigger("Book a consultation with our team today.", auditor.lookup)
    assert _misconceptions._may_trigger("Ketamine is a Schedule II controlled substance.", auditor.lookup)
