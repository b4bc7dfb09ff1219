"""Mechanism records a claim talks about, split into misconceptions and graded statements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimaudit.claims.model import Claim
from claimaudit.knowledge_base.model import Mechanism, MechanismStatus
from claimaudit.rules._helpers import family_regex
from claimaudit.rules.base import per_claim_in_context, per_record
from claimaudit.rules.regulatory._misconceptions import is_regulatory

if TYPE_CHECKING:
    from claimaudit.rules.base import RuleContext


def matched_mechanisms(claim: Claim, ctx: "RuleContext") -> list[Mechanism]:
    """Non-regulatory mechanism records whose triggers occur in the claim and that concern
    the claim's substance (or any substance when the record names none)."""
    return list(_matched_mechanisms(claim, ctx))


def has_mechanisms(claim: Claim, ctx: "RuleContext") -> bool:
    """`bool(matched_mechanisms(claim, ctx))`, without the copy (most claims have none)."""
    return bool(_matched_mechanisms(claim, ctx))


@per_claim_in_context
def _matched_mechanisms(claim: Claim, ctx: "RuleContext") -> tuple[Mechanism, ...]:
    matching = ctx.kb.mechanisms_matching(claim.text)
    if not matching:
        return ()  # (most claims)
    family: set[str] = set()
    for substance in claim.subject_substances:
        family.update(ctx.kb.substance_family(substance))
    found = []
    for mechanism in matching:
        if is_regulatory(mechanism) or is_authority(mechanism):
            continue
        if mechanism.substances and family and not (family & set(mechanism.substances)):
            continue
        if mechanism.substances and not family and claim.other_subject:
            continue  # "Meditation rewires the brain" is not a claim about the drug
        found.append(mechanism)
    return tuple(found)


def is_wrong(mechanism: Mechanism) -> bool:
    return mechanism.misconception or mechanism.status is MechanismStatus.INCORRECT


@per_record
def is_authority(mechanism: Mechanism) -> bool:
    """A record about what an authority says ("the WHO calls it one of the safest"), not about
    how the substance works: such appeals are judged as citations, not mechanisms."""
    pattern = family_regex("mechanism", "authority_terms")
    terms = " ".join(term.replace("*", "").replace("|", " ") for t in mechanism.triggers for term in t)
    return bool(pattern.search(terms))
