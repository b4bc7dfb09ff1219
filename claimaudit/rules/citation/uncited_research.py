"""CITE001 uncited-research: a claim that presents itself as research-backed but cites nothing.

What it flags:
    An unhedged efficacy claim worded as a research finding ("has been shown to", "studies
    show", "research has demonstrated", "clinical trials have shown") with no citation and no
    named study. Warning when the claim is also stronger than the evidence grade; info when
    the claim itself is fair and only the source is missing.

Why it matters:
    "Studies show" invites trust in research the reader cannot find. Naming the study lets
    the reader see its size, design and population.

Flagged example:
    Research has shown that ketamine eases panic attacks.

Use instead:
    One small open-label study suggests ketamine may ease panic symptoms (Author 2020).

Not flagged:
    Hedged claims ("studies suggest ketamine may help"); claims with a citation or a named
    study; well-established facts the base grades as established (stated at level 4 or
    below); numbers without a source (STAT002 reports those).

Knowledge used:
    Evidence assessments per substance x indication (to tell a fair claim from an overstated
    one and to skip established facts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim, ClaimKind, QualifierKind
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Grade
from claimaudit.nlp import prefilter
from claimaudit.rules._rewrite import table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.citation.phantom_authority import appeals_to_unnamed_experts
from claimaudit.rules.evidence_strength._grading import (
    EFFICACY_WORDS,
    MECHANISM_ROUTE,
    STUDY_REPORT,
    asserted_level,
    assessment_evidence,
    attributed_as_shown,
    evidence_strength_level,
    judgements,
    proof_fragment,
    scoped_to_page,
    weakest,
)
from claimaudit.rules.scope._studies import claim_studies
from claimaudit.rules.statistics._numbers import RESULT_KINDS, SESSION_KINDS, stated_numbers

RULE = Rule(
    code="CITE001",
    name="uncited-research",
    family=Family.CITE,
    severity=Severity.WARNING,
    summary="Research-backed claim with no citation",
)

_CLAIM_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.DURABILITY, ClaimKind.ONSET, ClaimKind.SCOPE})


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    claim = scoped_to_page(claim, ctx.facts.indications)
    if not _presents_as_research(claim):
        return ()  # (most claims: no generator made for them)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if _plain_mechanism(claim, ctx):
        return
    if claim.citations or claim_studies(claim, ctx.kb):
        return
    if appeals_to_unnamed_experts(claim.text) and not _research_cue(claim):
        return  # an appeal to unnamed experts is CITE006's finding
    if stated_numbers(claim, RESULT_KINDS | SESSION_KINDS):
        return  # an uncited number is STAT's finding
    found = judgements(claim, ctx.kb)
    worst = weakest(found)
    if found and worst is None and all(j.assessment.grade is Grade.ESTABLISHED for j in found) and not _timing(claim):
        return  # a well-established fact (the grade says nothing about how fast or how long)
    if claim.has_qualifier(QualifierKind.HEDGE) and (worst is None or not claim.indications):
        return  # a hedged finding the evidence carries, or one about no condition of its own
    research = _research_words(claim)
    if worst is not None:
        message = (
            f"presents the claim as research-backed ({research}) but cites no study, "
            f"and the evidence for {_indication_name(ctx, worst.indication)} is only {worst.assessment.grade.value}"
        )
        severity = Severity.WARNING
        evidence = assessment_evidence(ctx.kb, worst.assessment)
    else:
        message = f"presents the claim as research-backed ({research}) but cites no study"
        severity = Severity.INFO
        evidence = assessment_evidence(ctx.kb, found[0].assessment) if found else []
    yield RULE.finding(
        claim,
        message,
        severity=severity,
        evidence=evidence,
        suggestion=table_rewrite(claim, "efficacy"),
        advice="Name the study or review behind the statement (author, year, design, size), or drop the appeal to research.",
    )


def _plain_mechanism(claim: Claim, ctx: RuleContext) -> bool:
    """How the drug works, reported as a finding ("has been shown to inhibit the default mode
    network"), with no efficacy in it and no unproven mechanism of the base behind it: the
    citation duty covers research-framed efficacy, and overstated mechanisms."""
    if ClaimKind.MECHANISM not in claim.kinds:
        return False
    if EFFICACY_WORDS.search(claim.text) and not MECHANISM_ROUTE.search(claim.text):
        return False
    return not any(m.status.supported_level < Certainty.BOOSTED for m in ctx.kb.mechanisms_matching(claim.text))


def _presents_as_research(claim: Claim) -> bool:
    # (the tests that rule the claim out are independent: the structural ones come first)
    if _CLAIM_KINDS.isdisjoint(claim.kinds) or claim.has_qualifier(QualifierKind.HYPOTHETICAL):
        return False
    # (research framing before the asserted level: most claims have none, and the level, which
    # no later rule asks for, is the costlier test)
    research_framed = (
        "research_backed" in claim.cue_labels()
        or claim.has_qualifier(QualifierKind.ATTRIBUTION)
        or any(not _SAFETY_AFTER.match(claim.text, m.end()) for m in _research_wording(claim.text))
        or evidence_strength_level(claim.text) > 0
        or proof_fragment(claim)
    )
    if not research_framed or asserted_level(claim) < Certainty.BOOSTED:
        return False
    if claim.has_qualifier(QualifierKind.HEDGE) and not attributed_as_shown(claim):
        return False
    return not STUDY_REPORT.search(claim.text)  # "one study found ...": a report of a particular study


# "has been proven safe": a safety claim (SAFE judges it), not a research-backed efficacy claim.
_SAFETY_AFTER = compiled(r"\s+(?:to\s+be\s+)?(?:safe|safer|harmless|non-addictive)\b", re.I)


# Wording that reports research results: "has been proven", "shown in trials".
_RESEARCH_WORDING = prefilter.compile(
    r"\b(?:has|have)\s+been\s+(?:clinically\s+|scientifically\s+)?(?:proven|shown|demonstrated|confirmed)\b"
    r"|\b(?:proven|shown|demonstrated)\b[^.;]{0,40}?\b(?:in|by)\s+(?:\w+\s+){0,3}(?:trials|studies|research)\b"
    r"|\b(?:science|neuroscience|scientists|researchers|research|medicine)\s+(?:has|have)\s+(?:now\s+|finally\s+)?"
    r"(?:proven|shown|demonstrated|confirmed|established)\b",
    re.I,
)


# The verbs one of which every match of _RESEARCH_WORDING holds (its prefilter's needles are
# common words: "research", "studies", "medicine").
_RESEARCH_VERBS = ("shown", "proven", "demonstrated", "confirmed", "established")
_RESEARCH_VERB = compiled("|".join(_RESEARCH_VERBS))  # one search of the folded text for any of them


def _research_wording(text: str) -> Iterator[re.Match[str]]:
    """`_RESEARCH_WORDING.finditer(text)`, not tried where no research verb is written."""
    if _RESEARCH_VERB.search(prefilter.folded(text)) is None:
        return iter(())
    return _RESEARCH_WORDING.finditer(text)


def _research_cue(claim: Claim) -> bool:
    """Research wording of its own ("studies show", "has been proven"), beyond an attribution."""
    return "research_backed" in claim.cue_labels() or next(_research_wording(claim.text), None) is not None


def _timing(claim: Claim) -> bool:
    """The claim says how long the effect lasts ("benefits last for a year"): the grade
    establishes that a treatment works, not for how long."""
    return ClaimKind.DURABILITY in claim.kinds or "durability" in claim.cue_labels()


def _research_words(claim: Claim) -> str:
    words = [c.text for c in claim.cues if c.entity_id == "research_backed"]
    words += [q.text for q in claim.qualifiers if q.kind is QualifierKind.ATTRIBUTION]
    words += [m.group(0) for m in _research_wording(claim.text)]
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    return ", ".join(f"'{w}'" for w in unique[:2]) or "attributed to research"


def _indication_name(ctx: RuleContext, indication: str) -> str:
    record = ctx.kb.indication(indication)
    return record.name if record is not None else indication
