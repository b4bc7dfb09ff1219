"""SCOPE003 comparison-extended: a comparison stretched beyond what the study compared.

What it flags:
    A comparative claim ("compared to people on antidepressants", "better than", "versus",
    "outperformed") about a study the claim cites or that its paragraph names, when the
    claim extends the comparison to a condition or symptom the study did not compare (the
    study compared depression scores; the claim says depression and anxiety).

Why it matters:
    A comparison is only as wide as the outcomes actually compared; adding outcomes makes a
    narrow, often non-randomised comparison look like a broad advantage.

Flagged example:
    Compared with usual care, patients recovered faster from both insomnia and depression
    (Novak et al., 2020).   (where Novak compared depression scores only)

Use instead:
    Compared with usual care, depression scores fell further at eight weeks (Novak et al.,
    2020, non-randomised comparison); anxiety was not compared.

Not flagged:
    Comparisons whose conditions the study compared; studies the base records no comparative
    outcomes for; comparisons without a linked study.

Knowledge used:
    Study outcomes with comparator values and the condition each outcome measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Certainty, Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.knowledge_base.model import Study
from claimaudit.nlp import prefilter
from claimaudit.nlp.leading import StartsWith
from claimaudit.rules._rewrite import replace_ranges, sentence_or_none
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.scope._studies import (
    context_studies,
    covers_indication,
    describe_study,
    indication_name,
    study_ref,
)

RULE = Rule(
    code="SCOPE003",
    name="comparison-extended",
    family=Family.SCOPE,
    severity=Severity.WARNING,
    summary="Comparison extended beyond what the study compared",
)

_COMPARISON = compiled(
    r"\b(?:compared (?:to|with)|in comparison (?:to|with)|relative to|versus|vs\.?|outperform\w*|superior to|"
    r"(?:better|faster|greater|larger|more effective|quicker) than|beat)\b",
    re.I,
)
_COMPARES = StartsWith(_COMPARISON)  # tried only where a comparison word starts


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if claim.certainty <= Certainty.SPECULATIVE or not claim.indications or not _COMPARES.exists(claim.text):
        return ()
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    named = claim.indications  # (some: `check` asked)
    for study in context_studies(claim, ctx, back=5):
        compared = _compared_indications(study) or _compared_in_conclusion(study, ctx)
        if not compared:
            continue
        beyond = [i for i in named if not covers_indication(ctx.kb, compared, i)]
        if not beyond or len(beyond) == len(named) and not _same_topic(study, named, ctx):
            continue
        extra = ", ".join(indication_name(ctx.kb, i) for i in beyond)
        did = ", ".join(indication_name(ctx.kb, i) for i in compared)
        yield RULE.finding(
            claim,
            f"extends the comparison to {extra}, but {describe_study(study)} compared only {did}"
            + (f" against {study.comparator}" if study.comparator else ""),
            evidence=[study_ref(study, note=study.comparator)],
            suggestion=_limited(claim, beyond),
            advice=f"Limit the comparison to what was compared ({did}) and say how (design, time point).",
        )
        return


def _compared_indications(study: Study) -> tuple[str, ...]:
    """Conditions whose outcomes the study compared with a comparator."""
    found = [
        o.indication or (study.indications[0] if study.indications else "")
        for o in study.outcomes
        if o.comparator_value is not None
    ]
    return tuple(dict.fromkeys(i for i in found if i))


def _same_topic(study: Study, named: tuple[str, ...], ctx: RuleContext) -> bool:
    """The claim is about this study when it shares at least one of its conditions."""
    return any(covers_indication(ctx.kb, study.indications, i) for i in named)


def _compared_in_conclusion(study: Study, ctx: RuleContext) -> tuple[str, ...]:
    """Conditions named in the comparative sentences of the study's recorded conclusion
    ("larger depression reduction than patients starting an antidepressant")."""
    if not study.comparator or not study.conclusion:
        return ()
    found: list[str] = []
    for sentence in _SENTENCE_BREAK.split(study.conclusion):
        if not (_COMPARISON.search(sentence) or _THAN.search(sentence)):
            continue
        lowered = sentence.lower()
        for entry in ctx.kb.lexicon():
            if entry.kind != "indication":
                continue
            phrase = entry.phrase.lower()
            # (a phrase that is not in the sentence cannot match: no pattern made for it)
            if phrase in lowered and re.search(rf"\b{re.escape(phrase)}\b", lowered):
                found.append(entry.entity_id)
    return tuple(dict.fromkeys(found))


_SENTENCE_BREAK = compiled(r"(?<=[.;])\s+")
_THAN = compiled(r"\bthan\b", re.I)
_JOINED_BEFORE = compiled(r"(?:,\s*|\s+(?:and|or|as\s+well\s+as)\s+(?:(?:for|on|in|with)\s+)?)$")
_AND_OR_AFTER = compiled(r"\s+(?:and|or)\s+")
_BOTH = prefilter.compile(r"\bboth\s+", re.I)


def _limited(claim: Claim, beyond: list[str]) -> str | None:
    """The sentence without the conditions the study did not compare ("... and depression")."""
    edits = []
    text = claim.text
    for mention in claim.mentions:
        if mention.kind != "indication" or mention.entity_id not in beyond:
            continue
        start, end = mention.start - claim.norm_start, mention.end - claim.norm_start
        joined = _JOINED_BEFORE.search(text[:start])
        if joined is None:
            after = _AND_OR_AFTER.match(text[end:])
            if after is None:
                return None
            end += after.end()
        else:
            start = joined.start()
        edits.append((claim.norm_start + start, claim.norm_start + end, ""))
    if not edits:
        return None
    both = _BOTH.search(text)
    if both is not None:
        edits.append((claim.norm_start + both.start(), claim.norm_start + both.end(), ""))
    return sentence_or_none(replace_ranges(claim, edits))
