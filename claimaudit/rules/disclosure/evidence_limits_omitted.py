"""DISC004 evidence-limits-undisclosed: promotes a treatment without stating the limits of the evidence.

What it flags
    A promotional page that never says anything about the limits of the evidence (small,
    short or uncontrolled studies, unknown durability, still being researched).

Why it matters
    For most psychiatric uses of ketamine other than treatment-resistant depression the
    evidence is preliminary. Readers should not be left to think it is settled.

Flagged example
    A page saying research has shown ketamine relieves anxiety, without any caveat.

Use instead
    Add: "The evidence for anxiety comes from small, short studies; long-term effects are
    not known."

Not flagged
    Pages that state limitations anywhere, pages whose uses all have evidence graded
    established (e.g. esketamine for treatment-resistant depression) unless they promise an
    absolute benefit ("cures", "ends depression"), and non-promotional pages.

Knowledge used
    Evidence assessments for the page's substance x indications (weakest grade named in the
    message).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import Certainty, DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Grade
from claimaudit.rules._helpers import focus_substances, indication_label, substance_label
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.disclosure._page import benefit_claims, is_promotional, omission, states_evidence_limits

RULE = Rule(
    code="DISC004",
    name="evidence-limits-undisclosed",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="Promotes a treatment without stating the limits of the evidence",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if not is_promotional(facts, ctx) or states_evidence_limits(ctx):
        return
    grades = _grades(facts, ctx)
    absolute = any(c.certainty >= Certainty.ABSOLUTE for c in benefit_claims(ctx))
    if grades and all(g is Grade.ESTABLISHED for _, g in grades) and not absolute:
        return  # only established uses, sold without absolute promises
    weakest = [(label, g) for label, g in grades if g is not Grade.ESTABLISHED] or grades
    grade = f" (the evidence for {weakest[0][0]} is {weakest[0][1].value})" if weakest else ""
    yield from omission(
        RULE,
        ctx,
        "evidence_limits",
        f"promotes a treatment but never states the limits of the evidence{grade}",
        "Say how strong the evidence is: study sizes, designs, and what is not yet known.",
    )


def _grades(facts: DocumentFacts, ctx: RuleContext) -> list[tuple[str, Grade]]:
    """Evidence grades of the page's main focus substance for its (up to three) indications."""
    out = []
    for substance in focus_substances(facts.substances, ctx)[:1]:
        for indication in facts.indications[:3]:
            assessment = ctx.kb.assessment_for(substance, indication)
            if assessment is not None:
                label = f"{substance_label(ctx, substance)} in {indication_label(ctx, indication)}"
                out.append((label, assessment.grade))
    return out
