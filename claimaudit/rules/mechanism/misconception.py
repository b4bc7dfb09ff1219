"""MECH001 mechanism-misconception: a wrong term, wrong history or wrong mechanism.

What it flags
    Statements that match a knowledge-base mechanism entry marked as a misconception or as
    incorrect: a wrong term (glutamine for glutamate), wrong history (developed for
    veterinary use), or a mechanism the science does not support. Hedging does not rescue
    it: "may cause a glutamine surge" is still the wrong molecule.

Why it matters
    Factual errors about how a drug works or where it came from mislead readers and signal
    careless sourcing for everything else on the page.

Flagged example
    Ketamine was first made as a horse tranquilliser for veterinary clinics.

Use instead
    Ketamine was developed in the 1960s as a human anaesthetic (approved by the FDA in 1970);
    it is also used in veterinary medicine.

Not flagged
    Negated or rebutted statements ("ketamine was not developed for veterinary use",
    "veterinary use was not its origin"), correct statements of the same topic, and appeals
    to authorities (left to the citation rules).

Knowledge used
    Mechanism entries with `misconception: true` or status `incorrect`, their corrections
    and sources. Misconceptions about controlled-substance schedules are REG005's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import is_rebutted, plain, source_ref, substance_label, trigger_terms_negated
from claimaudit.rules._rewrite import sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.mechanism._matching import has_mechanisms, is_wrong, matched_mechanisms

RULE = Rule(
    code="MECH001",
    name="mechanism-misconception",
    family=Family.MECH,
    severity=Severity.ERROR,
    summary="Known misconception about mechanism or history",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty == 0 or is_rebutted(claim) or claim.has_qualifier(QualifierKind.NEGATION):
        return ()
    if not has_mechanisms(claim, ctx):
        return ()  # (most claims: no mechanism record's trigger)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    for mechanism in matched_mechanisms(claim, ctx):
        if not is_wrong(mechanism) or trigger_terms_negated(mechanism.triggers, plain(claim.text)):
            continue
        message = f"{mechanism.statement.rstrip('.')}"
        if mechanism.correction:
            message += f": {mechanism.correction}"
        yield RULE.finding(
            claim,
            message,
            severity=None if mechanism.misconception else Severity.WARNING,
            evidence=[source_ref(mechanism.id, mechanism.statement, mechanism.sources)],
            suggestion=_restatement(claim, ctx, mechanism.correction),
            advice="Replace the statement with what the record says, or remove it.",
            note=mechanism.correction or None,
        )
        return


def _restatement(claim: Claim, ctx: RuleContext, correction: str) -> str | None:
    """The correction as a replacement sentence, when it is one sentence stating a fact about the
    substance the claim is about ("Ketamine is a synthetic drug first made in 1962 ..."); a
    correction that comments on the wording ("A marketing metaphor: ...") is a note only."""
    text = " ".join(correction.split())
    names = [substance_label(ctx, s).casefold() for s in claim.subject_substances]
    if not text or not any(text.casefold().startswith(name) for name in names if name):
        return None
    return sentence_or_none(text)
