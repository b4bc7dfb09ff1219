"""REG001 approval-not-held: an approval the regulator never granted.

What it flags
    A statement that a substance is approved (FDA-approved, approved by Health Canada,
    licensed, cleared, indicated) for an indication when the approvals table records no such
    approval from the regulator the text names (or, when it names none, from the regulators
    of the configured jurisdictions, by default the US and Canada).

    An approval stated for a broad condition ("approved to treat depression") when only
    narrower forms are approved (treatment-resistant depression, MDD with suicidal ideation)
    is flagged as a warning, unless the text names the narrower form or is about which
    product holds the approval.

Why it matters
    Patients read "approved for anxiety" as "tested and licensed for my condition". Racemic
    ketamine is licensed as an anaesthetic; psychiatric use is off-label. Misstating approval
    is false and can mislead a treatment decision.

Flagged example
    Ketamine is an FDA-approved treatment for generalized anxiety disorder.

Use instead
    Esketamine (Spravato) is FDA-approved for treatment-resistant depression in adults,
    together with an oral antidepressant; ketamine is not approved for generalized anxiety
    disorder (off-label use).

Not flagged
    Negated or rebutted statements ("ketamine is not approved for anxiety", "a common myth
    is that ketamine is FDA-approved for anxiety"), approvals the table records ("Spravato is
    FDA-approved for treatment-resistant depression"), and pairs the base knows nothing about.

Knowledge used
    Approvals (substance x indication x regulator, with dates and conditions), the indication
    hierarchy (an approval for a broader indication covers a narrower one), substance
    families (esketamine derives from ketamine), regulators per jurisdiction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import indication_label, regulator_label, substance_label
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._frames import (
    approval_note,
    approval_refs,
    approved_for_clause,
    asserted_frames,
    best_answer,
    compliant_sentence,
)
from claimaudit.rules.regulatory._misconceptions import regulatory_misconceptions

RULE = Rule(
    code="REG001",
    name="approval-not-held",
    family=Family.REG,
    severity=Severity.ERROR,
    summary="Approval claimed that the regulator never granted",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not asserted_frames(claim, ctx):
        return ()  # (no approval asserted)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    frames = asserted_frames(claim, ctx)
    if not frames or regulatory_misconceptions(ctx.kb.mechanisms_matching(claim.text)):
        return  # no approval asserted; or a known misconception: REG005 reports it with its correction
    for frame in frames:
        if not frame.substances:
            continue
        for indication in frame.indications:
            answer = best_answer(ctx, frame.substances, indication, frame.regulators)
            if answer is not None and not answer.approved and answer.narrower and not _names_narrower(ctx, claim, indication):
                yield _widened(ctx, claim, frame, indication, answer)
                return
            if answer is None or answer.approved or answer.narrower:
                continue
            yield RULE.finding(
                claim,
                _message(ctx, frame.cue.text, answer.substance, indication, frame.regulators),
                evidence=approval_refs(
                    (*answer.approvals, *ctx.kb.approved_uses(answer.substance, frame.regulators)),
                    ctx,
                ),
                suggestion=compliant_sentence(ctx, frame.substances, frame.regulators, indication),
                advice="Remove the approval claim; say the use is off-label and name what is approved.",
                note=approval_note(ctx, frame.substances, frame.regulators),
            )
            return


def _names_narrower(ctx: RuleContext, claim: Claim, indication: str) -> bool:
    """The text also names a narrower form ("treatment-resistant MDD", "MDD with suicidal
    ideation"): the broad word is part of naming the approved indication."""
    below = set(ctx.kb.indication_descendants(indication))
    return any(i in below for i in claim.indications) or bool(_NARROWING.search(claim.text))


# Words that narrow a broad condition to the approved form, or make the sentence a statement
# about which product holds the approval ("the only product approved for depression").
_NARROWING = prefilter.compile(
    r"\b(?:treatment[\s-]+resistant|resistant|refractory|suicid\w*|not\s+responded)\b"
    r"|\bonly\b[\w\s-]{0,30}?\b(?:products?|medications?|medicines?|drugs?|forms?|versions?)\b",
    re.I,
)


def _widened(ctx: RuleContext, claim: Claim, frame, indication: str, answer) -> Finding:  # type: ignore[no-untyped-def]
    """An approval stated for a broad condition ("approved to treat depression") when the
    regulator approved the substance only for narrower forms of it (treatment-resistant
    depression, with conditions): the statement widens the approval to everyone with it."""
    held = ", ".join(dict.fromkeys(indication_label(ctx, a.indication) for a in answer.narrower))
    return RULE.finding(
        claim,
        f"'{frame.cue.text}' presents {substance_label(ctx, answer.substance)} as approved for "
        f"{indication_label(ctx, indication)}, but the recorded approvals cover only {held}",
        severity=Severity.WARNING,
        evidence=approval_refs(answer.narrower, ctx),
        suggestion=compliant_sentence(ctx, frame.substances, frame.regulators, None),
        advice="Name the approved indication and its conditions instead of the broad condition.",
        note=approval_note(ctx, frame.substances, frame.regulators),
    )


def _message(
    ctx: RuleContext, cue: str, substance: str, indication: str, regulators: tuple[str, ...]
) -> str:
    regs = ", ".join(regulator_label(ctx, r) for r in regulators) or "any regulator"
    text = (
        f"'{cue}' presents {substance_label(ctx, substance)} as approved for "
        f"{indication_label(ctx, indication)}, but no such approval is recorded ({regs}); "
        f"it is {approved_for_clause(ctx, substance, regulators)}"
    )
    elsewhere = _approved_elsewhere(ctx, substance, indication, regulators)
    if elsewhere:
        text += f"; approved for it only by {elsewhere}"
    return text


def _approved_elsewhere(
    ctx: RuleContext, substance: str, indication: str, regulators: tuple[str, ...]
) -> str:
    answer = ctx.kb.approval_status(substance, indication, None)
    others = [a.regulator for a in answer.approvals if a.approved and a.regulator not in regulators]
    return ", ".join(dict.fromkeys(regulator_label(ctx, r) for r in others))
