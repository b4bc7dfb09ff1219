"""CITE004 off-topic-source: the cited study does not cover what the claim says.

What it flags:
    A claim citing (or leaning on) a study from the knowledge base whose subject does not
    cover the claim: a different substance (a study of other NMDA antagonists cited for a
    statement about ketamine), a different condition (a depression meta-analysis cited for
    anxiety treatments), or a different question (an efficacy review cited for side
    effects). Warning when nothing matches; info when the study covers only part of the
    claim's conditions.

Why it matters:
    A real citation that does not say what the sentence says is harder to spot than no
    citation at all; readers assume the source backs the claim.

Flagged example:
    SSRIs cause weight gain and insomnia in anxious patients (Brown et al., 2015).
    (where Brown 2015 is a trial of psychotherapy for depression)

Use instead:
    Cite a source that studied that substance, condition and outcome.

Not flagged:
    Studies whose substances, conditions or topics include the claim's (a study of GAD
    covers a claim about anxiety disorders, and the reverse); studies the base records
    without substances or conditions; citations that do not resolve (CITE002).

Knowledge used:
    Study records: substances, indications, topics, design; the indication and substance
    hierarchy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Certainty, CitationMarker, Claim, ClaimKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.rules._rewrite import replace_ranges, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.statistics._numbers import stated_numbers
from claimaudit.rules.scope._studies import (
    SECONDARY_DESIGNS,
    cited_studies,
    covers_indication,
    covers_substance,
    indication_name,
    may_name_studies,
    studies_named_in_text,
    study_ref,
    substance_name,
)

RULE = Rule(
    code="CITE004",
    name="off-topic-source",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Cited source does not cover the claim's topic",
)

_TOPIC_FALLBACK_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.SAFETY, ClaimKind.STATISTIC})
_SAFETY_TOPICS = frozenset({"safety", "adverse_effects", "side_effects", "tolerability", "harms"})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or not may_name_studies(claim):
        return ()  # (most claims: no marker and no year, so no study to check)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    studies = list(cited_studies(claim, ctx.kb))
    studies += [s for s, _ in studies_named_in_text(claim.text, ctx.kb) if s not in studies]
    for study in studies:
        problem, partial = _mismatch(claim, study, ctx)
        if problem:
            yield RULE.finding(
                claim,
                f"{study.short_label} is cited here, but {problem}",
                severity=Severity.INFO if partial else Severity.WARNING,
                evidence=[study_ref(study, note=study.conclusion or study.title)],
                suggestion=_without_citation(claim, study),
                advice="Cite a source that studied this substance, condition and outcome.",
                trigger=_marker_range(claim, study),
            )
            return


def _mismatch(claim: Claim, study: Study, ctx: RuleContext) -> tuple[str, bool]:
    """A plain-words reason the study does not cover the claim ('' if it does), and whether
    the mismatch is only partial."""
    kb = ctx.kb
    what = _study_subject(study, ctx)
    named = [s for s in claim.substances if (kb.substance(s) is None or kb.substance(s).focus)]  # type: ignore[union-attr]
    if named and (study.substances or study.design not in SECONDARY_DESIGNS):
        # a primary study records what it tested; none of the base's substances means none
        uncovered = [s for s in named if not covers_substance(kb, study.substances, s)]
        if len(uncovered) == len(named):
            names = ", ".join(substance_name(kb, s) for s in uncovered)
            return f"it studied {what}, not {names}", False
    indications = list(claim.indications)
    if (
        not indications
        and set(claim.kinds) & _TOPIC_FALLBACK_KINDS
        and ClaimKind.MECHANISM not in claim.kinds
        and "mechanism" not in study.topics
        and not stated_numbers(claim)
        and claim.topic_indication
    ):
        indications = [claim.topic_indication]
    if study.indications and indications:
        uncovered_ind = [i for i in indications if not covers_indication(kb, study.indications, i)]
        if len(uncovered_ind) == len(indications):
            names = ", ".join(indication_name(kb, i) for i in uncovered_ind)
            return f"it studied {what}, not {names}", False
    if ClaimKind.SAFETY in claim.kinds and ClaimKind.EFFICACY not in claim.kinds and study.topics:
        if not set(study.topics) & _SAFETY_TOPICS:
            return f"it studied {what} and does not report on side effects", False
    return "", False


def _study_subject(study: Study, ctx: RuleContext) -> str:
    parts = []
    if study.substances:
        parts.append("/".join(substance_name(ctx.kb, s) for s in study.substances[:3]))
    if study.indications:
        parts.append("in " + "/".join(indication_name(ctx.kb, i) for i in study.indications[:3]))
    design = study.design.replace("_", " ")
    subject = " ".join(parts) or (study.population or "another question")
    return f"{subject} ({design})" if design else subject


def _markers_of(claim: Claim, study: Study) -> list[CitationMarker]:
    return [m for m in claim.citations if m.study_id == study.id]


def _marker_range(claim: Claim, study: Study) -> tuple[int, int] | None:
    markers = _markers_of(claim, study)
    return (markers[0].start, markers[0].end) if markers else None


def _without_citation(claim: Claim, study: Study) -> str | None:
    """The sentence without the off-topic citation (cite a fitting source in its place)."""
    markers = _markers_of(claim, study)
    if not markers:
        return None
    return sentence_or_none(replace_ranges(claim, [(m.start, m.end, "") for m in markers]))
