"""STAT001 number-mismatch: a number that the study it cites or names does not report.

What it flags:
    A percentage, response rate, sample size, odds ratio or confidence limit in a claim that
    cites or names a study (or sits in a paragraph about one) when the knowledge base's record
    of that study holds no value close to it (within 1.5 points for a plainly stated
    percentage, 5 points for "about"/"over"; the exact N for a plainly stated sample size).

Why it matters:
    A wrong N or response rate attributed to a real paper borrows the paper's authority for a
    number it never reported; readers and reviewers cannot tell the difference.

Flagged example:
    The replication study enrolled 40 patients (N=40) and 95% responded (Smith et al., 2019).

Use instead:
    The replication study enrolled 12 patients (Smith et al., 2019); state the response rate
    and definition the paper reports.

Not flagged:
    Numbers the study record contains (outcome values, placebo rates, CIs, subgroup sizes,
    numbers in its population description), and the relative change a hazard or risk ratio
    stands for ("cut the risk of relapse by 51%" for HR 0.49); doses, durations and years; counts of studies
    in a review ("pooled 6 trials"); studies the base records no numbers for.

Knowledge used:
    Study records: n, outcomes (value, comparator value, CI, sessions, definitions), population
    and descriptive fields; citation markers resolved to studies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.rules._rewrite import replace_range, sentence_or_none, value_with_unit
from claimaudit.rules.base import Rule, RuleContext, per_record
from claimaudit.rules.scope._studies import (
    SECONDARY_DESIGNS,
    claim_indications,
    claim_studies,
    context_studies,
    covers_indication,
    describe_study,
    focus_substances,
    study_ref,
)
from claimaudit.rules.statistics._numbers import (
    Stated,
    format_value,
    matches_any,
    numbers_in,
    own_figures,
    risk_changes,
    speaks_of_risk,
    stated_numbers,
    study_values,
)

RULE = Rule(
    code="STAT001",
    name="number-mismatch",
    family=Family.STAT,
    severity=Severity.WARNING,
    summary="Number not reported by the study it cites or names",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not claim.quantities or claim.has_qualifier(QualifierKind.REBUTTAL):
        return ()  # no number, or a number quoted in order to reject it
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if not stated_numbers(claim):
        return  # no result number to check (the studies below would not be asked)
    own = claim_studies(claim, ctx.kb)
    if not own and own_figures(claim.text):
        return  # a clinic's own figures do not continue a study report
    studies = [s for s in (own or context_studies(claim, ctx, fit=True)) if s.peer_reviewed and _has_data(s)]
    if not studies:
        return
    for stated in stated_numbers(claim):
        if stated.is_threshold or _reported(stated, studies, claim):
            continue
        if _miscited(claim, ctx) and _reported_elsewhere(stated, claim, ctx):
            return  # the number is right but the citation names the wrong study (CITE005)
        if stated.quantity.kind == "sample_size" and not any(s.n and s.design not in SECONDARY_DESIGNS for s in studies):
            continue  # pooled participant counts of reviews, or no recorded N
        yield _finding(claim, stated, studies, named=bool(own))
        return


def _miscited(claim: Claim, ctx: RuleContext) -> bool:
    """A citation whose author or year does not match the study it resolves to."""
    for marker in claim.citations:
        if marker.author_matches is False or marker.year_matches is False:
            return True
        study = ctx.kb.study(marker.study_id) if marker.study_id else None
        if study is not None and marker.year is not None and marker.year != study.year:
            return True
    return False


def _reported_elsewhere(stated: Stated, claim: Claim, ctx: RuleContext) -> bool:
    """Another peer-reviewed study of the claim's substance and condition reports the number."""
    wanted = claim_indications(claim)
    substances = focus_substances(claim, ctx.kb) or ((claim.topic_substance,) if claim.topic_substance else ())
    for substance in substances:
        for study in ctx.kb.studies_for(substance):
            if not study.peer_reviewed or (wanted and not any(covers_indication(ctx.kb, study.indications, i) for i in wanted)):
                continue
            if _reported(stated, [study], claim):
                return True
    return False


def _reported(stated: Stated, studies: list[Study], claim: Claim) -> bool:
    if stated.quantity.kind == "sample_size":
        return any(matches_any(stated, _sizes(s)) for s in studies)
    risk = speaks_of_risk(claim.text)  # "cut the risk of relapse by 51%" for a hazard ratio of 0.49
    return any(matches_any(stated, study_values(s)) or (risk and matches_any(stated, risk_changes(s))) for s in studies)


@per_record
def _sizes(study: Study) -> list[float]:
    """N and the subgroup sizes the record mentions (once per study)."""
    values = [float(study.n)] if study.n else []
    texts = [study.population] + [o.population for o in study.outcomes] + [o.note for o in study.outcomes]
    for text in texts:
        values += numbers_in(text or "")
    return values


def _has_data(study: Study) -> bool:
    return bool(study.n or study.outcomes)


def _finding(claim: Claim, stated: Stated, studies: list[Study], *, named: bool) -> Finding:
    shown = stated.quantity.text.strip()
    labels = ", ".join(describe_study(s) for s in studies[:3])
    if stated.quantity.kind == "sample_size":
        sizes = ", ".join(f"n={s.n}" for s in studies if s.n)
        message = f"states a sample of '{shown}' but {labels} enrolled {sizes or 'a different number'}"
        severity = Severity.ERROR if stated.relation == "exact" and named else Severity.WARNING
        advice = f"Use the study's sample size ({sizes})." if sizes else None
        single = [s.n for s in studies if s.n]
        suggestion = _with_number(claim, stated, single[0]) if len(set(single)) == 1 else None
    else:
        reported = _reported_summary(studies)
        message = f"'{shown}' is not among the results recorded for {labels}"
        if reported:
            message += f" (records {reported})"
        severity = Severity.WARNING if named else Severity.INFO
        advice = "Quote the figure the study reports, with its outcome definition and comparator."
        suggestion = None
    return RULE.finding(
        claim,
        message,
        severity=severity,
        evidence=[study_ref(s) for s in studies[:3]],
        suggestion=suggestion,
        advice=advice,
        trigger=(stated.quantity.start, stated.quantity.end),
    )


def _reported_summary(studies: list[Study], limit: int = 4) -> str:
    parts = []
    for study in studies:
        for outcome in study.outcomes:
            value = value_with_unit(format_value(outcome.value), outcome.unit)
            if outcome.comparator_value is not None:
                value += f" vs {value_with_unit(format_value(outcome.comparator_value), outcome.unit)}"
            label = outcome.definition or outcome.measure
            parts.append(f"{label}: {value}" if label else value)
            if len(parts) >= limit:
                return "; ".join(parts)
    return "; ".join(parts)


_NUMBER_OR_WORD = compiled(
    r"\d+(?:[.,]\d+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred)\b",
    re.I,
)


def _with_number(claim: Claim, stated: Stated, value: float) -> str | None:
    """The sentence with the stated number replaced by the study's."""
    quantity = stated.quantity
    new = _NUMBER_OR_WORD.sub(f"{value:g}", quantity.text, count=1)
    if new == quantity.text:
        return None
    return sentence_or_none(replace_range(claim, quantity.start, quantity.end, new))
