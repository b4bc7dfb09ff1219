"""REG003 approval-scope-misstated: an approval described as exclusive when more are recorded.

What it flags
    "Approved only for X" (only, solely, exclusively) when the approvals table records further
    approved indications for that substance from the regulators in scope (those the text
    names, else the configured jurisdictions).

Why it matters
    An exclusive statement that leaves out real approvals is inaccurate: readers in those
    situations are told no approved option exists for them.

Flagged example
    Spravato is approved only for treatment-resistant depression in the United States.

Use instead
    Name every recorded approval with its conditions, e.g. "Spravato is FDA-approved for
    treatment-resistant depression and for depressive symptoms in adults with major
    depressive disorder with acute suicidal ideation or behaviour."

Not flagged
    Non-exclusive statements of a real approval ("Spravato is approved for treatment-resistant
    depression"), and exclusive statements that match the table.

Knowledge used
    Approvals per substance x indication x regulator (dates, conditions, summaries); the
    indication hierarchy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import indication_label, regulator_label, substance_label
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.regulatory._frames import (
    approval_note,
    approval_refs,
    asserted_frames,
    compliant_sentence,
)

RULE = Rule(
    code="REG003",
    name="approval-scope-misstated",
    family=Family.REG,
    severity=Severity.WARNING,
    summary="Approval described as exclusive, leaving out recorded approvals",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not asserted_frames(claim, ctx):
        return ()  # (no approval asserted)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    for frame in asserted_frames(claim, ctx):
        if not frame.exclusive or not frame.indications:
            continue
        for substance in frame.substances:
            stated = set(frame.indications)
            if not any(ctx.kb.approval_status(substance, i, frame.regulators).approved for i in stated):
                continue
            omitted = [
                a for a in ctx.kb.approved_uses(substance, frame.regulators)
                if not _related(ctx, a.indication, stated)
            ]
            if not omitted:
                continue
            listed = "; ".join(
                f"{indication_label(ctx, a.indication)} ({regulator_label(ctx, a.regulator)}"
                f"{' ' + a.date[:4] if a.date else ''})"
                for a in omitted
            )
            yield RULE.finding(
                claim,
                f"describes {substance_label(ctx, substance)} as approved only for "
                f"{', '.join(indication_label(ctx, i) for i in frame.indications)}, leaving out "
                f"other approvals recorded in scope: {listed}",
                evidence=approval_refs(omitted, ctx),
                suggestion=compliant_sentence(ctx, (substance,), frame.regulators, None),
                advice="List every approved use in scope, or drop 'only'.",
                note=approval_note(ctx, (substance,), frame.regulators),
            )
            return


def _related(ctx: RuleContext, indication: str, stated: set[str]) -> bool:
    """The approved indication is one stated, or an ancestor/descendant of one."""
    return any(
        indication in ctx.kb.indication_ancestors(s) or s in ctx.kb.indication_ancestors(indication)
        for s in stated
    )
