"""DUR001-DUR002: onsets placed inside the dosing visit, open-ended durability wording, and
sentences that lean on their context for the indication."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.rules.onset_duration import durability_overstated, fast_onset  # noqa: E402


def run(module, text, *, indication="gad", indications=(), context=(), start=500):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.ONSET], certainty=Certainty.ASSERTED, substances=["ketamine"],
                       indications=indications, topic_indication=indication, claim_id="c-last", start=start)
    return list(module.check(claim, domain_ctx([*context, claim])))


@pytest.mark.parametrize("text", [
    "Clients say the worry eases before their infusion has even ended.",
    "People notice a difference while still sitting in the treatment chair.",
    "Relief often arrives during the very first session.",
    "Many feel calmer straight away after a dose.",
])
def test_dur001_onset_inside_the_visit_is_flagged(text: str) -> None:
    [finding] = run(fast_onset, text)
    assert "faster than measured" in finding.message


@pytest.mark.parametrize("text", [
    "A mild floating feeling during the infusion usually passes off soon after.",
    "Most clients feel calmer within a day or two.",
    "Your blood pressure is checked during the session.",
])
def test_dur001_visit_times_about_side_effects_or_later_onsets_not_flagged(text: str) -> None:
    assert run(fast_onset, text) == []


def test_dur001_same_day_judged_against_a_later_onset() -> None:
    # a same-day onset is fine where benefit is measured from 1 h, flagged where from 2 h
    assert run(fast_onset, "Clients feel lighter the same day.", indication="gad") == []
    assert run(fast_onset, "Clients feel lighter the same day.", indication="trd") == []
    assert run(fast_onset, "Clients feel lighter before they even leave the clinic.", indication="trd")


@pytest.mark.parametrize("text", [
    "Once the fog clears, it stays gone for good.",
    "Most of our clients never need another session.",
    "The benefits stick, even after treatment ends.",
    "Relief that lasts for months or even years.",
    "After the first series you can expect long-lasting relief.",
    "Clients can look forward to lasting results once the course is done.",
    "Most patients can usually expect lasting relief after the first series.",
])
def test_dur002_open_ended_durability_is_flagged(text: str) -> None:
    [finding] = run(durability_overstated, text)
    assert "longest recorded benefit" in finding.message


@pytest.mark.parametrize("text", [
    "Whether the benefits stick after treatment ends is not yet known.",
    "The results may hold for a while in some people.",
    "The benefits stick for a few days in most people.",
    "For some people the course can bring lasting relief.",
])
def test_dur002_hedged_or_bounded_wording_not_flagged(text: str) -> None:
    assert run(durability_overstated, text) == []


def test_dur002_maintenance_does_not_excuse_an_endless_promise() -> None:
    assert run(durability_overstated, "With monthly boosters, results last indefinitely.")
    assert run(durability_overstated, "With monthly boosters, results last for months.") == []


def test_dur_sentence_without_indication_uses_the_previous_claim() -> None:
    earlier = make_claim("Ketamine helps people with hard-to-treat depression.", substances=["ketamine"],
                         indications=["trd"], claim_id="c-prev", start=0)
    # judged against the trd record (single dose 7 days), not the page topic (gad, 14 days)
    findings = run(durability_overstated, "These benefits last for two weeks after one infusion.",
                   indication="gad", context=[earlier])
    assert findings and "treatment-resistant" in findings[0].message.lower()
    assert run(durability_overstated, "These benefits last for two weeks after one infusion.", indication="gad") == []


def test_dur002_endless_claim_for_an_unrecorded_indication_uses_every_record() -> None:
    [finding] = run(durability_overstated, "Infusions switch off the pain permanently.",
                    indication=None, indications=["chronic_pain"])
    assert "no record covers" in finding.message
