"""REG005 schedule-misstated: a controlled-substance schedule the knowledge base records as wrong.

What it flags
    A statement about a substance's controlled-substance status (schedule, controlled
    substance) that matches a knowledge-base misconception about that status, e.g. the
    wrong schedule number.

Why it matters
    The schedule tells readers how tightly a drug is controlled and how high its misuse
    potential is judged; a wrong schedule misstates the legal and safety position.

Flagged example
    Ketamine is a Schedule II controlled substance in the United States.

Use instead
    Ketamine is a Schedule III controlled substance in the United States.

Not flagged
    The correct schedule, and rebutted statements ("some sites wrongly call it Schedule II").

Knowledge used
    Misconception records whose triggers concern scheduling (with the correct statement and
    its source).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import claim_cues, is_rebutted, source_ref
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._misconceptions import regulatory_misconceptions

RULE = Rule(
    code="REG005",
    name="schedule-misstated",
    family=Family.REG,
    severity=Severity.ERROR,
    summary="Controlled-substance schedule misstated",
)


def check(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if not claim_cues(claim, "schedule") or is_rebutted(claim) or claim.certainty == 0:
        return
    for mechanism in regulatory_misconceptions(ctx.kb.mechanisms_matching(claim.text)):
        yield RULE.finding(
            claim,
            f"misstates controlled-substance status: {mechanism.correction or mechanism.statement}",
            evidence=[source_ref(mechanism.id, mechanism.statement, mechanism.sources)],
            suggestion=mechanism.correction or None,
        )
        return
