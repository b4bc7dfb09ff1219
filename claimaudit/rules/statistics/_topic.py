"""What a number is about: an outcome of the treatment, or something else (prevalence, another
treatment's result, pharmacokinetics, prices and service volumes, a definition). Only outcomes
are judged against studies. Phrase lists: `claimaudit/nlp/patterns/statistics.yaml`."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp import prefilter
from claimaudit.rules._helpers import load_patterns, regex_list
from claimaudit.rules._pattern_table import WordStartGate
from claimaudit.rules.base import per_claim
from claimaudit.rules.statistics._numbers import own_figures

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim, Quantity
    from claimaudit.claims.page_kind import PageKind
    from claimaudit.rules.base import RuleContext

OUTCOME = "outcome"
# Cues of a page that reports research itself (a paper, a news report, a label): its figures
# are its own results, not claims borrowed from a study.
_RESEARCH_CUES = frozenset({"research_headings", "scholarly_apparatus", "own_identifier", "journal", "news", "label"})
_PARAGRAPH_BREAK = compiled(r"\n\s*\n")
_SENTENCE_END = compiled(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@cache
def _window() -> int:
    return int(load_patterns("statistics").get("window", 70))


@cache
def _categories() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    table = load_patterns("statistics").get("not_outcome", {}) or {}
    return tuple(
        (name, tuple(prefilter.fast(compiled(str(r), re.IGNORECASE)) for r in raw)) for name, raw in table.items()
    )


def number_window(claim: "Claim", quantity: "Quantity") -> str:
    """The words either side of a number inside its claim."""
    text = claim.text
    start = quantity.start - claim.norm_start
    if not (0 <= start <= len(text)) or text[start:start + len(quantity.text)] != quantity.text:
        start = max(text.find(quantity.text), 0)
    size = _window()
    return text[max(0, start - size):start + len(quantity.text) + size]


@per_claim
def number_topic(claim: "Claim", quantity: "Quantity") -> str:
    """"outcome", or the first category of `not_outcome` whose words sit near the number.
    Prevalence and another treatment's figures count only where the treatment itself is not
    named near the number (a sentence's subject inherited from context is not named)."""
    at_number = _at_number(claim, quantity)
    if at_number is not None:
        return at_number
    named = _substances_named(claim)
    if not named:
        return _sentence_topic(claim)  # the subject is inherited: the whole sentence is about the number
    window = number_window(claim, quantity)
    folded = prefilter.fold(window)
    return _window_topic(window, any(name in folded for name in named))


@per_claim
def _substances_named(claim: "Claim") -> tuple[str, ...]:
    """The claim's substance mentions as written, folded (once per claim, not per number)."""
    return tuple(dict.fromkeys(prefilter.fold(m.text) for m in claim.mentions if m.kind == "substance"))


@per_claim
def _sentence_topic(claim: "Claim") -> str:
    """`number_topic` for a number whose window is the whole claim: one answer for all its
    numbers (a long sentence of many numbers is read once, not once per number)."""
    return _window_topic(claim.text, False)


def _window_topic(window: str, names_treatment: bool) -> str:
    compares = any(p.search(window) for p in regex_list("statistics", "comparison"))
    return _category(window, names_treatment, compares)


def _category(window: str, names_treatment: bool, compares: bool) -> str:
    """The first category of `not_outcome` whose patterns match in `window`, else OUTCOME. The
    patterns that start a word are tried only where one search of them all says one can match
    (most windows: none can)."""
    gate, starts_word = _category_gate()
    closed = gate is not None and not gate.may_match(prefilter.folded(window))
    for name, patterns in _categories():
        if name in {"prevalence", "other_treatment"} and names_treatment:
            continue
        if name == "other_treatment" and compares:
            continue
        if any(p.search(window) for p in patterns if not (closed and p in starts_word)):
            return name
    return OUTCOME


@cache
def _category_gate() -> tuple[WordStartGate | None, frozenset[re.Pattern[str]]]:
    """A `WordStartGate` over the categories' patterns that start a word, and those patterns
    (none without a gate)."""
    joinable = [p for _, patterns in _categories() for p in patterns if WordStartGate.build([p]) is not None]
    gate = WordStartGate.build(joinable) if joinable else None
    return gate, frozenset(joinable) if gate is not None else frozenset()


@cache
def _at_number_patterns() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    table = load_patterns("statistics").get("at_number", {}) or {}
    return tuple(
        (name, tuple(prefilter.fast(compiled(str(r), re.IGNORECASE)) for r in raw)) for name, raw in table.items()
    )


def _at_number(claim: "Claim", quantity: "Quantity") -> str | None:
    """A category whose words start at the number itself ("11,000 infusions")."""
    start = claim.text.find(quantity.text)
    if start < 0:
        return None
    for name, patterns in _at_number_patterns():
        if any(p.match(claim.text, start) for p in patterns):
            return name
    return None


def names_source(claim: "Claim", ctx: "RuleContext") -> bool:
    """The sentence, or the sentence just before it in its paragraph, attributes the figure to
    a named research group, institution or clinician ("a team at X led by Y", "according to
    Dr. Z"). A clinic's own figures ("of our patients") are never attributed this way, and an
    author-year citation in the previous sentence belongs to that sentence."""
    if own_figures(claim.text) or any(p.search(claim.text) for p in regex_list("statistics", "clinic_own_figures")):
        return False
    if any(p.search(claim.text) for p in regex_list("statistics", "named_source")):
        return True
    text = ctx.document.text if ctx.document is not None else ""
    start = max(0, claim.norm_start - 400)
    paragraph = _PARAGRAPH_BREAK.split(text[start:claim.norm_start])[-1]
    sentences = [s for s in _SENTENCE_END.split(paragraph) if s.strip()]
    previous = sentences[-1] if sentences else ""
    return any(p.search(previous) for p in regex_list("statistics", "named_group"))


def reports_research(page: "PageKind") -> bool:
    """An informational page whose own figures are research results (paper, news, label)."""
    return page.kind == "informational" and any(name in _RESEARCH_CUES for name, _ in page.cues)
