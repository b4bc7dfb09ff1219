"""MECH001-MECH002: mechanism statements judged against mechanism records."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, QualifierKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.mechanism import misconception, overstated_mechanism  # noqa: E402


def run(module, text, certainty=Certainty.ASSERTED, **kwargs):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.MECHANISM], certainty=certainty, substances=["ketamine"], **kwargs)
    return list(module.check(claim, domain_ctx([claim])))


@pytest.mark.parametrize("certainty", [Certainty.HEDGED, Certainty.ASSERTED])
def test_mech001_misconception_is_error_whatever_the_hedging(certainty: Certainty) -> None:
    [finding] = run(misconception, "Ketamine may trigger a burst of glutamine in the cortex.", certainty)
    assert finding.severity is Severity.ERROR and "glutamate" in finding.message


def test_mech001_rebutted_or_schedule_records_not_flagged() -> None:
    assert run(misconception, "It is a myth that ketamine causes a glutamine surge.",
               qualifiers=[(QualifierKind.REBUTTAL, "It is a myth")]) == []
    assert run(misconception, "Ketamine is a Schedule II drug.") == []  # REG005's


def test_mech002_gap_sets_severity() -> None:
    [asserted] = run(overstated_mechanism, "Ketamine rewires the brain.", Certainty.ASSERTED)
    assert asserted.severity is Severity.INFO and "preclinical" in asserted.message
    [boosted] = run(overstated_mechanism, "Ketamine has been proven to rewire the brain.", Certainty.BOOSTED)
    assert boosted.severity is Severity.WARNING


@pytest.mark.parametrize("text,certainty", [
    ("Ketamine may help the brain form new synaptic connections.", Certainty.HEDGED),
    ("In animal studies, ketamine grows new synapses.", Certainty.ASSERTED),
    ("Ketamine blocks NMDA receptors.", Certainty.ASSERTED),
])
def test_mech002_hedged_scoped_or_established_not_flagged(text: str, certainty: Certainty) -> None:
    assert run(overstated_mechanism, text, certainty) == []


def test_mech002_advice_names_the_claims_substance_and_fits_the_status() -> None:
    claim = make_claim("Esketamine has been proven to rewire the brain.", kinds=[ClaimKind.MECHANISM],
                       certainty=Certainty.BOOSTED, substances=["esketamine"])
    [finding] = overstated_mechanism.check(claim, domain_ctx([claim]))
    assert "in animal studies, esketamine may" in finding.advice and "ketamine may" not in finding.advice.replace(
        "esketamine may", "")
    [ketamine] = run(overstated_mechanism, "Ketamine has been proven to rewire the brain.", Certainty.BOOSTED)
    assert "in animal studies, ketamine may" in ketamine.advice


def test_mech002_advice_lead_follows_the_mechanism_status() -> None:
    from claimaudit.knowledge_base.model import Mechanism, MechanismStatus

    hypothesis = Mechanism("m", "It works by X.", MechanismStatus.HYPOTHESIS)
    limited = Mechanism("m", "It works by X.", MechanismStatus.LIMITED)
    assert "'one hypothesis is that arketamine may ...'" in overstated_mechanism.mechanism_advice(hypothesis, "arketamine")
    assert "'limited evidence suggests that it may ...'" in overstated_mechanism.mechanism_advice(limited, "it")


def test_mech002_established_mechanism_stated_as_absolute_keeps_its_statement() -> None:
    [finding] = run(overstated_mechanism, "Ketamine always blocks NMDA receptors, guaranteed.", Certainty.ABSOLUTE)
    assert "established" in finding.message
    assert "drop the absolute wording" in finding.advice and "early studies" not in finding.advice
    assert finding.suggestion is None or not finding.suggestion.lower().startswith(("early", "animal", "one hypothesis"))
