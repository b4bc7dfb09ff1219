"""REG002 implied-approval: an approval label attached to a substance on a page about a use it
is not approved for.

What it flags
    "FDA-approved" or "Health Canada-approved" (a named regulator) attached to a substance, with no
    indication named in the same clause, on a page whose topic is an indication that
    substance is not approved for, while the sentence never names what the approval actually
    covers (for racemic ketamine: anaesthesia).

Why it matters
    On a page about anxiety, "our FDA-approved ketamine" reads as approval for anxiety. The
    approval is real only for another use, so the label implies a status that does not exist.

Flagged example
    (on an anxiety page) We use FDA-approved ketamine, given by our medical team.

Use instead
    Ketamine is FDA-approved as an anaesthetic; its use for anxiety is off-label.

Not flagged
    Sentences that name the approved use ("a Health Canada-approved anaesthetic"),
    negated ones ("not approved for anxiety"), and pages whose topic the substance is
    approved for.

Knowledge used
    Approvals per substance x indication x regulator; indication names (to see whether the
    sentence names the approved use); the page's topic indication.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import indication_label, plain, substance_label
from claimaudit.rules._rewrite import sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._frames import (
    approval_refs,
    asserted_frames,
    best_answer,
    approval_note,
    approved_for_clause,
    implied_approval_rewrite,
    compliant_sentence,
)

RULE = Rule(
    code="REG002",
    name="implied-approval",
    family=Family.REG,
    severity=Severity.WARNING,
    summary="Approval label implies approval for the page's (unapproved) topic",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not claim.regulators:
        return ()  # (no regulator named)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    topic = claim.topic_indication or (ctx.facts.indications[0] if ctx.facts.indications else None)
    if topic is None or not claim.regulators:
        return
    for frame in asserted_frames(claim, ctx):
        if frame.indications or not frame.substances:
            continue
        answer = best_answer(ctx, frame.substances, topic, frame.regulators)
        if answer is None or answer.approved or answer.narrower:
            continue
        substance = answer.substance
        uses = ctx.kb.approved_uses(substance, frame.regulators)
        if not uses or _names_approved_use(claim, ctx, [u.indication for u in uses]):
            continue
        yield RULE.finding(
            claim,
            f"'{frame.cue.text}' attached to {substance_label(ctx, substance)} on a page about "
            f"{indication_label(ctx, topic)} implies approval for it; {substance_label(ctx, substance)} "
            f"is {approved_for_clause(ctx, substance, frame.regulators, only=True)}",
            evidence=approval_refs(uses, ctx),
            suggestion=sentence_or_none(
                implied_approval_rewrite(ctx, claim, frame.cue, substance, frame.regulators, topic)
            ) or compliant_sentence(ctx, frame.substances, frame.regulators, topic),
            advice=f"Say what {substance_label(ctx, substance)} is approved for, and that its use for "
            f"{indication_label(ctx, topic)} is off-label.",
            note=approval_note(ctx, frame.substances, frame.regulators),
        )
        return


def _names_approved_use(claim: Claim, ctx: RuleContext, indications: list[str]) -> bool:
    """Does the sentence name one of the approved indications (any of its names)?"""
    text = plain(claim.sentence_text or claim.text).casefold()
    for indication_id in indications:
        if indication_id in claim.indications:
            return True
        record = ctx.kb.indication(indication_id)
        names = record.names() if record else (indication_id,)
        for name in names:
            stem = name.casefold()
            if " " not in stem and len(stem) > 8:
                stem = stem[: len(stem) - 3]  # anaesthesia ~ anaesthetic
            if stem and stem in text:
                return True
    return False
