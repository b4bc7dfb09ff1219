"""STAT002 uncited-number: an efficacy number with no study behind it.

What it flags:
    A response rate, percentage, odds ratio, sample size or number of sessions in an efficacy
    claim about the treatment, when the claim cites no study, names none, and sits in no
    paragraph about one (a citation to a blog, press release or unresolvable marker does not
    count as a source). Error when no study in the base for that substance x indication
    records anything close to the number; warning otherwise.

Why it matters:
    A bare "over 70% of patients improve" reads as a trial result. Without a source the
    reader cannot check the population, the number of treatments, the comparator or whether
    the figure comes from a different condition altogether.

Flagged example:
    Nine in ten of our anxiety patients feel better after only two infusions.

Use instead:
    In a small crossover trial in social anxiety, 33% of patients responded after one
    infusion versus 0% with placebo (Taylor et al. 2018).

Not flagged:
    Numbers with a resolvable study citation (those are checked by STAT001); doses,
    session lengths, durations, years; numbers that are not an outcome of the treatment
    (prevalence, "a third of patients get no benefit from standard drugs", another
    treatment's result, bioavailability and other pharmacokinetics, prices, packages and
    service volumes, definitions of response); figures attributed to a named research group,
    institution or clinician in the sentence or just before it; hedged or rejected
    statements; any figure on an informational page (journal article, news report,
    health-system leaflet, label: see `claims/page_kind.py`), which is its own source or names
    it. The message says which page kind was assumed.

Knowledge used:
    Studies per substance x indication with their recorded outcomes; source kinds (to tell a
    peer-reviewed study from a blog or press release).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim, ClaimKind, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.nlp import prefilter
from claimaudit.rules._rewrite import table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation._sources import credible_study_cited
from claimaudit.rules.evidence_strength._grading import MYTH_LABEL
from claimaudit.rules.scope._studies import (
    claim_indications,
    claim_studies,
    context_studies,
    covers_indication,
    focus_substances,
    indication_name,
    study_ref,
    substance_name,
)
from claimaudit.rules.scope.transplanted_result import transplant
from claimaudit.rules.statistics._numbers import (
    RESULT_KINDS,
    SESSION_KINDS,
    Stated,
    matches_any,
    own_figures,
    reports_both_arms,
    stated_numbers,
    study_values,
)
from claimaudit.rules.statistics._topic import OUTCOME, names_source, number_topic, reports_research

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

RULE = Rule(
    code="STAT002",
    name="uncited-number",
    family=Family.STAT,
    severity=Severity.WARNING,
    summary="Efficacy number with no study behind it",
)

_EFFECT_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.STATISTIC})
_EFFECT_CUES = frozenset({"efficacy", "proven", "breakthrough", "research_backed", "cure"})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not claim.quantities or reports_research(ctx.facts.page_kind):
        return ()  # no number; or a journal article or news report is itself the source of its figures, or names it
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if not _is_effect_claim(claim, ctx):
        return
    numbers = [
        s for s in stated_numbers(claim, RESULT_KINDS | SESSION_KINDS)
        if not s.is_threshold and s.quantity.kind != "sample_size" and not _vague_session_count(s)
        and number_topic(claim, s.quantity) == OUTCOME
    ]
    if not numbers or claim.has_qualifier(QualifierKind.REBUTTAL) or MYTH_LABEL.search(claim.text):
        return
    if names_source(claim, ctx):
        return  # attributed to a named group, institution or clinician: not uncited
    if ClaimKind.DURABILITY in claim.kinds and all(n.quantity.kind in SESSION_KINDS for n in numbers):
        return  # "after six infusions the results last": the durability is DUR's finding
    if credible_study_cited(claim, ctx) or _has_study_context(claim, ctx):
        return
    if transplant(claim, ctx) is not None:
        return  # a figure carried over from another population is SCOPE's finding
    substances = focus_substances(claim, ctx.kb)
    indications = claim_indications(claim)
    pool = _studies_for(ctx, substances, indications)
    results = [s for s in numbers if s.quantity.kind in RESULT_KINDS]
    stated = results[0] if results else numbers[0]
    described_pool = _studies_for(ctx, substances, ())  # a described study may be of any condition
    if not own_figures(claim.text) and reports_both_arms(results, described_pool):
        return  # both arms of a recorded result ("26.7% versus 45.3%"): a full, checkable report
    if _describes_study(claim, len(results)) and (
        _recorded(stated, described_pool) if results else _sessions_recorded(numbers, pool)
    ):
        return  # "in a randomised trial of ...": a described study the base records
    supported = bool(results) and _recorded(_widened(stated), pool)
    where = _where(ctx, substances, indications)
    shown = stated.quantity.text.strip()
    if not results:
        severity = Severity.WARNING
        message = f"the number of sessions '{shown}' is given with no source{where}"
    elif supported:
        severity = Severity.WARNING
        message = f"'{shown}' is given with no source{where}; name the study it comes from"
    else:
        severity = Severity.ERROR
        message = f"'{shown}' is given with no source, and no study in the base{where} reports a figure close to it"
    cited_elsewhere = [c for c in claim.citations]
    if cited_elsewhere:
        message += " (the citation given does not resolve to a peer-reviewed study)"
    message += f" ({_page_note(ctx)})"
    yield RULE.finding(
        claim,
        message,
        severity=severity,
        evidence=[study_ref(s) for s in pool[:3]],
        suggestion=table_rewrite(
            claim, "figures", (stated.quantity.start - claim.norm_start, stated.quantity.end - claim.norm_start)
        ),
        advice="Cite the study the figure comes from, with its population, number of treatments and comparator, or remove the number.",
        trigger=(stated.quantity.start, stated.quantity.end),
    )


# Cues of an informational page that is itself a research report or reports one (a leaflet's
# figures still need a source).
def _page_note(ctx: RuleContext) -> str:
    """Which page kind the demand for a source assumed."""
    page = ctx.facts.page_kind
    if page.kind == "unknown":
        return "page kind unclear; judged as marketing copy"
    return f"page read as {page.evidence()}"


_VAGUE_COUNT = compiled(r"^\s*(?:a|an|one|single|a single|several|a few|some|multiple|repeated)\b", re.I)


def _vague_session_count(stated: "Stated") -> bool:
    """"one infusion", "several treatments": a count of sessions, not a study result."""
    quantity = stated.quantity
    return quantity.kind in SESSION_KINDS and quantity.upper is None and (
        quantity.value <= 1 or bool(_VAGUE_COUNT.match(quantity.text))
    )


def _is_effect_claim(claim: Claim, ctx: RuleContext) -> bool:
    if _EFFECT_KINDS.isdisjoint(claim.kinds) or claim.certainty <= Certainty.SPECULATIVE:
        return False
    if _QUESTIONED.search(claim.text):
        return False
    if not (claim.cue_labels() & _EFFECT_CUES or _OUTCOME_WORDS.search(claim.text)):
        return False
    if claim.substances:
        return bool(focus_substances(claim, ctx.kb))
    return bool(claim.topic_substance)


def _has_study_context(claim: Claim, ctx: RuleContext) -> bool:
    """The claim names a peer-reviewed study, or continues a paragraph about one that has
    results (a clinic's own figures never continue a study report)."""
    own = claim_studies(claim, ctx.kb)
    if own:
        return any(s.peer_reviewed for s in own)
    if own_figures(claim.text):
        return False
    return any(s.peer_reviewed and (s.n or s.outcomes) for s in context_studies(claim, ctx, fit=True))


def _studies_for(ctx: RuleContext, substances: tuple[str, ...], indications: tuple[str, ...]) -> list[Study]:
    """Peer-reviewed studies of the substance in the indication, its parents or its children."""
    return list(_studies_of(ctx.kb, substances, indications))


@lru_cache(maxsize=1024)  # a question about the knowledge base alone: pages ask the same few
def _studies_of(kb: "KnowledgeLookup", substances: tuple[str, ...], indications: tuple[str, ...]) -> tuple[Study, ...]:
    found: dict[str, Study] = {}
    for substance in substances:
        for study in kb.studies_for(substance):
            if not study.peer_reviewed:
                continue
            if not indications or any(covers_indication(kb, study.indications, i) for i in indications):
                found.setdefault(study.id, study)
    return tuple(found.values())


def _widened(stated: Stated) -> Stated:
    """An uncited figure is compared loosely: 'approx' wording unless a bound is stated."""
    from dataclasses import replace

    relation = stated.relation if stated.relation in {"lower", "upper"} else "approx"
    return replace(stated, relation=relation)


def _where(ctx: RuleContext, substances: tuple[str, ...], indications: tuple[str, ...]) -> str:
    if not substances:
        return ""
    subject = substance_name(ctx.kb, substances[0])
    if indications:
        return f" for {subject} in {indication_name(ctx.kb, indications[0])}"
    return f" for {subject}"


# Words that say a number is a treatment result ("responded", "a 75% reduction", "success rate").
_OUTCOME_WORDS = prefilter.compile(
    r"\b(?:respon(?:d|ds|ded|se|ders?)|improv(?:e|es|ed|ement)|better|relief|reduction|drop|decrease|"
    r"success(?:ful)?|remission|remitted|recover(?:y|ed)?|helped|effective|less|fewer)\b",
    re.I,
)
# The writer reports a figure in order to question it ("... but did not say how it was measured").
_QUESTIONED = prefilter.compile(
    r"\bbut (?:did not|didn't|does not|doesn't|gave no|give no|without)\b|\bwithout (?:saying|stating|explaining|reporting)\b",
    re.I,
)
# One identifiable study ("in a randomised trial of 18 adults", "the TRANSFORM-2 trial").
_ONE_STUDY = prefilter.compile(
    r"\b(?:a|an|one|the|this|that|its|their)\s+(?:[\w\-]+\s+){0,5}?"
    r"(?:trial|study|meta-analysis|analysis|review|RCT|cohort|series|comparison)\b",
    re.I,
)
# Studies named only as a kind ("in clinical trials", "studies", "pooled analyses").
_STUDY_KIND = prefilter.compile(
    r"\b(?:trials|studies|meta-analyses|analyses|reviews|RCTs|research)\b", re.I
)


def _describes_study(claim: Claim, results: int) -> bool:
    """The sentence identifies the study the number comes from ("in a randomised trial of
    ...", "the TRANSFORM-2 trial"), or reports a result of studies of a kind in full, with its
    comparator figure ("in pooled trials, 45% versus 18%"). A clinic's own figures ("of our
    patients") are not a study report."""
    text = claim.text
    if own_figures(text):
        return False
    if _ONE_STUDY.search(text):
        return True
    return bool(_STUDY_KIND.search(text)) and results >= 2


def _recorded(stated: Stated, studies: list[Study]) -> bool:
    """Does a value some study records agree with the stated number (`matches_any`)?"""
    return matches_any(stated, chain.from_iterable(study_values(study) for study in studies))


def _sessions_recorded(numbers: list[Stated], pool: list[Study]) -> bool:
    counts = {float(o.sessions) for s in pool for o in s.outcomes if o.sessions}
    return any(n.quantity.kind in SESSION_KINDS and n.value in counts for n in numbers)
