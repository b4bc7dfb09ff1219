"""SAFE001/SAFE002: harms denied or called rare (judged from the knowledge base's adverse
effects), safety granted before a question, and process or scoped safety wording."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.rules.safety import absolute_safety, asserted_safety  # noqa: E402


def run(module, text, certainty=Certainty.ASSERTED):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.SAFETY], certainty=certainty, substances=["ketamine"])
    return list(module.check(claim, domain_ctx([claim])))


@pytest.mark.parametrize("text, certainty", [
    # the negation is the claim, so a 'rejected' reading does not silence it
    ("Unlike older sedatives, ketamine never causes raised blood pressure.", Certainty.REJECTED),
    ("Low-dose ketamine does not lead to any dissociation.", Certainty.REJECTED),
    ("Our infusions cause no nausea at all.", Certainty.ASSERTED),
])
def test_safe002_recorded_harm_denied(text: str, certainty: Certainty) -> None:
    [finding] = run(asserted_safety, text, certainty)
    assert finding.message.startswith("denies a recorded harm")


@pytest.mark.parametrize("text", [
    "Dissociation, an unusual reaction to ketamine, passes quickly.",
    "Ketamine rarely leads to nausea in our patients.",
    "Some people notice a raised blood pressure, which is uncommon.",
])
def test_safe002_common_effect_called_rare(text: str) -> None:
    [finding] = run(asserted_safety, text)
    assert finding.message.startswith("calls a common side effect rare")


@pytest.mark.parametrize("text", [
    "Nausea after ketamine is not uncommon.",
    "Severe nausea is rare, and we can give anti-sickness medicine.",
    "Addiction is rare at the doses used in clinics.",  # a serious effect, not a common one
    "Ketamine can raise blood pressure, so we check it before each dose.",
])
def test_safe002_fair_frequency_statements_not_flagged(text: str) -> None:
    assert run(asserted_safety, text) == []


def test_safety_granted_before_a_question_is_asserted() -> None:
    [finding] = run(absolute_safety, "Ketamine has been proven to be safe, so why wait any longer?")
    assert "proven to be safe" in finding.message
    [finding] = run(asserted_safety, "While the infusions are safe and effective, are they right for you?",
                    Certainty.HEDGED)
    assert "safe and effective" in finding.message


@pytest.mark.parametrize("text", [
    "Is ketamine completely safe for older adults?",
    "If ketamine is safe for you, what happens at the first visit?",
])
def test_real_questions_not_flagged(text: str) -> None:
    assert run(absolute_safety, text) == [] and run(asserted_safety, text) == []


@pytest.mark.parametrize("module, text", [
    (absolute_safety, "Throughout the visit our nurses ensure your safety and comfort."),
    (asserted_safety, "Our protocol ensures that each dose is administered safely."),
    (asserted_safety, "Surgeons rely on it since it is safe for such procedures."),
    (asserted_safety, "One randomised trial found ketamine caused fewer side effects than ECT."),
])
def test_process_scoped_or_single_study_wording_not_flagged(module, text: str) -> None:  # type: ignore[no-untyped-def]
    assert run(module, text) == []


def test_clinic_promise_of_safety_is_still_info() -> None:
    [finding] = run(absolute_safety, "Choose a provider that follows strict protocols, ensuring your safety.")
    assert finding.severity.name == "INFO"


@pytest.mark.parametrize("text", [
    "Ketamine leaves no lasting memory side effects.",
    "The only side effect most clients report is a little tiredness.",
])
def test_safe002_waved_away_harms_with_a_word_between(text: str) -> None:
    [finding] = run(asserted_safety, text)
    assert finding.code == "SAFE002"


def test_safe002_common_effect_placed_at_large_doses_only() -> None:
    [finding] = run(asserted_safety, "Only at very large doses does ketamine produce dissociative feelings.")
    assert finding.message.startswith("places a common side effect at large doses only")
    # saying effects grow with the dose is fair
    assert run(asserted_safety, "At higher doses ketamine can cause stronger dissociation.") == []


def test_unnamed_subject_falls_back_to_the_single_substance_on_the_page() -> None:
    from dataclasses import replace

    claim = make_claim("Nausea is a rare complaint.", kinds=[ClaimKind.SAFETY], topic_substance=None)
    ketamine_page = domain_ctx([claim])  # the page names ketamine only
    assert ketamine_page.facts.substances == ("ketamine",)
    [finding] = asserted_safety.check(claim, ketamine_page)
    assert "ketamine" in finding.message
    family_page = domain_ctx([claim], page=replace(ketamine_page.facts, substances=("esketamine", "ketamine")))
    assert len(list(asserted_safety.check(claim, family_page))) == 1  # one substance family
    comparator = make_claim("Nausea is a rare complaint with SSRIs.", kinds=[ClaimKind.SAFETY],
                            substances=["ssris"], topic_substance=None)
    assert list(asserted_safety.check(comparator, domain_ctx([comparator]))) == []
