"""DISC002 side-effects-undisclosed: promotes a treatment without naming its side effects.

What it flags
    A promotional page that never mentions side effects or adverse effects of the treatment
    it promotes.

Why it matters
    A benefits-only page denies readers what they need to decide: dissociation, raised blood
    pressure, nausea and misuse potential are well documented.

Flagged example
    A page describing fast relief and a booking form, with no word about side effects.

Use instead
    Add a section naming the common side effects and how patients are monitored.

Not flagged
    Pages that name a side effect of the treatment as a risk anywhere, and non-promotional
    pages. Playing side effects down ("side effects are rare and mild", "no serious side
    effects") or only mentioning routine checks ("we monitor your blood pressure") is not a
    disclosure.

Knowledge used
    Adverse effects recorded for the page's substances (named in the message).
"""

from __future__ import annotations

from collections.abc import Iterator

from claimaudit.claims.model import DocumentFacts
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import focus_substances, name_list
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.disclosure._page import (
    discloses_side_effects,
    is_promotional,
    omission,
    side_effects_only_for_comparators,
)

RULE = Rule(
    code="DISC002",
    name="side-effects-undisclosed",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="Promotes a treatment without naming its side effects",
    scope="document",
)


def check_document(facts: DocumentFacts, ctx: RuleContext) -> Iterator[Finding]:
    if not is_promotional(facts, ctx):
        return
    if discloses_side_effects(facts, ctx) and not side_effects_only_for_comparators(ctx):
        return
    substances = focus_substances(facts.substances, ctx)
    effects = [e.name for s in substances[:1] for e in ctx.kb.adverse_effects_for(s)]
    known = f" (known adverse effects include {name_list(effects, limit=4)})" if effects else ""
    yield from omission(
        RULE,
        ctx,
        "side_effects",
        f"promotes a treatment but never mentions side effects{known}",
        "Add a section naming the common side effects and how patients are monitored.",
    )
