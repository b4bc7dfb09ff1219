"""What a claim is about when it names no substance (patterns/subjects.yaml).

A clause that names a substance is about it. One that names none but refers back to the
treatment ("it", "this treatment", "the medication", "infusions") inherits the substance of
the nearest earlier sentence that names one, else the page's topic; the reference becomes an
inferred substance mention, so every rule sees the subject. A clause that opens with another
subject ("Meditation rewires the brain", "Antidepressants take weeks") is about that subject:
it inherits nothing. List items inherit the subject and certainty of their lead-in
("Studies report several gains, including:"), and the lead-in the conditions its
items list (see `claims/lead_ins.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from claimaudit.nlp.leading import prefixes
from claimaudit.nlp.prefilter import fold
from claimaudit.nlp.phrases import compile_regex
from claimaudit.nlp.resources import load_patterns
from claimaudit.nlp.analysis_cache import compiled

# How far into the clause an opening subject may start ("In addition, antidepressants ...").
_OPENING_CHARS = 40
_OPENER = r"^\W*(?:(?:in addition|additionally|also|however|moreover|furthermore|unlike \w+|meanwhile),?\s+)?"
_LEAD = compiled(
    _OPENER
    # a reporting frame before the subject: "Research has shown that ...", "Experts agree that ..."
    + r"(?:[\w' -]{0,40}?\b(?:show|shows|shown|showed|found|find|finds|revealed|indicates?|indicated|proved?|proven|"
    r"known|believe[sd]?|agree|says?|suggests?|confirms?|confirmed)\s+(?:the\s+case\s+)?that\s+)?",
    re.I,
)
# _LEAD where no frame can match (no "that" in the text): the same match, without trying one
# at each of the first 40 characters
_LEAD_NO_FRAME = compiled(_OPENER, re.I)


@dataclass(frozen=True, slots=True)
class Subject:
    """The inherited subject of a clause: a reference to the treatment (`anaphor` set, with its
    offsets in the clause), or another subject that blocks inheritance (`other` set)."""

    anaphor: str = ""
    start: int = 0
    end: int = 0
    other: str = ""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The anaphors (first-character gated, `first_char_gated`) and the other subjects."""
    data = load_patterns("subjects")
    return first_char_gated(compile_regex(data["anaphors"])), compile_regex(data["other_subjects"])


def first_char_gated(regex: re.Pattern[str]) -> re.Pattern[str]:
    """`regex` behind a lookahead for the first characters of its leading literals
    (`nlp/leading.prefixes`), when it ignores case: the same matches, but `search` tests one
    character class at each offset before trying the alternatives (each behind its own
    lookbehind). `regex` itself when it has no such literals or minds case (the literals
    are folded)."""
    found = prefixes(regex)
    if not found or not regex.flags & re.IGNORECASE or any(not literal for literal in found):
        return regex
    chars = "".join(sorted({re.escape(literal[0]) for literal in found}))
    try:
        return compiled(f"(?=[{chars}])(?:{regex.pattern})", regex.flags)
    except re.error:  # pragma: no cover - inline global flags cannot be wrapped
        return regex


def clause_subject(text: str, after_substance: bool = True) -> Subject | None:
    """The inherited subject of a clause that names no substance, or None when it has none.
    `after_substance`: the sentence just before names the treatment (else "it" refers to
    something else, such as the condition that sentence was about)."""
    anaphors, others = _patterns()
    lead = (_LEAD if "that" in fold(text) else _LEAD_NO_FRAME).match(text)
    opening = lead.end() if lead else 0
    other = others.match(text, opening)
    if other is not None and other.start() <= _OPENING_CHARS:
        return Subject(other=other.group(0))
    found = anaphors.search(text, 0, opening + _OPENING_CHARS)
    if found is None or (found.group(0).lower() == "it" and not after_substance):
        return None
    return Subject(anaphor=found.group(0), start=found.start(), end=found.end())
