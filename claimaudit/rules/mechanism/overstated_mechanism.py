"""MECH002 overstated-mechanism: a mechanism stated with more certainty than its status.

What it flags
    A mechanism statement ("rewires the brain", "reverses the damage", "grows new synapses
    in patients") asserted at a certainty above what the knowledge base's status for it
    supports: preclinical, hypothesised or limited mechanisms support hedged wording only
    (level 2). One level over is info, two or more is a warning.

Why it matters
    Mechanism stories sell treatments. Presenting animal findings or hypotheses as
    established facts about patients' brains overstates what is known.

Flagged example
    Each infusion rebuilds the connections that depression has destroyed.

Use instead
    In animal studies, ketamine promotes the growth of new synaptic connections; whether
    this happens in patients, and explains the benefit, is not yet known.

Not flagged
    Hedged statements at or below the supported level ("may promote the growth of neural
    connections"), statements scoped to where they were shown ("in animal studies"),
    one-level overstatements that cite a source, and established pharmacology ("ketamine
    blocks NMDA receptors").

Knowledge used
    Mechanism entries: triggers, status (established / limited / preclinical / hypothesis),
    the certainty level each status supports, corrections and sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import Certainty, Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import family_regex, is_rebutted, plain, source_ref
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.mechanism._matching import is_wrong, matched_mechanisms

RULE = Rule(
    code="MECH002",
    name="overstated-mechanism",
    family=Family.MECH,
    severity=Severity.WARNING,
    summary="Mechanism stated with more certainty than its evidence",
)


def check(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if claim.certainty == 0 or is_rebutted(claim):
        return
    mechanisms = matched_mechanisms(claim, ctx)
    if not mechanisms or any(is_wrong(m) for m in mechanisms):
        return  # MECH001's
    if family_regex("mechanism", "preclinical_scope").search(plain(claim.text)):
        return
    worst = max(mechanisms, key=lambda m: claim.certainty - m.status.supported_level)
    gap = int(claim.certainty) - worst.status.supported_level
    if gap <= 0 or (gap == 1 and _cited(claim)):
        return
    level = Certainty(worst.status.supported_level).label if worst.status.supported_level >= 0 else "none"
    message = (
        f"states '{worst.statement.rstrip('.')}' as {claim.certainty.label} (level {int(claim.certainty)}) "
        f"where its status is {worst.status.value} (supports {level} wording, level "
        f"{worst.status.supported_level})"
    )
    yield RULE.finding(
        claim,
        message,
        severity=Severity.INFO if gap == 1 else Severity.WARNING,
        evidence=[source_ref(worst.id, worst.statement, worst.sources)],
        suggestion=worst.correction
        or "Hedge the mechanism and say where it was shown (e.g. 'in animal studies, ketamine may ...').",
    )


def _cited(claim: Claim) -> bool:
    return any(c.study_id or c.reference is not None for c in claim.citations)
