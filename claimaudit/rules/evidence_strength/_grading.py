"""The EVI comparison: the certainty a claim asserts against the grade for each substance x indication.

Shared by EVI001 and CITE001 (which needs to know whether a research-backed claim is overstated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimaudit.claims.model import Certainty, ClaimKind, QualifierKind
from claimaudit.findings.model import EvidenceRef, Severity
from claimaudit.rules.scope._studies import (
    claim_indications,
    focus_substances,
    indication_name,
    substance_name,
)

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.knowledge_base.model import EvidenceAssessment

# Cue labels that assert evidence strength by themselves.
STRONG_CUES = frozenset({"proven", "breakthrough", "research_backed"})
_STRENGTH_KINDS = (QualifierKind.BOOSTER, QualifierKind.ABSOLUTE, QualifierKind.ATTRIBUTION)


@dataclass(frozen=True, slots=True)
class Judgement:
    """One substance x indication pair of a claim, judged against its grade."""

    substance: str
    indication: str
    assessment: "EvidenceAssessment"
    level: int
    supported: int

    @property
    def gap(self) -> int:
        return self.level - self.supported


def is_efficacy_claim(claim: "Claim") -> bool:
    return ClaimKind.EFFICACY in claim.kinds


def asserted_level(claim: "Claim") -> int:
    """The claim's certainty, at most "hedged" when hedging words qualify it ("can help",
    "may", "its potential"); a strong claim reported through a hypothetical authority
    ("the guidelines would acknowledge the strong evidence...") still asserts its strength."""
    level = int(claim.certainty)
    if level == Certainty.SPECULATIVE and "hypothetical_authority" in claim.cue_labels():
        if claim.has_qualifier(QualifierKind.BOOSTER) or claim.cue_labels() & {"proven", "breakthrough"}:
            return int(Certainty.BOOSTED)
    if level > Certainty.HEDGED and (claim.has_qualifier(QualifierKind.HEDGE) or HEDGE_WORDS.search(claim.text)):
        return int(Certainty.HEDGED)
    return level


def asserts_efficacy(claim: "Claim", kb: "KnowledgeLookup") -> bool:
    """Is this a general statement that the treatment works (not a heading, a question, a
    study report, a mechanism or safety statement, or a number for STAT to check)?"""
    text = claim.text.strip()
    sentence = (claim.sentence_text or text).strip()
    if sentence.endswith("?") or (not re.search(r"[.!;:)\]\"”]$", sentence) and len(sentence.split()) <= 12):
        return False
    if claim.citations or claim.studies or STUDY_REPORT.search(text):
        return False
    if not (focus_substances_named(claim, kb) or TREATMENT_SUBJECT.search(text)):
        return False
    if ClaimKind.SAFETY in claim.kinds and not EFFICACY_WORDS.search(text):
        return False
    if ClaimKind.MECHANISM in claim.kinds and (not EFFICACY_WORDS.search(text) or MECHANISM_ROUTE.search(text)):
        return False
    if claim.certainty <= Certainty.ASSERTED and "hypothetical_authority" not in claim.cue_labels():
        return bool(PRESENT_EFFICACY.search(text))
    return True


def focus_substances_named(claim: "Claim", kb: "KnowledgeLookup") -> tuple[str, ...]:
    return tuple(
        s for s in claim.substances if (kb.substance(s) is None or kb.substance(s).focus)  # type: ignore[union-attr]
    )


# A statement labelled as a myth or falsehood in order to reject it ("Myth: ...").
MYTH_LABEL = re.compile(r"^\W*(?:myth|false|fiction|misconception)\s*[:\-\u2013\u2014]", re.I)
# General hedging words that lower a claim to "hedged" (judgement.md, level 2).
HEDGE_WORDS = re.compile(
    r"\b(?:may|might|could|can|possibly|potential(?:ly)?|suggests?|suggested|appears?|promising|"
    r"preliminary|early|emerging|explor(?:e|es|ed|ing)|in some|some patients|some people)\b",
    re.I,
)
# Past-tense reports of a particular study's result ("reduced", "found", "outperformed").
STUDY_REPORT = re.compile(r"\b(?:a|one|this|the) (?:\d{4} )?(?:study|trial|review|meta-analysis)\b", re.I)
MECHANISM_ROUTE = re.compile(r"\bworks? by\b|\bby (?:blocking|inducing|increasing|promoting|boosting)\b", re.I)
TREATMENT_SUBJECT = re.compile(r"^(?:it|this (?:treatment|therapy|medicine|medication))\b", re.I)
EFFICACY_WORDS = re.compile(
    r"\b(?:effective(?:ly)?|efficacy|efficacious|works?(?! by)|treat(?:s|ing)? |relie(?:f|ve|ves|ved)|"
    r"alleviat\w*|cures?|breakthrough|step forward|groundbreaking)\b",
    re.I,
)
# Present-tense claims that the treatment works ("offers relief", "shows efficacy",
# "is effective", "represents a step forward", "benefits are maximised").
PRESENT_EFFICACY = re.compile(
    r"\b(?:shows|offers|provides|delivers|works|treats|relieves|eases|reduces|improves|alleviates|"
    r"heals|cures|represents|transforms|restores|resolves|eliminates|maximi[sz]e[sd]?|optimi[sz]e[sd])\b|"
    r"\b(?:is|are)\s+(?:an?\s+)?(?:\w+\s+)?(?:effective|efficacious|treatment|therapy|solution|cure|"
    r"breakthrough|option)\b|\bmost effective\b",
    re.I,
)


def judgements(claim: "Claim", kb: "KnowledgeLookup") -> list[Judgement]:
    """Every substance x indication pair of an efficacy claim that the base grades."""
    if not is_efficacy_claim(claim):
        return []
    level = asserted_level(claim)
    if level <= Certainty.REJECTED:
        return []
    found: list[Judgement] = []
    for substance in focus_substances(claim, kb):
        for indication in claim_indications(claim):
            if kb.indication(indication) is None:
                continue
            assessment = kb.assessment_for(substance, indication)
            if assessment is None:
                continue
            found.append(
                Judgement(substance, indication, assessment, level, assessment.grade.supported_level)
            )
    return found


def weakest(found: list[Judgement]) -> Judgement | None:
    """The pair with the largest overstatement (ties: first named)."""
    over = [j for j in found if j.gap > 0]
    return max(over, key=lambda j: j.gap) if over else None


def severity_for(judgement: Judgement) -> Severity:
    """1 step: info for a plain assertion, warning for a boosted one; 2+ steps: warning;
    3+ steps or an absolute claim two steps over: error."""
    if judgement.gap >= 3 or (judgement.level >= Certainty.ABSOLUTE and judgement.gap >= 2):
        return Severity.ERROR
    if judgement.gap >= 2 or judgement.level >= Certainty.BOOSTED:
        return Severity.WARNING
    return Severity.INFO


def strength_wording(claim: "Claim") -> str:
    """The words that carry the claim's certainty, for the message."""
    words = [q.text for q in claim.qualifiers if q.kind in _STRENGTH_KINDS]
    words += [c.text for c in claim.cues if c.entity_id in STRONG_CUES]
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    return ", ".join(f"'{w}'" for w in unique[:3])


