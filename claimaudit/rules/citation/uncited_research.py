"""CITE001 uncited-research: a claim that presents itself as research-backed but cites nothing.

What it flags:
    An unhedged efficacy claim worded as a research finding ("has been shown to", "studies
    show", "research has demonstrated", "clinical trials have shown") with no citation and no
    named study. Warning when the claim is also stronger than the evidence grade; info when
    the claim itself is fair and only the source is missing.

Why it matters:
    "Studies show" invites trust in research the reader cannot find. Naming the study lets
    the reader see its size, design and population.

Flagged example:
    Research has shown that ketamine eases panic attacks.

Use instead:
    One small open-label study suggests ketamine may ease panic symptoms (Author 2020).

Not flagged:
    Hedged claims ("studies suggest ketamine may help"); claims with a citation or a named
    study; well-established facts the base grades as established (stated at level 4 or
    below); numbers without a source (STAT002 reports those).

Knowledge used:
    Evidence assessments per substance x indication (to tell a fair claim from an overstated
    one and to skip established facts).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import Certainty, Claim, ClaimKind, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Grade
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.evidence_strength._grading import (
    STUDY_REPORT,
    asserted_level,
    assessment_evidence,
    judgements,
    weakest,
)
from claimaudit.rules.scope._studies import claim_studies
from claimaudit.rules.statistics._numbers import RESULT_KINDS, SESSION_KINDS, stated_numbers

RULE = Rule(
    code="CITE001",
    name="uncited-research",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Research-backed claim with no citation",
)

_CLAIM_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.DURABILITY, ClaimKind.ONSET, ClaimKind.SCOPE})


def check(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if not _presents_as_research(claim):
        return
    if claim.citations or claim_studies(claim, ctx.kb):
        return
    if stated_numbers(claim, RESULT_KINDS | SESSION_KINDS):
        return  # an uncited number is STAT's finding
    found = judgements(claim, ctx.kb)
    worst = weakest(found)
    if found and worst is None and all(j.assessment.grade is Grade.ESTABLISHED for j in found):
        return  # a well-established fact
    research = _research_words(claim)
    if worst is not None:
        message = (
            f"presents the claim as research-backed ({research}) but cites no study, "
            f"and the evidence for {worst.indication} is only {worst.assessment.grade.value}"
        )
        severity = Severity.WARNING
        evidence = assessment_evidence(ctx.kb, worst.assessment)
    else:
        message = f"presents the claim as research-backed ({research}) but cites no study"
        severity = Severity.INFO
        evidence = assessment_evidence(ctx.kb, found[0].assessment) if found else []
    yield RULE.finding(
        claim,
        message,
        severity=severity,
        evidence=evidence,
        suggestion="Name the study or review behind the statement (author, year, design, size), or drop the appeal to research.",
    )


def _presents_as_research(claim: Claim) -> bool:
    if asserted_level(claim) < Certainty.BOOSTED:
        return False
    if not set(claim.kinds) & _CLAIM_KINDS:
        return False
    if claim.has_qualifier(QualifierKind.HEDGE) or claim.has_qualifier(QualifierKind.HYPOTHETICAL):
        return False
    if STUDY_REPORT.search(claim.text):
        return False  # "one study found ...": a report of a particular study
    return "research_backed" in claim.cue_labels() or claim.has_qualifier(QualifierKind.ATTRIBUTION)


def _research_words(claim: Claim) -> str:
    words = [c.text for c in claim.cues if c.entity_id == "research_backed"]
    words += [q.text for q in claim.qualifiers if q.kind is QualifierKind.ATTRIBUTION]
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    return ", ".join(f"'{w}'" for w in unique[:2]) or "attributed to research"
