"""CITE007 source-misrepresented: a review, meta-analysis or guideline said to show what it did not.

What it flags:
    A claim that cites or names a review, meta-analysis, guideline or consensus statement and
    reports it as saying something its knowledge-base record contradicts: a line of treatment
    the guideline does not give ("recommends it first-line" where it is placed third-line); a
    benefit for a condition whose pooled result in that source was not significant; or
    confirmation, proof or lasting benefit where the source's own conclusion is hedged or
    reports non-significance.

Why it matters:
    Naming an authoritative source lends the claim that source's weight. If the source said
    the opposite, or only "may", the reader is misled by the citation itself.

Flagged example:
    The 2019 pooled analysis confirmed that the treatment works for panic disorder [2].
    (when that analysis found no significant effect in panic disorder)

Use instead:
    A 2019 pooled analysis found a benefit in social anxiety, but not in panic disorder [2].

Not flagged:
    Claims that report the source in its own terms ("suggests", "may", "was not
    significant"); primary studies (STAT and SCOPE judge their numbers and designs); sources
    whose record gives no line of treatment, significance or conclusion to compare.

Knowledge used:
    Study records of reviews, meta-analyses and guidelines: conclusion, outcomes with
    p-values and confidence intervals per indication.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Outcome, Study
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import is_rebutted, negated_before
from claimaudit.rules._rewrite import replace_range, sentence_or_none, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import (
    SECONDARY_DESIGNS,
    claim_studies,
    indication_name,
    study_ref,
)

RULE = Rule(
    code="CITE007",
    name="source-misrepresented",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Review, meta-analysis or guideline reported as saying what it did not",
)

_LINE = prefilter.compile(r"\b(first|second|third|fourth)[\s-]+line\b", re.I)
# Wording that reports a source as settling the question or a benefit as lasting.
_SETTLED = prefilter.compile(
    r"\b(?:confirm(?:s|ed)?|prove[sdn]?|proof|establish(?:es|ed)|conclusive(?:ly)?|definitive(?:ly)?|"
    r"overwhelming|landmark|long[\s-]lasting|lasting|permanent(?:ly)?|dramatic(?:ally)?)\b",
    re.I,
)
# A conclusion that hedges or reports a null result.
_HEDGED_CONCLUSION = prefilter.compile(
    r"\b(?:may|might|can, in specific circumstances|in specific circumstances|proof[\s-]of[\s-]concept|"
    r"initial evidence|preliminary|there are indications|insufficient|non-?significan\w*|not significant|"
    r"no meaningful|needed|uncertain)\b",
    re.I,
)
_BENEFIT = prefilter.compile(
    r"\b(?:eas(?:e|es|ed)|improv\w*|reduc\w*|reliev\w*|help(?:s|ed)?|benefit\w*|work(?:s|ed)?|"
    r"effective|respon\w*|confirm\w*|found)\b",
    re.I,
)
_RATIO_MEASURES = ("odds_ratio", "risk_ratio", "hazard_ratio")


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or is_rebutted(claim) or claim.has_qualifier(QualifierKind.NEGATION):
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    for study in claim_studies(claim, ctx.kb):
        if study.design not in SECONDARY_DESIGNS:
            continue
        reason = (
            _line_conflict(claim, study)
            or _null_subgroup(claim, study, ctx)
            or _hedged_source(claim, study)
        )
        if reason:
            message, note = reason
            yield RULE.finding(
                claim,
                message,
                severity=Severity.WARNING,
                evidence=[study_ref(study, note=note)],
                suggestion=_rewrite(claim, study),
                advice=f"Report {study.short_label} in its own terms.",
                note=study.conclusion.strip() or None,
            )
            return


def _line_conflict(claim: Claim, study: Study) -> tuple[str, str] | None:
    """"recommends it first-line" where the guideline places it another line."""
    claimed = _LINE.search(claim.text)
    if claimed is None or negated_before(claim.text, claimed.start()):
        return None
    stated = {m.lower() for m in _LINE.findall(study.conclusion)}
    if not stated or claimed.group(1).lower() in stated:
        return None
    lines = " and ".join(sorted(f"{s}-line" for s in stated))
    return (
        f"says {study.short_label} gives it as '{claimed.group(0)}', but the guideline places it "
        f"{lines}: {study.conclusion.strip()}",
        study.conclusion.strip(),
    )


def _null_subgroup(claim: Claim, study: Study, ctx: RuleContext) -> tuple[str, str] | None:
    """A benefit claimed for a condition whose pooled result in this source was not significant."""
    if not _BENEFIT.search(claim.text) or claim.has_qualifier(QualifierKind.HEDGE):
        return None
    for indication in claim.indications:
        results = [o for o in study.outcomes if o.indication == indication]
        if results and not any(_significant(o) for o in results):
            shown = results[0]
            detail = f"{shown.measure.replace('_', ' ')} {shown.value:g}"
            if shown.ci_low is not None and shown.ci_high is not None:
                detail += f" (95% CI {shown.ci_low:g}-{shown.ci_high:g})"
            if shown.p_value is not None:
                detail += f", p={shown.p_value:g}"
            name = indication_name(ctx.kb, indication)
            return (
                f"reports a benefit in {name} from {study.short_label}, but its result for {name} "
                f"was not significant: {detail}",
                f"{name}: {detail}",
            )
    return None


def _hedged_source(claim: Claim, study: Study) -> tuple[str, str] | None:
    """Confirmation, proof or lasting benefit attributed to a source whose own conclusion hedges."""
    settled = _SETTLED.search(claim.text)
    if settled is None or negated_before(claim.text, settled.start()):
        return None
    if claim.has_qualifier(QualifierKind.HEDGE) and not claim.has_qualifier(QualifierKind.BOOSTER):
        return None
    hedge = _HEDGED_CONCLUSION.search(study.conclusion)
    if hedge is None:
        return None
    return (
        f"presents {study.short_label} as '{settled.group(0)}', but its conclusion is guarded "
        f"('{hedge.group(0)}'): {study.conclusion.strip()}",
        study.conclusion.strip(),
    )


def _significant(outcome: Outcome) -> bool:
    """Significant by p-value, by the definition's own words, or by a CI that excludes no effect."""
    if "not significant" in outcome.definition.lower() or "non-significant" in outcome.definition.lower():
        return False
    if outcome.p_value is not None:
        return outcome.p_value < 0.05
    if outcome.ci_low is not None and outcome.ci_high is not None:
        null = 1.0 if outcome.measure in _RATIO_MEASURES or outcome.unit in {"OR", "RR", "HR"} else 0.0
        return not (outcome.ci_low <= null <= outcome.ci_high)
    return True


_FOUND_THAT = prefilter.compile(r"\b(?:showed|shows|found|finds|demonstrated|proved|confirmed|concluded)\s+that\b", re.I)


def _rewrite(claim: Claim, study: Study) -> str | None:
    """The sentence brought in line with the source: its line of treatment, its null result
    ("did not find that ..."), or its guarded conclusion ("suggested")."""
    claimed = _LINE.search(claim.text)
    stated = [m.lower() for m in _LINE.findall(study.conclusion)]
    if claimed is not None and stated and claimed.group(1).lower() not in stated:
        start = claim.norm_start + claimed.start(1)
        return sentence_or_none(replace_range(claim, start, start + len(claimed.group(1)), stated[0]))
    if _null_subgroup_words(claim):
        found = _FOUND_THAT.search(claim.text)
        if found is not None:
            start = claim.norm_start + found.start()
            return sentence_or_none(replace_range(claim, start, claim.norm_start + found.end(), "did not find that"))
    return table_rewrite(claim, "source_certainty")


def _null_subgroup_words(claim: Claim) -> bool:
    return bool(_BENEFIT.search(claim.text)) and _SETTLED.search(claim.text) is None