def level_phrase(claim: "Claim", level: int) -> str:
    name = Certainty(level).label
    wording = strength_wording(claim)
    if wording:
        return f"asserts {wording} ({name}, level {level})"
    return f"states it as fact ({name}, level {level})"


def grade_phrase(kb: "KnowledgeLookup", judgement: Judgement) -> str:
    """"evidence for ketamine in PTSD is mixed (supports level 2)"."""
    return (
        f"evidence for {substance_name(kb, judgement.substance)} in "
        f"{indication_name(kb, judgement.indication)} is {judgement.assessment.grade.value} "
        f"(supports level {judgement.supported})"
    )


def study_summary(kb: "KnowledgeLookup", assessment: "EvidenceAssessment", limit: int = 3) -> str:
    """"Glue 2017 n=12 open-label, Taylor 2018 n=18" from the assessment's studies."""
    parts = []
    for study_id in assessment.studies[:limit]:
        study = kb.study(study_id)
        if study is None:
            continue
        detail = " ".join(
            x for x in (f"n={study.n}" if study.n else "", study.design.replace("_", "-")) if x
        )
        parts.append(f"{study.short_label} {detail}".strip())
    return ", ".join(parts)


def assessment_evidence(kb: "KnowledgeLookup", assessment: "EvidenceAssessment") -> list[EvidenceRef]:
    refs = [
        EvidenceRef(
            id=assessment.id,
            label=f"{assessment.substance} x {assessment.indication}: {assessment.grade.value}",
            url=assessment.sources[0].link if assessment.sources else "",
            note=assessment.summary,
        )
    ]
    for study_id in assessment.studies[:4]:
        study = kb.study(study_id)
        if study is not None:
            refs.append(EvidenceRef(id=study.id, label=study.short_label, url=study.link))
    return refs


def supported_rewrite(kb: "KnowledgeLookup", judgement: Judgement) -> str:
    """The claim restated at the supported level, naming the studies."""
    assessment = judgement.assessment
    if assessment.supported_wording:
        return assessment.supported_wording
    substance = substance_name(kb, judgement.substance)
    indication = indication_name(kb, judgement.indication)
    studies = study_summary(kb, assessment)
    source = f" ({studies})" if studies else ""
    if judgement.supported >= Certainty.BOOSTED:
        return f"Controlled trials show {substance} is effective for {indication}{source}."
    if judgement.supported >= Certainty.ASSERTED:
        return f"Trials suggest {substance} can help {indication}{source}."
    if judgement.supported >= Certainty.HEDGED:
        return f"Small early studies suggest {substance} may help some people with {indication}{source}."
    return f"Whether {substance} helps {indication} has not been shown in people{source}."
