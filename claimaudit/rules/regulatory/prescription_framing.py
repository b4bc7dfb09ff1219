"""REG004 prescription-as-recognised-use: prescription or availability presented as a
recognised use for an indication the substance is not approved for.

What it flags
    "Available by prescription for X", "prescribed for X", "doctors prescribe it for X", when
    the substance is not approved for X by the regulators in scope and the sentence does not
    say the use is off-label.

Why it matters
    Availability framed this way reads as an established, licensed use. Off-label prescribing
    is legal, but readers should be told it is off-label.

Flagged example
    In the US, ketamine is available through a prescription for panic disorder and migraine.

Use instead
    Ketamine is FDA-approved only as an anaesthetic; prescribing it for panic disorder is
    off-label.

Not flagged
    Sentences that say the use is off-label or not approved, negated or hypothetical
    sentences ("if your doctor prescribes..."), questions, and prescription of a substance
    for an approved use.

Knowledge used
    Approvals per substance x indication x regulator; regulators per jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import (
    claim_cues,
    focus_substances,
    indication_label,
    is_hypothetical,
    is_rebutted,
    negated_before,
    plain,
    regulators_in_scope,
    relative,
    substance_label,
)
from claimaudit.rules._rewrite import join_and, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._frames import (
    approval_refs,
    asserted_frames,
    best_answer,
    approval_note,
    approved_for_clause,
    off_label_rewrite,
    compliant_sentence,
    family_of,
)

RULE = Rule(
    code="REG004",
    name="prescription-as-recognised-use",
    family=Family.REG,
    severity=Severity.ERROR,
    summary="Prescription framed as a recognised use for an unapproved indication",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if "prescription" not in claim.cue_labels():
        return ()  # (no prescription cue)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    cues = claim_cues(claim, "prescription")
    if not cues or claim_cues(claim, "off_label") or is_rebutted(claim) or is_hypothetical(claim):
        return
    if claim.text.rstrip().endswith("?") or asserted_frames(claim, ctx):
        return
    text = plain(claim.text)
    if all(negated_before(text, relative(claim, c.start)) for c in cues):
        return
    substances = family_of(ctx, focus_substances(claim.subject_substances, ctx), claim)
    if not substances:
        return
    regulators = regulators_in_scope(claim, ctx)
    unapproved = []
    for indication in claim.indications:
        answer = best_answer(ctx, substances, indication, regulators)
        if answer is not None and not answer.approved and not answer.narrower:
            unapproved.append(indication)
    if not unapproved:
        return
    substance = substances[0]
    names = join_and([indication_label(ctx, i) for i in unapproved])
    yield RULE.finding(
        claim,
        f"'{cues[0].text}' presents {substance_label(ctx, substance)} for {names} as a recognised "
        f"use without saying it is off-label; it is {approved_for_clause(ctx, substance, regulators, only=True)}",
        evidence=approval_refs(ctx.kb.approved_uses(substance, regulators), ctx),
        suggestion=sentence_or_none(off_label_rewrite(claim, cues[0]))
        or compliant_sentence(ctx, substances, regulators, tuple(unapproved)),
        advice=f"Say that prescribing {substance_label(ctx, substance)} for {names} is off-label.",
        note=approval_note(ctx, substances, regulators),
    )
