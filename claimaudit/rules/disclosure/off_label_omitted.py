"""DISC001 off-label-undisclosed: promotes an unapproved use without saying it is off-label.

What it flags
    A promotional page (a treatment offered or recommended, with benefit claims) about a
    substance for an indication it is not approved for (by the regulators of the configured
    jurisdictions) that never says the use is off-label or not approved.

Why it matters
    Readers assume an advertised treatment is licensed for their condition. Off-label use is
    legal, but patients need to know it, for consent, insurance and weighing the evidence.

Flagged example
    A clinic page offering ketamine infusions for panic disorder that never mentions approval.

Use instead
    Add: "Ketamine is approved as an anaesthetic; its use for panic disorder is off-label."

Not flagged
    Pages that say the use is off-label or not approved, pages about an approved use
    (esketamine for treatment-resistant depression), and non-promotional pages.

Knowledge used
    Approvals per substance x indication x regulator; the page's substances and indications.
    A condition the base has no record of (`patterns/coverage.yaml`, e.g. migraine) that the
    page's benefit claims promote the substance for counts as unapproved when the base records
    the substance's approvals (they are then known in full).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import focus_substances, indication_label, substance_label
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.claims.coverage import unrecorded_conditions
from claimaudit.claims.model import Certainty
from claimaudit.rules.disclosure._page import benefit_claims, is_promotional, omission
from claimaudit.rules.regulatory._frames import approved_use_text

RULE = Rule(
    code="DISC001",
    name="off-label-undisclosed",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="Promotes an unapproved use without saying it is off-label",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if facts.mentions_off_label or not is_promotional(facts, ctx):
        return
    pair = _unapproved_topic(facts, ctx)
    if pair is None:
        return
    substance, indication, uses = pair
    yield from omission(
        RULE,
        ctx,
        "off_label_status",
        f"promotes {substance_label(ctx, substance)} for {indication_label(ctx, indication)} without "
        f"saying the use is off-label; "
        + (f"it is approved only for: {uses}" if uses != "nothing" else "it holds no recorded approval in scope"),
        f"State the approval status, e.g. \"{substance_label(ctx, substance).capitalize()} is not "
        f"approved for {indication_label(ctx, indication)}; its use for it is off-label.\"",
    )


def _unapproved_topic(facts: DocumentFacts, ctx: RuleContext) -> tuple[str, str, str] | None:
    """The page's (focus substance, indication) pair that no in-scope regulator approves."""
    regulators = ctx.kb.regulators_for_jurisdictions(ctx.settings.jurisdictions)
    substances = _topic_first(
        focus_substances(facts.substances, ctx), [c.topic_substance for c in ctx.claims]
    )
    indications = _topic_first(facts.indications, [c.topic_indication for c in ctx.claims])
    for substance in substances[:1]:
        for indication in indications[:2]:
            answer = ctx.kb.approval_status(substance, indication, regulators)
            if answer.status in ("not_approved", "approved_for_other") and not answer.narrower:
                return substance, indication, approved_use_text(ctx, substance, regulators)
        unrecorded = _unrecorded_topic(ctx, substance)
        if unrecorded and ctx.kb.approved_uses(substance, regulators):
            return substance, unrecorded, approved_use_text(ctx, substance, regulators)
    return None


def _unrecorded_topic(ctx: RuleContext, substance: str) -> str | None:
    """A condition the base has no record of (migraine, CRPS) that the page's benefit claims
    about the substance name: the base lists every approval of the substance, so none is for
    it. The most often named condition wins."""
    counts: dict[str, int] = {}
    for claim in benefit_claims(ctx, Certainty.HEDGED):
        if substance in claim.subject_substances:
            for name in unrecorded_conditions(claim):
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else None


def _topic_first(ids: tuple[str, ...], topics: list[str | None]) -> list[str]:
    ordered = [t for t in dict.fromkeys(topics) if t and t in ids]
    return ordered + [i for i in ids if i not in ordered]
