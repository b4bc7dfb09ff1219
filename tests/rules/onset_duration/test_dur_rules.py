"""DUR001-DUR002: onset and durability compared with recorded ranges."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.onset_duration import durability_overstated, fast_onset  # noqa: E402


def run(module, text, certainty=Certainty.ASSERTED, indication="gad"):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.ONSET], certainty=certainty, substances=["ketamine"],
                       topic_indication=indication)
    return list(module.check(claim, domain_ctx([claim])))


@pytest.mark.parametrize("text", [
    "Ketamine relieves anxiety within minutes.",
    "Patients feel relief instantly after the infusion.",
    "Ketamine can produce improvements within hours or even minutes.",
])
def test_dur001_minutes_onset_is_warning(text: str) -> None:
    [finding] = run(fast_onset, text, Certainty.HEDGED)
    assert finding.severity is Severity.WARNING and "1 hour" in finding.message


@pytest.mark.parametrize("text", [
    "Ketamine can reduce anxiety within hours.",
    "Dissociation usually fades within minutes after the infusion ends.",
    "Sessions last 45 minutes, and relief often comes within a day.",
])
def test_dur001_hours_or_side_effect_times_not_flagged(text: str) -> None:
    assert run(fast_onset, text) == []


@pytest.mark.parametrize("text", [
    "Most patients feel better for up to a year.",
    "Ketamine brings lasting results.",
    "This approach gives long-term improvement in mental health.",
])
def test_dur002_durability_beyond_range_is_warning(text: str) -> None:
    [finding] = run(durability_overstated, text)
    assert finding.severity is Severity.WARNING and "2 weeks" in finding.message


def test_dur002_long_lasting_with_short_explicit_range_is_info() -> None:
    [finding] = run(durability_overstated, "Ketamine has long-lasting effects that persist for days to weeks.")
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize("text", [
    "Benefits may be short-lived, lasting up to 7 days.",
    "Benefits lasting up to a week were seen.",
    "Ketamine offers the potential for lasting relief.",
    "Weekly maintenance infusions kept symptoms low for months.",
    "Long-term durability data are limited.",
])
def test_dur002_in_range_hedged_or_maintenance_not_flagged(text: str) -> None:
    assert run(durability_overstated, text) == []


def test_dur001_near_immediate_afterthought_is_flagged() -> None:
    [finding] = run(fast_onset, "Worries often ease first, and nearly immediately.", Certainty.HEDGED)
    assert "nearly immediately" in finding.message


def test_dur001_at_risk_names_who_not_a_side_effect() -> None:
    text = "Ketamine can relieve anxiety fast, within the hour, which matters for people at risk of self-harm."
    [finding] = run(fast_onset, text, Certainty.HEDGED, indication="trd")
    assert "within the hour" in finding.message


def test_dur001_window_counted_after_the_visit_is_shifted() -> None:
    # 'within an hour after the session' is about two hours from the start of the dose
    assert run(fast_onset, "Plenty of clients notice a change within an hour following each appointment.", indication="trd") == []
    [finding] = run(fast_onset, "Many people feel lighter within an hour.", indication="trd")
    assert "2 hours" in finding.message


def test_dur002_sustained_results_flagged_but_follow_up_windows_are_not() -> None:
    [finding] = run(durability_overstated, "Ketamine brings fast and sustained results.", indication="trd")
    assert "sustained results" in finding.message
    text = "Across a follow-up of up to 2 years, most young people given counselling stayed well."
    assert run(durability_overstated, text, indication="trd") == []



def test_dur002_pronoun_carries_the_benefit_into_its_clause() -> None:
    text = "The improvements add up over the course, and for most people they stay forever."
    [finding] = run(durability_overstated, text, indication="trd")
    assert "forever" in finding.message
    assert run(durability_overstated, "Dissociation fades, and it is gone for good by evening.", indication="trd") == []


def test_dur002_lasting_claim_for_a_use_with_no_durability_record_is_info() -> None:
    def named(text: str, indication: str):  # type: ignore[no-untyped-def]
        claim = make_claim(text, kinds=[ClaimKind.DURABILITY], substances=["ketamine"], indications=[indication])
        return list(durability_overstated.check(claim, domain_ctx([claim])))

    # ptsd is a known indication of the test base, with no onset/durability record
    [finding] = named("Ketamine gives veterans lasting relief from PTSD.", "ptsd")
    assert finding.severity is Severity.INFO and "no durability of benefit is recorded" in finding.message
    # a short duration is no durability claim; a recorded use is judged against its record
    assert named("Relief from PTSD lasts for a few days after ketamine.", "ptsd") == []
    [judged] = named("Ketamine gives lasting relief from depression.", "trd")
    assert judged.severity is Severity.WARNING and "no durability" not in judged.message
