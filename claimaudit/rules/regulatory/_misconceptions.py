"""Which knowledge-base misconception records concern regulatory status (judged by REG)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from claimaudit.knowledge_base.lookup import compile_term
from claimaudit.knowledge_base.model import Mechanism, MechanismStatus
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import family_regex
from claimaudit.rules.base import per_record

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup


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


def regulatory_misconceptions_in(text: str, kb: "KnowledgeLookup") -> list[Mechanism]:
    """`regulatory_misconceptions(kb.mechanisms_matching(text))`, without the look-up when no
    trigger of a regulatory misconception can match in `text` (most sentences)."""
    if not _may_trigger(text, kb):
        return []
    return regulatory_misconceptions(kb.mechanisms_matching(text))


# A term's test: its needles (one of which each of its matches holds), or, for a term without
# any, its pattern.
_TermTest = tuple[tuple[str, ...] | None, re.Pattern[str]]


def _may_trigger(text: str, kb: "KnowledgeLookup") -> bool:
    """False only when no regulatory misconception can be among `kb.mechanisms_matching(text)`:
    each needs one of its triggers with every term matched, and for every trigger some term's
    needles (or pattern) are missing from the text. The look-up folds an ASCII text to
    `text.casefold()`, the same string as `prefilter.folded(text)`; other texts are not judged."""
    if not text.isascii():
        return True
    lowered = prefilter.folded(text)
    for trigger in _trigger_tests(kb):
        for needles, pattern in trigger:
            if needles is None:
                if pattern.search(lowered) is None:
                    break
            elif not any(needle in lowered for needle in needles):
                break
        else:
            return True
    return False


@lru_cache(maxsize=8)
def _trigger_tests(kb: "KnowledgeLookup") -> tuple[tuple[_TermTest, ...], ...]:
    """Every non-empty trigger of the base's regulatory misconceptions, as its terms' tests
    (those with needles first: the cheaper)."""
    found = []
    for mechanism in regulatory_misconceptions(kb.kb.mechanisms.values()):
        for trigger in mechanism.triggers:
            tests: list[_TermTest] = []
            for term in trigger:
                pattern = compile_term(term)
                needles = prefilter.needles(pattern)
                tests.append((tuple(sorted(needles)) if needles else None, pattern))
            if tests:
                found.append(tuple(sorted(tests, key=lambda t: t[0] is None)))
    return tuple(found)
