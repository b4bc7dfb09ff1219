"""STAT004 control-arm-omitted: a controlled trial's result quoted without its control arm.

What it flags:
    A percentage that matches the treatment-arm result of a controlled study the claim cites
    or names, quoted with no word about the control group, when the control arm itself
    reached at least half of that figure (for example 69% on the drug where 52% improved on
    placebo plus usual care).

Why it matters:
    Readers take "69% responded" as the drug's effect. When most of that response also
    happened on placebo, the figure without its comparison overstates the benefit several
    times over.

Flagged example:
    In the Lee trial, 80% of patients improved on the nasal spray (Lee et al., 2020).
    (when Lee 2020 reported 80% against 60% on placebo)

Use instead:
    In the Lee trial, 80% improved on the spray and 60% on placebo (Lee et al., 2020).

Not flagged:
    Results quoted with the control figure or a word for it ("versus placebo", "compared
    with"); results whose control arm was small (33% against 0%); uncontrolled studies;
    numbers that match no recorded result (STAT001 handles those).

Knowledge used:
    Study outcomes with their comparator value and the study's comparator; the substances
    given to control arms (`trial_control`), whose name brings the comparison in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Outcome, Study
from claimaudit.nlp.leading import StartsWith
from claimaudit.rules._rewrite import replace_range, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import context_studies, study_ref
from claimaudit.rules.statistics._numbers import Stated, close, format_value, stated_numbers

RULE = Rule(
    code="STAT004",
    name="control-arm-omitted",
    family=Family.STAT,
    severity=Severity.WARNING,
    summary="Controlled trial's result quoted without the control arm",
)

# Share of the treatment figure the control arm must reach for the omission to matter.
CONTROL_SHARE = 0.5
# Words that bring the comparison into the sentence (so does the name of a substance the base
# gives to control arms, such as an active placebo: `KnowledgeLookup.names_trial_control`).
_COMPARISON = compiled(
    r"\b(?:placebo|sham|saline|control(?:s|led)?|comparator|versus|vs\.?|compared|against|"
    r"usual care|relative to|than those|than patients|than people)\b",
    re.I,
)
_COMPARES = StartsWith(_COMPARISON)  # tried only where a comparison word starts


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or not claim.quantities or claim.has_qualifier(QualifierKind.REBUTTAL):
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if _COMPARES.exists(claim.text) or ctx.kb.names_trial_control(claim.text):
        return
    numbers = [n for n in stated_numbers(claim, frozenset({"percent", "ratio"})) if not n.is_threshold]
    if not numbers:
        return
    for study in context_studies(claim, ctx, fit=True):
        if not study.controlled:
            continue
        for outcome in study.outcomes:
            stated = _treatment_arm_match(numbers, outcome)
            if stated is None:
                continue
            yield _finding(claim, study, outcome, stated)
            return


def _treatment_arm_match(numbers: list[Stated], outcome: Outcome) -> Stated | None:
    """The stated number equal to this outcome's treatment-arm value, when the control arm
    reached at least CONTROL_SHARE of it (and the number is not the control value too)."""
    control = outcome.comparator_value
    if control is None or outcome.unit != "%" or outcome.value <= 0:
        return None
    if control < CONTROL_SHARE * outcome.value:
        return None
    for stated in numbers:
        if close(stated, outcome.value) and not close(stated, control):
            return stated
    return None


def _finding(claim: Claim, study: Study, outcome: Outcome, stated: Stated) -> Finding:
    control_name = study.comparator or "the control arm"
    value = f"{format_value(outcome.value)}%"
    control = f"{format_value(outcome.comparator_value or 0)}%"
    message = (
        f"quotes '{stated.quantity.text.strip()}' from {study.short_label} without the control arm: "
        f"{control} also met '{outcome.definition or outcome.measure}' on {control_name} "
        f"(against {value})"
    )
    return RULE.finding(
        claim,
        message,
        severity=Severity.WARNING,
        evidence=[study_ref(study, note=f"{outcome.measure} {value} vs {control} ({control_name})")],
        suggestion=sentence_or_none(replace_range(
            claim, stated.quantity.end, stated.quantity.end, f" (against {control} with {control_name})"
        )),
        advice=f"Give both arms: {value} with the treatment and {control} with {control_name} "
        f"({study.short_label}).",
        trigger=(stated.quantity.start, stated.quantity.end),
    )
