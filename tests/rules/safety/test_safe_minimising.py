"""SAFE002: harms played down, reassurance and unsupported safety comparisons."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.safety import absolute_safety, asserted_safety  # noqa: E402


def run(module, text, certainty=Certainty.ASSERTED):  # type: ignore[no-untyped-def]
    claim = make_claim(text, kinds=[ClaimKind.SAFETY], certainty=certainty, substances=["ketamine"])
    return list(module.check(claim, domain_ctx([claim])))


@pytest.mark.parametrize("text", [
    "The side effects of ketamine are minimal and brief.",
    "You will have only mild side effects, if any.",
    "Ketamine is gentler than most psychiatric drugs.",
    "This form of ketamine has fewer side effects.",
    "When it comes to ketamine, there is nothing to be afraid of.",
])
def test_safe002_played_down_harms_are_warnings(text: str) -> None:
    [finding] = run(asserted_safety, text)
    assert finding.severity is Severity.WARNING
    assert "known adverse effects" in finding.message


@pytest.mark.parametrize(("text", "certainty"), [
    ("Side effects of ketamine are usually mild, though blood pressure can rise.", Certainty.ASSERTED),
    ("Ketamine's side effects are not minor for everyone.", Certainty.ASSERTED),
    ("Ketamine may have fewer side effects than some alternatives.", Certainty.HEDGED),
])
def test_safe002_hedged_or_negated_minimising_not_flagged(text: str, certainty: Certainty) -> None:
    assert run(asserted_safety, text, certainty) == []


def test_minimising_is_not_an_absolute_claim() -> None:
    assert run(absolute_safety, "The side effects of ketamine are minimal and brief.") == []
