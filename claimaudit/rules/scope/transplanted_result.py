"""SCOPE002 transplanted-result: a result carried over from another condition, population or species.

What it flags:
    A figure quoted for one condition that the knowledge base records as a result of a study
    in another (a depression response rate on an anxiety page); a cited study of a different
    condition used for a number; and animal findings cited as if shown in patients.

Why it matters:
    Response rates, effect sizes and timelines do not transfer between conditions, patient
    groups or species. Quoting them elsewhere promises a result nobody has measured there.

Flagged example:
    For panic disorder, 64% of patients respond within a day (Rivera et al., 2014).
    (where Rivera 2014 studied treatment-resistant depression)

Use instead:
    In treatment-resistant depression, 64% responded within a day (Rivera et al., 2014);
    no comparable figure exists for panic disorder.

Not flagged:
    Figures whose study covers the claim's condition (or a parent or child of it); figures
    matching no recorded result; approximate or bounded figures ("over 70%") without a
    citation, which STAT002 reports; animal studies cited for mechanisms described as animal
    findings.

Knowledge used:
    Study records: indications, population, design (preclinical), outcomes with their
    indication; the indication hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from claimaudit.claims.model import Certainty, Claim, ClaimKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Outcome, Study
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation._sources import credible_study_cited
from claimaudit.rules.scope._studies import (
    claim_studies,
    covers_indication,
    describe_study,
    focus_substances,
    indication_name,
    study_ref,
)
from claimaudit.rules.statistics._numbers import Stated, outcome_matches, stated_numbers

RULE = Rule(
    code="SCOPE002",
    name="transplanted-result",
    family=Family.SCOPE,
    severity=Severity.WARNING,
    summary="Result carried over from another condition, population or species",
)

_ANIMAL_WORDS = re.compile(
    r"\b(?:animal|animals|rodent|rodents|mice|mouse|rats?|preclinical|pre-clinical|in vitro|laboratory)\b", re.I
)
_PRECLINICAL = frozenset({"preclinical", "animal", "in_vitro"})


def check(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if claim.certainty <= Certainty.SPECULATIVE:
        return
    finding = _animal_to_human(claim, ctx) or _number_transplant(claim, ctx)
    if finding is not None:
        yield finding


def _number_transplant(claim: Claim, ctx: RuleContext) -> Finding | None:
    indications = claim.indications  # named ones: a page-topic guess is too weak a basis
    if not indications:
        return None
    numbers = [s for s in stated_numbers(claim) if not s.is_threshold and s.quantity.kind != "sample_size"]
    if not numbers:
        return None
    own = claim_studies(claim, ctx.kb)
    if own:
        candidates, exact_only = list(own), False
    elif not claim.citations and not credible_study_cited(claim, ctx):
        candidates, exact_only = _effect_studies(claim, ctx), True
    else:
        return None
    for stated in numbers:
        if exact_only and (stated.relation != "exact" or _round(stated.value)):
            continue  # without a citation only a distinctive figure (70.8%, 9.87) identifies a study
        home = _home_studies(stated, candidates, ctx, indications)
        if home is None:
            continue
        elsewhere = home
        if exact_only and any(
            outcome_matches(stated, o) for s in _effect_studies(claim, ctx)
            for o in s.outcomes if _outcome_covers(ctx, s, o, indications)
        ):
            continue
        study, outcome = elsewhere
        where = _outcome_indication(study, outcome)
        wanted = ", ".join(indication_name(ctx.kb, i) for i in indications)
        return RULE.finding(
            claim,
            f"'{stated.quantity.text.strip()}' is a result from {describe_study(study)} in "
            f"{indication_name(ctx.kb, where) if where else study.population or 'another population'}, "
            f"quoted here for {wanted}",
            evidence=[study_ref(study, note=outcome.definition or outcome.measure)],
            suggestion=f"Say which condition and study the figure comes from, or use a result measured in {wanted}.",
        )
    return None


def _home_studies(
    stated: Stated, studies: list[Study], ctx: RuleContext, indications: tuple[str, ...]
) -> tuple[Study, Outcome] | None:
    """The study/outcome the number comes from, when that outcome is for another condition
    (None if it matches nothing, or matches an outcome for the claim's condition)."""
    other: tuple[Study, Outcome] | None = None
    for study in studies:
        for outcome in study.outcomes:
            if not outcome_matches(stated, outcome):
                continue
            if _outcome_covers(ctx, study, outcome, indications):
                return None
            other = other or (study, outcome)
    return other


def _outcome_covers(ctx: RuleContext, study: Study, outcome: Outcome, indications: tuple[str, ...]) -> bool:
    have = (outcome.indication,) if outcome.indication else study.indications
    if not have:
        return True
    return any(covers_indication(ctx.kb, have, wanted) for wanted in indications)


def _outcome_indication(study: Study, outcome: Outcome) -> str:
    return outcome.indication or (study.indications[0] if study.indications else "")


def _effect_studies(claim: Claim, ctx: RuleContext) -> list[Study]:
    found: dict[str, Study] = {}
    for substance in focus_substances(claim, ctx.kb):
        for study in ctx.kb.studies_for(substance):
            if study.peer_reviewed:
                found.setdefault(study.id, study)
    return list(found.values())


def _animal_to_human(claim: Claim, ctx: RuleContext) -> Finding | None:
    if ClaimKind.EFFICACY not in claim.kinds or ClaimKind.MECHANISM in claim.kinds:
        return None
    if _ANIMAL_WORDS.search(claim.text):
        return None
    for study in claim_studies(claim, ctx.kb):
        if study.design in _PRECLINICAL or _ANIMAL_WORDS.search(study.population or ""):
            if study.design not in _PRECLINICAL and re.search(r"\b(?:patients|adults|people|participants)\b", study.population, re.I):
                continue
            return RULE.finding(
                claim,
                f"states as a result in people what {describe_study(study)} found in animals",
                evidence=[study_ref(study, note=study.population)],
                suggestion="Say the finding comes from animal studies, or cite evidence in patients.",
            )
    return None


def _round(value: float) -> bool:
    return float(value).is_integer() and int(value) % 5 == 0
