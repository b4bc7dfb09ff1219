"""Which knowledge-base misconception records concern regulatory status (judged by REG)."""

from __future__ import annotations

from collections.abc import Iterable

from claimaudit.knowledge_base.model import Mechanism, MechanismStatus
from claimaudit.rules._helpers import family_regex
from claimaudit.rules.base import per_record


@per_record
def is_regulatory(mechanism: Mechanism) -> bool:
    """A record whose triggers speak of schedules or controlled-substance status."""
    pattern = family_regex("regulatory", "regulatory_terms")
    terms = " ".join(term.replace("*", "").replace("|", " ") for t in mechanism.triggers for term in t)
    return bool(pattern.search(terms))


def regulatory_misconceptions(mechanisms: Iterable[Mechanism]) -> list[Mechanism]:
    return [
        m for m in mechanisms
        if is_regulatory(m) and (m.misconception or m.status is MechanismStatus.INCORRECT)
    ]
