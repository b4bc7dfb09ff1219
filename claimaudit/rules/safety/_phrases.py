"""Safety phrases found in a claim, and the knowledge-base harms they are judged against.

Shared by the SAFE rule modules; pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from claimaudit.claims.model import Claim
from claimaudit.findings.model import EvidenceRef
from claimaudit.rules._rewrite import plural
from claimaudit.rules._helpers import (
    family_regex,
    focus_substances,
    load_patterns,
    name_list,
    negated_before,
    plain,
    regex_list,
    source_ref,
    substance_label,
)

if TYPE_CHECKING:
    from claimaudit.knowledge_base.model import AdverseEffect
    from claimaudit.rules.base import RuleContext


@dataclass(frozen=True, slots=True)
class PhraseHit:
    kind: str  # absolute | care_promise | profile | safe_word | dependence
    text: str
    start: int  # index into claim.text
    end: int


def phrase_hits(claim: Claim, key: str) -> tuple[PhraseHit, ...]:
    """Non-negated occurrences of one phrase list of safety.yaml in the claim text."""
    return _phrase_hits(claim.text, key)


@lru_cache(maxsize=512)  # several SAFE rules ask about the same claims and keys
def _phrase_hits(original: str, key: str) -> tuple[PhraseHit, ...]:
    text = plain(original)
    hits = []
    for match in family_regex("safety", key).finditer(text):
        if negated_before(text, match.start()) or _inside_exclusion(text, match.start(), match.end()):
            continue
        if in_purpose(text, match.start()):
            continue
        hits.append(PhraseHit(key, original[match.start() : match.end()], match.start(), match.end()))
    return tuple(hits)


def dependence_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    text = plain(claim.text)
    hits = []
    for pattern in _dependence_patterns():
        for match in pattern.finditer(text):
            if negated_before(text, match.start()):
                continue
            hits.append(PhraseHit("dependence", claim.text[match.start() : match.end()], match.start(), match.end()))
    return tuple(sorted(hits, key=lambda h: h.start))


def minimising_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    """Harms played down as a rule ("side effects are mild and temporary", "only minor side
    effects"); not negated."""
    text = plain(claim.text)
    hits = []
    for pattern in _minimising_patterns():
        for match in pattern.finditer(text):
            if not negated_before(text, match.start()):
                hits.append(PhraseHit("minimising", claim.text[match.start() : match.end()], match.start(), match.end()))
    return tuple(sorted(hits, key=lambda h: h.start))


def absence_hits(claim: Claim) -> tuple[PhraseHit, ...]:
    """Harms denied or waved away ("does not have long-term side effects", "no reports of
    lasting side effects", "very little risk"): the negation is the claim, so these hold
    whatever the claim's certainty."""
    text = plain(claim.text)
    hits = [
        PhraseHit("absence", claim.text[m.start() : m.end()], m.start(), m.end())
        for pattern in regex_list("safety", "absence_regex")
        for m in pattern.finditer(text)
        if not in_purpose(text, m.start()) and not re.search(r"\b(?:if|whether|when)\b[^,;]*$", text[: m.start()], re.I)
    ]
    return tuple(sorted(hits, key=lambda h: h.start))


def in_purpose(text: str, start: int) -> bool:
    """The safety words at `start` state the purpose of a process ("we monitor you to ensure
    your safety") or one side of a contrast ("the difference between a safe ..."), not a
    property of the drug."""
    before = text[max(0, start - 80) : start]
    return any(p.search(before) for p in regex_list("safety", "purpose_regex"))


def is_question(claim: Claim) -> bool:
    return claim.text.rstrip().endswith("?")


def subject(claim: Claim, ctx: "RuleContext") -> str | None:
    """The focus substance the safety statement is about (named, else the page's topic)."""
    named = focus_substances(claim.subject_substances, ctx)
    return named[0] if named else None


def harms_summary(ctx: "RuleContext", substance: str) -> tuple[str, list[EvidenceRef]]:
    """'N known adverse effects of ketamine: a, b, c ...; contraindications: x, y' + evidence."""
    effects = ctx.kb.adverse_effects_for(substance)
    contra = ctx.kb.contraindications_for(substance)
    name = substance_label(ctx, substance)
    parts = []
    if effects:
        parts.append(
            f"{plural(len(effects), 'known adverse effect')} of {name}: {name_list([e.name for e in effects])}"
        )
    if contra:
        parts.append(f"contraindications: {name_list([c.condition for c in contra], limit=3)}")
    evidence = [source_ref(e.id, e.name, e.sources, e.frequency) for e in effects[:4]]
    evidence += [source_ref(c.id, c.condition, c.sources) for c in contra[:2]]
    return "; ".join(parts), evidence


def dependence_effects(ctx: "RuleContext", substance: str) -> tuple["AdverseEffect", ...]:
    pattern = family_regex("safety", "dependence_terms")
    return tuple(
        e for e in ctx.kb.adverse_effects_for(substance)
        if pattern.search(" ".join((e.id.replace("_", " "), e.name, *e.aliases)))
    )


# ---------------------------------------------------------------- private helpers


def _inside_exclusion(text: str, start: int, end: int) -> bool:
    for match in family_regex("safety", "not_about_treatment").finditer(text):
        if match.start() <= start and end <= match.end():
            return True
    return any(
        m.start() <= start and end <= m.end() for p in regex_list("safety", "setting_regex") for m in p.finditer(text)
    )


@cache
def _dependence_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("safety").get("dependence_regex", [])
    return tuple(re.compile(str(r), re.IGNORECASE) for r in raw)


@cache
def _minimising_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("safety").get("minimising_regex", [])
    return tuple(re.compile(str(r), re.IGNORECASE) for r in raw)
