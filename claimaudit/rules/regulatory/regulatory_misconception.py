"""REG005 regulatory-misconception: a known false statement about legal or regulatory status.

What it flags
    A statement that matches a knowledge-base misconception about regulatory status: the
    wrong controlled-substance schedule, or an approval or formulary decision that did not
    happen (e.g. an agency "approving" a substance for a condition it never approved).

Why it matters
    The schedule tells readers how tightly a drug is controlled and how high its misuse
    potential is judged; invented approvals make an off-label use look endorsed.

Flagged example
    Ketamine is a Schedule II controlled substance in the United States.

Use instead
    Ketamine is a Schedule III controlled substance in the United States.

Not flagged
    The correct schedule, negated and rebutted statements ("Myth: ketamine is Schedule II",
    "the VA added it for depression, not for PTSD").

Knowledge used
    Misconception records whose triggers concern schedules, approvals or formularies (with
    the correct statement and its source).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import is_rebutted, plain, source_ref, trigger_terms_negated
from claimaudit.rules._rewrite import sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._misconceptions import regulatory_misconceptions

RULE = Rule(
    code="REG005",
    name="regulatory-misconception",
    family=Family.REG,
    severity=Severity.ERROR,
    summary="Known misconception about regulatory status",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if is_rebutted(claim) or claim.certainty == 0 or claim.has_qualifier(QualifierKind.NEGATION):
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    for mechanism in regulatory_misconceptions(ctx.kb.mechanisms_matching(claim.text)):
        if trigger_terms_negated(mechanism.triggers, plain(claim.text)):
            continue  # "added to the formulary for depression, not for PTSD"
        yield RULE.finding(
            claim,
            f"misstates regulatory status ({mechanism.statement.rstrip('.')}): "
            f"{mechanism.correction or 'recorded as false'}",
            evidence=[source_ref(mechanism.id, mechanism.statement, mechanism.sources)],
            suggestion=sentence_or_none(" ".join(mechanism.correction.split())),
            advice="Correct the regulatory status as the regulator's record gives it.",
            note=mechanism.correction.strip() or None,
        )
        return
