"""DISC005 review-date-missing: promotional health page without a review or publication date.

What it flags
    A promotional page with no publication, update or medical-review date.

Why it matters
    Approvals and evidence change; readers need to know how current the page is.

Flagged example
    A treatment page with no date anywhere.

Use instead
    Add "Medically reviewed on <date> by <name>" or "Last updated <date>".

Not flagged
    Pages with any review, update, check or publication date (also a dated byline such as
    "Health desk | 9 October 2023"), and pages that make no unhedged benefit claims. Unlike
    the other DISC rules it also applies to balanced pages, since any reader needs the date.

Knowledge used
    None (a page-level fact).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.disclosure._page import has_date, omission, promotes

RULE = Rule(
    code="DISC005",
    name="review-date-missing",
    family=Family.DISC,
    severity=Severity.INFO,
    summary="Promotional health page without a review or publication date",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if not promotes(facts, ctx) or has_date(facts, ctx):
        return  # (whether the page promotes is known by now; the date may need a scan of the page)
    yield from omission(
        RULE,
        ctx,
        "review_date",
        "promotes a treatment but shows no publication, update or medical-review date",
        "Add 'Medically reviewed on <date> by <name>' or 'Last updated <date>'.",
    )
