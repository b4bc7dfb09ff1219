"""SAFE003 dependence-reassurance: misuse or dependence risk played down.

What it flags
    Reassurance that dependence or misuse does not arise ("addiction has not been observed",
    "dependence is not a concern", "a very low risk of addiction") for a substance the
    knowledge base records misuse or dependence facts for. Absolute denials ("not
    addictive") are SAFE001's.

Why it matters
    Ketamine is a controlled substance with documented misuse and dependence; long-term data
    for repeated clinical dosing are sparse. Absence of reports in short studies is not
    evidence of safety, and readers with a history of substance use need the real picture.

Flagged example
    Dependence is not a concern with our clinic's low, supervised doses.

Use instead
    Ketamine has misuse potential; long-term data on repeated clinical use are limited, so we
    screen for substance-use history and monitor throughout.

Not flagged
    Statements of the risk ("a potential for dependence exists"), statements about missing
    data ("the studies did not measure dependence"), negated or rebutted reassurance.

Knowledge used
    Adverse effects recorded for the substance whose names concern misuse, abuse or dependence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import name_list, relative, source_ref, substance_label
from claimaudit.rules._rewrite import common_effects, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.safety._phrases import (
    dependence_effects,
    dependence_hits,
    is_question,
    phrase_hits,
    subject,
)

RULE = Rule(
    code="SAFE003",
    name="dependence-reassurance",
    family=Family.SAFE,
    severity=Severity.INFO,
    summary="Misuse or dependence risk played down",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not dependence_hits(claim):
        return ()  # (no dependence wording (the rarest test first))
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    hits = dependence_hits(claim)
    if not hits or is_question(claim) or phrase_hits(claim, "absolute"):
        return  # (the rarest test first)
    if _rebutted_outside(claim, hits[0].start, hits[0].end):
        return
    substance = subject(claim, ctx)
    if substance is None:
        return
    effects = dependence_effects(ctx, substance)
    if not effects:
        return
    hit = hits[0]
    yield RULE.finding(
        claim,
        f"'{hit.text}' plays down misuse and dependence, which are recorded for "
        f"{substance_label(ctx, substance)}: {name_list([e.name for e in effects])}; "
        "absence of reports in short studies is not evidence of no risk",
        severity=Severity.WARNING if claim.certainty >= 4 else None,
        evidence=[source_ref(e.id, e.name, e.sources, e.frequency) for e in effects[:3]],
        suggestion=table_rewrite(claim, "safety", (hit.start, hit.end), effects=common_effects(ctx, substance)),
        advice="Say that misuse and dependence are recorded risks and how patients are screened and monitored.",
        note=(
            f"{substance_label(ctx, substance).capitalize()} has misuse and dependence potential; "
            "long-term data on repeated clinical use are limited."
        ),
        trigger=(claim.norm_start + hit.start, claim.norm_start + hit.end),
    )


def _rebutted_outside(claim: Claim, start: int, end: int) -> bool:
    """A rebuttal cue outside the reassurance itself ("a common myth is that ...")."""
    for qualifier in claim.qualifiers:
        if qualifier.kind is QualifierKind.REBUTTAL:
            q_start = relative(claim, qualifier.start)
            if not (start <= q_start < end):
                return True
    return False
