"""SAFE001-SAFE003: safety statements judged against recorded harms."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, QualifierKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.safety import absolute_safety, asserted_safety, dependence_reassurance  # noqa: E402


def run(module, text, certainty=Certainty.ASSERTED, qualifiers=()):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.SAFETY], certainty=certainty, qualifiers=qualifiers,
                       substances=["ketamine"])
    return list(module.check(claim, domain_ctx([claim])))


@pytest.mark.parametrize("text", [
    "Ketamine infusions have no side effects.",
    "Our treatment is completely safe and risk-free.",
    "Ketamine is not addictive.",
    "Ketamine has been proven safe when given by professionals.",
])
def test_safe001_absolute_safety_is_error_naming_harms(text: str) -> None:
    [finding] = run(absolute_safety, text, certainty=Certainty.ABSOLUTE)
    assert finding.severity is Severity.ERROR
    assert "4 known adverse effects of ketamine" in finding.message
    assert "dissociation" in finding.message and "active psychosis" in finding.message


def test_safe001_care_promise_is_info() -> None:
    [finding] = run(absolute_safety, "Our nurses stay with you throughout, ensuring your safety with ketamine.")
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize("text", [
    "No treatment is completely safe, and ketamine is no exception.",
    "Ketamine is not risk-free.",
    "Side effects of ketamine can include nausea and dissociation.",
    "Is ketamine completely safe?",
])
def test_safe001_negated_hedged_or_question_not_flagged(text: str) -> None:
    assert run(absolute_safety, text) == []


def test_safe002_plain_safe_is_warning_and_conditional_is_info() -> None:
    [plain] = run(asserted_safety, "Ketamine is a safe and effective option for panic.")
    assert plain.severity is Severity.WARNING
    [conditional] = run(asserted_safety, "Ketamine is safe when given in a clinic with monitoring.")
    assert conditional.severity is Severity.INFO


def test_safe002_carried_over_reputation_is_named() -> None:
    [finding] = run(asserted_safety, "As an anesthetic, ketamine has a robust safety profile.")
    assert finding.severity is Severity.WARNING and "carried over" in finding.message


@pytest.mark.parametrize("text,certainty", [
    ("Ketamine may be a reasonably safe option for some people.", Certainty.HEDGED),
    ("Ketamine is not safe to use at home.", Certainty.REJECTED),
    ("Its safety depends on careful screening.", Certainty.ASSERTED),
    ("Our clinic offers a safe space to talk about your experience.", Certainty.ASSERTED),
])
def test_safe002_hedged_negated_or_unrelated_not_flagged(text: str, certainty: Certainty) -> None:
    assert run(asserted_safety, text, certainty=certainty) == []


def test_safe003_dependence_reassurance_is_info_with_recorded_facts() -> None:
    [finding] = run(dependence_reassurance, "At clinical doses, addiction has not been observed with ketamine.",
                    certainty=Certainty.REJECTED, qualifiers=[(QualifierKind.NEGATION, "not")])
    assert finding.severity is Severity.INFO and "misuse and dependence" in finding.message


@pytest.mark.parametrize("text", [
    "Ketamine carries a potential for dependence, so we screen every patient.",
    "The maintenance studies did not report dependence outcomes.",
])
def test_safe003_stated_risk_or_missing_data_not_flagged(text: str) -> None:
    assert run(dependence_reassurance, text) == []
