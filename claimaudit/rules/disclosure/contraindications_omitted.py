"""DISC003 contraindications-undisclosed: promotes a treatment without saying who should not use it.

What it flags
    A promotional page that never says who should not receive the treatment
    (contraindications, "not suitable for", "not for everyone").

Why it matters
    Some people must not receive ketamine (for example with psychosis or uncontrolled high
    blood pressure). Leaving this out invites unsuitable patients.

Flagged example
    A page inviting everyone with anxiety to book an infusion, with no exclusions.

Use instead
    Add a section on who should not receive the treatment and how patients are screened.

Not flagged
    Pages that list contraindications, say the treatment is not for everyone or "may not be
    right for you if ...", and non-promotional pages.

Knowledge used
    Contraindications recorded for the page's substances (named in the message).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import focus_substances, name_list
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.disclosure._page import is_promotional, omission, table

RULE = Rule(
    code="DISC003",
    name="contraindications-undisclosed",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="Promotes a treatment without saying who should not use it",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if facts.mentions_contraindications or not is_promotional(facts, ctx) or _names_exclusions(ctx):
        return
    substances = focus_substances(facts.substances, ctx)
    conditions = [c.condition for s in substances[:1] for c in ctx.kb.contraindications_for(s)]
    known = f" (recorded contraindications include {name_list(conditions, limit=4)})" if conditions else ""
    yield from omission(
        RULE,
        ctx,
        "contraindications",
        f"promotes a treatment but never says who should not receive it{known}",
        "Add a section on who should not receive the treatment and how patients are screened.",
    )


def _names_exclusions(ctx: RuleContext) -> bool:
    """The page says who should not receive the treatment in other words ("may not be right
    for you if ...", "not recommended during pregnancy")."""
    return next(table("contraindication_regex").finditer_long(ctx.document.text), None) is not None
