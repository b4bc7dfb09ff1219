"""Shared logic of the DISC rules: is the page promotional, and the finding on its title."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from claimaudit.claims.model import ClaimKind, DocumentFacts
from claimaudit.findings.model import Finding
from claimaudit.rules._helpers import document_title_span

if TYPE_CHECKING:
    from claimaudit.rules.base import Rule, RuleContext


def is_promotional(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """The page promotes a treatment: the reader's facts say so, or several benefit claims
    about a focus substance are asserted without hedging."""
    if facts.promotes_treatment:
        return True
    asserted = [
        c for c in ctx.claims
        if ClaimKind.EFFICACY in c.kinds and c.certainty >= 3 and c.subject_substances
    ]
    return len(asserted) >= 3


def omission(
    rule: "Rule", ctx: "RuleContext", omits: str, message: str, suggestion: str
) -> Iterator[Finding]:
    span, text = document_title_span(ctx)
    yield rule.document_finding(span, text, message, omits=omits, suggestion=suggestion)
