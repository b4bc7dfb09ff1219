"""EVI001 overstated-efficacy: an efficacy claim more certain than the evidence grade.

What it flags:
    An efficacy claim whose certainty ("has been shown", "proven", "highly effective",
    "breakthrough", or a plain unhedged "works") is above the highest level the knowledge
    base's evidence grade supports for a substance x indication in the claim. With several
    indications ("for TRD, PTSD and OCD") each is judged and the weakest is reported.
    Total outcomes ("ends depression", "in 100% of patients") are absolute (level 5). A
    comparison with other treatments ("better than ECT") is judged against head-to-head
    studies: contradicted when one favoured the comparator, insufficient when none exists.

Why it matters:
    Readers take "shown to work" as settled science. Where the evidence is small, open-label
    or mixed, that wording promises patients a benefit the trials have not demonstrated.

Flagged example:
    Ketamine has been proven to relieve social anxiety.

Use instead:
    Small early studies suggest ketamine may reduce social anxiety in some people
    (one crossover trial of 18 adults).

Not flagged:
    Hedged wording at or below the supported level ("early studies suggest ketamine may
    help"); rejected claims ("there is no evidence that..."); indications the base does not
    grade; claims about established uses stated at level 4 or below; trial results against
    placebo ("outperformed placebo") and negated comparisons ("no better than").

Knowledge used:
    Evidence assessments (grade, studies, supported wording) per substance x indication,
    with the indication and substance hierarchy (trd -> mdd, esketamine -> ketamine).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, Claim, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import looks_like_heading
from claimaudit.rules._rewrite import join_and, sentence_or_none, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation._sources import credible_study_cited
from claimaudit.rules.scope._studies import indication_name, study_ref
from claimaudit.rules.statistics._numbers import RESULT_KINDS, SESSION_KINDS, stated_numbers
from claimaudit.rules.evidence_strength._grading import (
    MYTH_LABEL,
    asserted_level,
    superiority,
    assessment_evidence,
    asserts_efficacy,
    grade_phrase,
    is_efficacy_claim,
    judgements,
    level_phrase,
    lowest_supported,
    may_exceed_boosted,
    scoped_to_page,
    severity_for,
    study_summary,
    Judgement,
    supported_rewrite,
    weakest,
)

RULE = Rule(
    code="EVI001",
    name="overstated-efficacy",
    family=Family.EVI,
    severity=Severity.WARNING,
    summary="Efficacy stated more strongly than the evidence grade supports",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    claim = scoped_to_page(claim, ctx.facts.indications)
    # first the test that rules out most claims (its look-ups are shared with other rules): no
    # judgement, or none above the evidence (every grade supports "boosted" and nothing in the
    # claim can go beyond it)
    lowest = lowest_supported(claim, ctx.kb) if is_efficacy_claim(claim, ctx.kb) else None
    if lowest is None or (lowest >= Certainty.BOOSTED and not may_exceed_boosted(claim, ctx.kb)):
        return ()  # (most claims: no generator made for them)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if claim.has_qualifier(QualifierKind.REBUTTAL) or MYTH_LABEL.search(claim.text) or not asserts_efficacy(claim, ctx.kb):
        return
    if credible_study_cited(claim, ctx):
        return  # a cited study's report: STAT and SCOPE check it against the study
    if claim.citations and not (superiority(claim.text, ctx.kb) or asserted_level(claim) >= Certainty.ABSOLUTE):
        return  # a cited claim is judged on its source (CITE) unless no source could carry it
    if stated_numbers(claim, RESULT_KINDS | SESSION_KINDS) and asserted_level(claim) < Certainty.ABSOLUTE:
        return  # a number: STAT judges it (unless the number itself is absolute, "100%")
    found = judgements(claim, ctx.kb)
    worst = weakest(found)
    if worst is None:
        return
    studies = study_summary(ctx.kb, worst.assessment)
    basis = f": {studies}" if studies else ""
    if worst.assessment.summary and not studies:
        basis = f": {worst.assessment.summary}"
    others = [j for j in found if j.gap > 0 and j is not worst]
    also = ""
    if others:
        names = join_and(sorted({indication_name(ctx.kb, j.indication) for j in others}))
        also = f" (also above the evidence for {names})"
    message = f"{level_phrase(claim, worst.level)} where {grade_phrase(ctx.kb, worst)}{basis}{also}"
    evidence = assessment_evidence(ctx.kb, worst.assessment)
    wording = " ".join(supported_rewrite(ctx.kb, worst).split())
    advice = "Say no more than the evidence supports: hedge the claim and name the studies behind it."
    suggestion = _rewrite(claim, worst, wording)
    if worst.comparison:
        message = f"{level_phrase(claim, worst.level)} in a comparison ('{worst.comparison}'), but {worst.comparison_basis}{also}"
        if worst.comparison_study is not None:
            evidence = [study_ref(worst.comparison_study, note=worst.comparison_study.conclusion), *evidence]
        advice = "Drop the comparison or state what head-to-head trials found."
    yield RULE.finding(
        claim,
        message,
        severity=severity_for(worst),
        evidence=evidence,
        suggestion=suggestion,
        advice=advice,
        note=(wording if suggestion != wording else worst.assessment.summary) or None,
    )


def _rewrite(claim: Claim, judgement: "Judgement", wording: str) -> str | None:
    """The sentence with its boosters brought down to hedged wording when the evidence
    supports that much, else the knowledge base's wording at the supported level."""
    if judgement.supported >= Certainty.HEDGED and not looks_like_heading(claim):
        hedged = table_rewrite(claim, "efficacy")
        if hedged:
            return hedged
    return sentence_or_none(wording)
