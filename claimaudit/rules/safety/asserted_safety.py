"""SAFE002 asserted-safety: safety asserted without the risks that qualify it.

What it flags
    Plain or boosted statements that a treatment is safe ("ketamine is safe", "a safe
    treatment"), superlatives ("one of the safest"), and safety reputations carried over
    from anaesthesia ("robust safety profile"), reassurance ("nothing to fear"), unsupported
    comparisons ("gentler than", "fewer side effects") and harms played down as a rule ("side
    effects are mild and temporary"). Recorded adverse effects of the substance denied ("never
    causes raised blood pressure"), called rare when the knowledge base records them as common
    ("nausea, a rare side effect"), or placed at large doses only ("in high doses it can cause
    dissociation"). Safety made conditional ("safe when given under supervision") is reported
    at info level.

Why it matters
    "Safe" without qualification tells readers there is nothing to weigh. The knowledge base
    records adverse effects and contraindications that a safety statement must not hide; an
    anaesthetic safety record does not transfer to repeated psychiatric dosing.

Flagged example
    Ketamine is a safe and effective option for people with panic attacks.

Use instead
    Ketamine is generally well tolerated under medical monitoring, but it can raise blood
    pressure and cause dissociation and nausea, and it is not suitable for everyone.

Not flagged
    Hedged ("may be a reasonably safe option for some", "side effects are usually mild"),
    negated ("is not safe at home"),
    statements about safety procedures ("safety depends on screening", "this ensures each
    dose is given safely"), safety scoped to the uses just named ("safe for those
    procedures"), a comparison reported from one named study ("a head-to-head trial found
    fewer side effects"), fair frequency wording ("not uncommon", "severe nausea is rare"),
    the asking part of a question (a clause granted before it, "While X is safe, ...?", still
    asserts), and "safe" that is not about the treatment ("a safe space").

Knowledge used
    Adverse effects and contraindications recorded for the substance.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import family_regex, indication_label, is_hypothetical, is_rebutted, plain
from claimaudit.rules._rewrite import common_effects, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.safety._phrases import (
    PhraseHit,
    absence_hits,
    denied_harm_hits,
    dependence_hits,
    dose_limited_hits,
    rarity_hits,
    harms_summary,
    is_question,
    may_assert_safety,
    may_promise_absolute_safety,
    minimising_hits,
    phrase_hits,
    subject,
)
from claimaudit.nlp.analysis_cache import compiled

RULE = Rule(
    code="SAFE002",
    name="asserted-safety",
    family=Family.SAFE,
    severity=Severity.WARNING,
    summary="Safety asserted without its risks",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not may_assert_safety(claim, ctx) or is_rebutted(claim) or is_hypothetical(claim):
        return ()  # (cheapest test first: most claims hold no safety wording at all)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if may_promise_absolute_safety(claim) and _asked(
        claim, phrase_hits(claim, "absolute") + phrase_hits(claim, "care_promise")
    ):
        return  # SAFE001's
    substance = subject(claim, ctx)
    if substance is None:
        return
    # harms denied or called rare hold whatever the claim's certainty: the denial is the claim
    denied = (
        absence_hits(claim) + denied_harm_hits(claim, ctx, substance) + rarity_hits(claim, ctx, substance)
        + dose_limited_hits(claim, ctx, substance)
    )
    if dependence_hits(claim):
        denied = ()  # SAFE003's
    denied = _asked(claim, tuple(sorted(denied, key=lambda h: h.start)))
    profile = _asked(claim, phrase_hits(claim, "profile") + minimising_hits(claim)) or denied
    plain_safe = () if profile else _asked(claim, phrase_hits(claim, "safe_word"))
    hits = profile or plain_safe
    if not hits or (claim.certainty < 3 and not denied and not _concessive(claim, hits[0])):
        return
    if _COMPARATIVE.search(hits[0].text) and (claim.studies or claim.citations or _STUDY_REPORT.search(claim.text)):
        return  # a comparison reported from a head-to-head study: CITE/STAT judge the source
    if _scoped_after(claim.text, hits[0].end):
        return  # safety limited to the uses just named ("safe for those conditions")
    harms, evidence = harms_summary(ctx, substance)
    if not harms:
        return
    hit = hits[0]
    conditional = _conditional_after(claim.text, hit.end)
    carried = _carried_over(claim, ctx)
    message = {
        "rarity": f"calls a common side effect rare ('{hit.text}')",
        "denied": f"denies a recorded harm ('{hit.text}')",
        "dose_limited": f"places a common side effect at large doses only ('{hit.text}')",
    }.get(hit.kind, f"asserts '{hit.text}'")
    if carried:
        message += f" from its use in {carried}, carried over to other uses"
    message += f" without the risks: {harms}"
    yield RULE.finding(
        claim,
        message,
        severity=Severity.INFO if conditional and not profile else None,
        evidence=evidence,
        suggestion=table_rewrite(claim, "safety", (hit.start, hit.end), effects=common_effects(ctx, substance)),
        advice=(
            "Describe tolerability with its limits: the common side effects, who should not "
            "receive it, and how patients are monitored."
        ),
        trigger=(claim.norm_start + hit.start, claim.norm_start + hit.end),
    )


_COMPARATIVE = compiled(r"\b(?:fewer|less|safer|gentler|milder|lower)\b", re.I)
# one named study or trial reporting the comparison ("one trial reported", "in the X trial")
_STUDY_REPORT = compiled(
    r"\b(?:(?:a|one|the|this|that)\s+(?:[\w\-]+\s+){0,3}?(?:study|trial|rct)\s+(?:found|showed|reported|demonstrated)"
    r"|\bin\s+the\s+[\w\-]+\s+(?:study|trial))\b",
    re.I,
)
# safety narrowed to uses named just before ("safe ... for those conditions", "for these purposes")
_SCOPED = compiled(
    r"^[^.;]{0,40}?\bfor\s+(?:those|these|such|that|this|its\s+licensed|its\s+approved)\s+"
    r"(?:conditions?|uses?|purposes?|indications?|procedures?)\b",
    re.I,
)
# a conceding clause that grants the safety before turning ("While X has been shown to be safe, ...")
_CONCESSIVE = compiled(r"^\W*(?:while|although|though|even\s+though|whilst)\b[^,;]*$", re.I)


def _asked(claim: Claim, hits: tuple[PhraseHit, ...]) -> tuple[PhraseHit, ...]:
    """The hits outside the asking part of a question."""
    return tuple(h for h in hits if not is_question(claim, h.start))


def _scoped_after(text: str, end: int) -> bool:
    return bool(_SCOPED.search(plain(text[end:])))


def _concessive(claim: Claim, hit: PhraseHit) -> bool:
    """The safety words sit in a granted, asserted clause ahead of the main one; the main
    clause's hedge or question does not weaken them."""
    return bool(_CONCESSIVE.match(plain(claim.text[: hit.start])))


def _conditional_after(text: str, end: int) -> bool:
    """A condition right after the safety word ("safe only when administered ...")."""
    window = plain(text[end : end + 40])
    match = family_regex("safety", "conditional").search(window)
    return bool(match and match.start() <= 12)


def _carried_over(claim: Claim, ctx: RuleContext) -> str:
    """The non-psychiatric use (e.g. anaesthesia) the sentence draws the safety record from."""
    for indication_id in claim.indications:
        record = ctx.kb.indication(indication_id)
        if record is not None and record.category == "anaesthesia":
            return indication_label(ctx, indication_id)
    if "anesthe" in claim.text.casefold() or "anaesthe" in claim.text.casefold():
        return "anaesthesia"
    return ""
