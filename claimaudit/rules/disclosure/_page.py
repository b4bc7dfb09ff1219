"""Shared logic of the DISC rules: is the page promotional, and the finding on its title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from claimaudit.claims.model import ClaimKind, DocumentFacts, QualifierKind
from claimaudit.findings.model import Finding
from claimaudit.rules._helpers import document_title_span, focus_substances, load_patterns

if TYPE_CHECKING:
    from claimaudit.rules.base import Rule, RuleContext


def is_promotional(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """The page promotes a treatment: the reader's facts say so, and benefit claims about a
    focus substance are asserted without hedging (three or more, or one with a call to
    action such as booking)."""
    if not facts.promotes_treatment:
        return False
    asserted = [
        c for c in ctx.claims
        if ClaimKind.EFFICACY in c.kinds and c.certainty >= 3
        and focus_substances(c.subject_substances, ctx)
    ]
    call_to_action = bool(facts.extra.get("call_to_action"))
    return len(asserted) >= 3 or (call_to_action and len(asserted) >= 1)


def omission(
    rule: "Rule", ctx: "RuleContext", omits: str, message: str, suggestion: str
) -> Iterator[Finding]:
    span, text = document_title_span(ctx)
    yield rule.document_finding(span, text, message, omits=omits, suggestion=suggestion)


def states_evidence_limits(ctx: "RuleContext") -> bool:
    """The page says something about the limits of the evidence (a limitation qualifier on a
    claim, or an evidence-limit phrase anywhere in the text)."""
    if any(c.has_qualifier(QualifierKind.LIMITATION) for c in ctx.claims):
        return True
    return any(p.search(ctx.document.text) for p in _limit_patterns())


def side_effects_only_for_comparators(ctx: "RuleContext") -> bool:
    """Side effects are named only in claims about other (non-focus) substances."""
    about = [
        c for c in ctx.claims
        if any(m.kind == "adverse_effect" for m in c.mentions)
        or any(m.entity_id == "side_effect" for m in c.cues)
    ]
    return bool(about) and all(
        c.substances and not focus_substances(c.substances, ctx) for c in about
    )


@cache
def _limit_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("disclosure").get("evidence_limit_regex", [])
    return tuple(re.compile(str(r), re.IGNORECASE) for r in raw)
