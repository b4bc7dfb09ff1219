"""Which knowledge-base misconception records concern regulatory status (judged by REG)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from claimaudit.knowledge_base.model import Mechanism, MechanismStatus
from claimaudit.nlp import prefilter
from claimaudit.nlp.analysis_cache import compiled
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


def _may_trigger(text: str, kb: "KnowledgeLookup") -> bool:
    """False only when no regulatory misconception can be among `kb.mechanisms_matching(text)`:
    each needs a trigger with every term matched, and a term's match holds the longest word of
    one of its alternatives (`compile_term` joins an alternative's words with spaces or hyphens).
    The look-up folds an ASCII text to `text.casefold()`, the string `prefilter.folded(text)`
    is; other texts are not judged."""
    if not text.isascii():
        return True
    lowered = prefilter.folded(text)
    for trigger in _trigger_words(kb):
        for words in trigger:
            for word in words:
                if word in lowered:
                    break
            else:
                break  # no word of this term: the trigger cannot match
        else:
            return True
    return False


_WORD_BREAK = compiled(r"[\s\-]+")  # as compile_term splits an alternative into words


@lru_cache(maxsize=8)
def _trigger_words(kb: "KnowledgeLookup") -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Every non-empty trigger of the base's regulatory misconceptions, as its terms' words (the
    longest of each alternative), the terms with the fewest, longest words first."""
    found = []
    for mechanism in regulatory_misconceptions(kb.kb.mechanisms.values()):
        for trigger in mechanism.triggers:
            terms = [tuple(sorted({_longest_word(a) for a in term.split("|")})) for term in trigger]
            if not terms:
                continue  # an empty trigger never matches
            if not all(all(words) for words in terms):
                return ((("",),),)  # an alternative without words: every text may match
            found.append(tuple(sorted(terms, key=lambda words: (len(words), -min(map(len, words))))))
    return tuple(found)


def _longest_word(alternative: str) -> str:
    words = [w for w in _WORD_BREAK.split(alternative.rstrip("*").strip().lower()) if w]
    return max(words, key=len) if words else ""
