"""STAT003 outcome-definition: a reported result quoted with the wrong definition or time point.

What it flags:
    A number that matches a result of the study the claim cites or names, but quoted with a
    different outcome definition: a response threshold other than the study's ("at least 30%
    improvement" for a result defined as more than 35%), or an acute, post-dose change
    presented as a lasting or from-baseline change ("remained reduced by half").

Why it matters:
    The same percentage means different things under different thresholds and time points;
    a lower threshold or a sustained framing makes the result look better than it was.

Flagged example:
    Half of the patients achieved a 20% or greater improvement (Lee et al., 2019).
    (when Lee 2019 defined response as a 50% reduction)

Use instead:
    Half of the patients met the study's response criterion, a 50% or greater reduction
    (Lee et al., 2019).

Not flagged:
    Thresholds that agree with the study's definition; numbers not matched to any result
    (STAT001 handles those); outcomes the base records without a definition or time point.

Knowledge used:
    Study outcomes: value, comparator value, definition (threshold) and time point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Outcome, Study
from claimaudit.nlp import prefilter
from claimaudit.rules._rewrite import replace_range, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import context_studies, study_ref
from claimaudit.rules.statistics._numbers import (
    Stated,
    definition_threshold,
    format_value,
    outcome_matches,
    stated_numbers,
)

RULE = Rule(
    code="STAT003",
    name="outcome-definition",
    family=Family.STAT,
    severity=Severity.WARNING,
    summary="Result quoted with a different definition or time point than the study's",
)

_DECIMAL = compiled(r"\d+(?:\.\d+)?")
_ACUTE = compiled(r"\b(?:\d+\s*(?:h|hr|hours?|minutes?|min)\b|post-?dose|after each dose|acute|immediately after)", re.I)
_SUSTAINED = prefilter.compile(
    r"\b(?:remain(?:ed|s)?|stay(?:ed|s)?|sustained|persist(?:ed|s)?|(?:from|than) baseline|maintained|lasting|throughout|over (?:the )?\w+ (?:weeks|months))\b",
    re.I,
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or not claim.quantities:
        return ()  # (no quantity: no stated result to compare)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    numbers = stated_numbers(claim)
    results = [s for s in numbers if not s.is_threshold]
    if not results:
        return  # no result to match an outcome (before the studies, which cost more)
    studies = context_studies(claim, ctx)
    if not studies:
        return
    thresholds = [s for s in numbers if s.is_threshold]
    for study in studies:
        for outcome in study.outcomes:
            if not any(outcome_matches(r, outcome) for r in results):
                continue
            finding = _threshold_finding(claim, study, outcome, thresholds) or _time_finding(
                claim, study, outcome
            )
            if finding is not None:
                yield finding
                return


def _threshold_finding(claim: Claim, study: Study, outcome: Outcome, thresholds: list) -> Finding | None:  # type: ignore[type-arg]
    defined = definition_threshold(outcome.definition)
    if defined is None or not thresholds:
        return None
    op, value = defined
    stated = thresholds[0]
    if abs(stated.value - value) < 0.5:
        return None
    message = (
        f"quotes the threshold '{stated.quantity.text.strip()}' but {study.short_label} defined "
        f"this result as {outcome.definition}"
    )
    return RULE.finding(
        claim,
        message,
        severity=Severity.WARNING,
        evidence=[study_ref(study, note=outcome.definition)],
        suggestion=_with_threshold(claim, stated, value),
        trigger=(stated.quantity.start, stated.quantity.end),
        advice=f"State the study's definition: {outcome.definition} "
        f"({format_value(outcome.value)}{outcome.unit}"
        + (f" vs {format_value(outcome.comparator_value)}{outcome.unit}" if outcome.comparator_value is not None else "")
        + ").",
    )


def _time_finding(claim: Claim, study: Study, outcome: Outcome) -> Finding | None:
    when = " ".join(x for x in (outcome.time_point, outcome.definition, outcome.note) if x)
    if not when or not _ACUTE.search(when) or not _SUSTAINED.search(claim.text):
        return None
    message = (
        f"presents the figure as a lasting change, but {study.short_label} reports it "
        f"{outcome.time_point or outcome.definition}"
    )
    return RULE.finding(
        claim,
        message,
        severity=Severity.INFO,
        evidence=[study_ref(study, note=when)],
        advice=f"Say when it was measured: {outcome.time_point or outcome.definition}.",
    )


def _with_threshold(claim: Claim, stated: "Stated", value: float) -> str | None:
    """The sentence with the stated threshold replaced by the study's."""
    quantity = stated.quantity
    new = _DECIMAL.sub(format_value(value), quantity.text, count=1)
    if new == quantity.text:
        return None
    return sentence_or_none(replace_range(claim, quantity.start, quantity.end, new))
