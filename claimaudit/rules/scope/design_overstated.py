"""SCOPE001 design-overstated: studies described as randomized, controlled or blinded when they were not.

What it flags:
    A claim that calls a named or cited study an RCT, randomized, placebo-controlled,
    controlled or double-blind when the knowledge base records that study as open-label,
    uncontrolled, single-arm, retrospective or otherwise lacking that feature. Each design
    word is tied to the study named nearest to it ("the Smith group's RCTs (2017, 2018)").

Why it matters:
    Randomization, a control arm and blinding are what make a result trustworthy; calling an
    open-label case series an RCT carries a weak design's result over as if it were strong.

Flagged example:
    The first randomized controlled trial (Okafor et al., 2016) treated 9 patients open-label.
    (where Okafor 2016 was a single-arm open-label pilot)

Use instead:
    A small open-label pilot study (Okafor et al., 2016) treated 9 patients.

Not flagged:
    Design words that match the study; reviews and meta-analyses described as pooling RCTs;
    design words negated ("was not randomized") or not tied to a study in the base.

Knowledge used:
    Study records: design, randomized, controlled, blinded flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.nlp import prefilter
from claimaudit.rules._rewrite import replace_ranges, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import (
    SECONDARY_DESIGNS,
    cited_studies,
    describe_study,
    may_name_studies,
    studies_named_in_text,
    study_ref,
)

RULE = Rule(
    code="SCOPE001",
    name="design-overstated",
    family=Family.SCOPE,
    severity=Severity.WARNING,
    summary="Study design described as stronger than it was",
)

# "<substance>-controlled": a substance the knowledge base gives to trials' control arms
# (`Substance.trial_control`) before "controlled" asserts a controlled design too
_NAMED_CONTROL = prefilter.compile(r"\b([\w-]+?)[\s-]+controlled\b", re.I)

# General design vocabulary: word pattern -> the study feature it asserts (_NAMED_CONTROL's
# matches count only where their first word is a control-arm substance).
_DESIGN_TERMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (prefilter.compile(r"\bRCTs?\b"), "randomized"),
    (prefilter.compile(r"\brandomi[sz]ed(?:[\s-]+controlled)?\b", re.I), "randomized"),
    (prefilter.compile(r"\b(?:placebo|psychoactive|active|sham)[\s-]+controlled\b", re.I), "controlled"),
    (_NAMED_CONTROL, "controlled"),
    (prefilter.compile(r"\bcontrolled (?:trials?|studies|study)\b", re.I), "controlled"),
    (prefilter.compile(r"\b(?:double|triple|single)[\s-]+blind(?:ed)?\b", re.I), "blinded"),
)
_NEGATED = compiled(r"\b(?:not|non|no|un|never|without)[\s-]*$", re.I)
_JOINER = compiled(r"(?:\s*(?:et al\.?|and|&|,|the|'s|\u2019s)\s*)*")
_WINDOW_BEFORE = 90
_WINDOW_AFTER = 40


def _design_words(text: str, ctx: RuleContext) -> Iterator[tuple[str, re.Match[str]]]:
    """Each design word of the text, in `_DESIGN_TERMS` order, with the feature it asserts."""
    for pattern, feature in _DESIGN_TERMS:
        for match in pattern.finditer(text):
            if pattern is not _NAMED_CONTROL or ctx.kb.names_trial_control(match.group(1)):
                yield feature, match


@dataclass(frozen=True, slots=True)
class _Mention:
    study: Study
    start: int


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.REJECTED or not may_name_studies(claim):
        return ()  # (most claims: no marker and no year, so no study for a design word to describe)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    text = claim.text
    mentions = [_Mention(s, pos) for s, pos in studies_named_in_text(text, ctx.kb)]
    cited = [s for s in cited_studies(claim, ctx.kb) if all(m.study.id != s.id for m in mentions)]
    if not mentions and not cited:
        return  # no study for a design word to describe
    wrong: dict[str, tuple[Study, str, str]] = {}
    for feature, match in _design_words(text, ctx):
        if _NEGATED.search(text[max(0, match.start() - 6):match.start()]):
            continue
        for study in _studies_for_term(text, match.start(), match.end(), mentions, cited):
            if study.design in SECONDARY_DESIGNS or _has(study, feature):
                continue
            wrong.setdefault(study.id, (study, match.group(0), feature))
    if not wrong:
        return
    items = list(wrong.values())
    described = "; ".join(f"{describe_study(s)} was not {feature}" for s, _, feature in items)
    words = ", ".join(dict.fromkeys(f"'{w}'" for _, w, _ in items))
    yield RULE.finding(
        claim,
        f"calls the evidence {words}, but {described}",
        evidence=[study_ref(s, note=s.design) for s, _, _ in items],
        suggestion=_rewrite(claim, items),
        advice="Describe each study by its real design: " + "; ".join(
            f"{s.short_label}: {s.design.replace('_', ' ') or 'uncontrolled'}" for s, _, _ in items
        ) + ".",
        trigger=_first_word(claim, items),
    )


def _studies_for_term(
    text: str, start: int, end: int, mentions: list[_Mention], cited: list[Study]
) -> list[Study]:
    """The studies a design word describes: those named in the nearest group before it
    (same author named with several years), else the one named just after, else the cited ones."""
    before = [m for m in mentions if m.start <= start and start - m.start <= _WINDOW_BEFORE]
    if before:
        starts = sorted({m.start for m in mentions if m.start <= start}, reverse=True)
        group = [starts[0]]
        for earlier in starts[1:]:
            first = next(m for m in mentions if m.start == group[-1])
            prev = next(m for m in mentions if m.start == earlier)
            between = text[prev.start + len(prev.study.first_author):first.start]
            if not _JOINER.fullmatch(between):
                break
            group.append(earlier)
        return [m.study for m in mentions if m.start in group]
    after = [m for m in mentions if m.start >= end and m.start - end <= _WINDOW_AFTER]
    if after:
        nearest = min(m.start for m in after)
        return [m.study for m in after if m.start == nearest]
    if not mentions:
        return cited
    return []


def _has(study: Study, feature: str) -> bool:
    if feature == "randomized":
        return study.randomized
    if feature == "controlled":
        return study.controlled
    if feature == "blinded":
        return study.blinded
    return True


# how a study's recorded design reads in a sentence
_DESIGN_WORDS = {
    "open_label": "open-label", "retrospective": "retrospective", "case_series": "case-series",
    "case_report": "case-report", "observational": "observational", "cohort": "cohort",
    "crossover": "crossover", "single_arm": "single-arm", "uncontrolled": "uncontrolled",
}


def _rewrite(claim: Claim, items: list[tuple[Study, str, str]]) -> str | None:
    """The sentence with each overstated design word replaced by the study's real design."""
    edits: list[tuple[int, int, str]] = []
    for study, word, _ in items:
        at = claim.text.find(word)
        real = _DESIGN_WORDS.get(study.design, study.design.replace("_", "-") if study.design else "uncontrolled")
        if at < 0 or any(at < end - claim.norm_start and start - claim.norm_start < at + len(word) for start, end, _ in edits):
            continue
        edits.append((claim.norm_start + at, claim.norm_start + at + len(word), real))
    return sentence_or_none(replace_ranges(claim, edits)) if edits else None


def _first_word(claim: Claim, items: list[tuple[Study, str, str]]) -> tuple[int, int] | None:
    at = claim.text.find(items[0][1])
    return (claim.norm_start + at, claim.norm_start + at + len(items[0][1])) if at >= 0 else None
