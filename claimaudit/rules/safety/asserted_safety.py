"""SAFE002 asserted-safety: safety asserted without the risks that qualify it.

What it flags
    Plain or boosted statements that a treatment is safe ("ketamine is safe", "a safe
    treatment"), superlatives ("one of the safest"), and safety reputations carried over
    from anaesthesia ("robust safety profile"), reassurance ("nothing to fear"), unsupported
    comparisons ("gentler than", "fewer side effects") and harms played down as a rule ("side
    effects are mild and temporary"). Safety made conditional ("safe when given under
    supervision") is reported at info level.

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
    statements about safety procedures ("safety depends on screening"), and "safe" that is
    not about the treatment ("a safe space").

Knowledge used
    Adverse effects and contraindications recorded for the substance.
"""

from __future__ import annotations

import re

from collections.abc import Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import family_regex, indication_label, is_hypothetical, is_rebutted, plain
from claimaudit.rules._rewrite import common_effects, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.safety._phrases import (
    absence_hits,
    harms_summary,
    is_question,
    minimising_hits,
    phrase_hits,
    subject,
)

RULE = Rule(
    code="SAFE002",
    name="asserted-safety",
    family=Family.SAFE,
    severity=Severity.WARNING,
    summary="Safety asserted without its risks",
)


def check(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    if is_rebutted(claim) or is_question(claim) or is_hypothetical(claim):
        return
    if phrase_hits(claim, "absolute") or phrase_hits(claim, "care_promise"):
        return  # SAFE001's
    absence = () if is_rebutted(claim) else absence_hits(claim)
    profile = phrase_hits(claim, "profile") or minimising_hits(claim) or absence
    plain_safe = () if profile else phrase_hits(claim, "safe_word")
    hits = profile or plain_safe
    if not hits or (claim.certainty < 3 and not absence):
        return
    if (claim.studies or claim.citations) and _COMPARATIVE.search(hits[0].text):
        return  # a comparison with a cited head-to-head study: CITE/STAT judge the source
    substance = subject(claim, ctx)
    if substance is None:
        return
    harms, evidence = harms_summary(ctx, substance)
    if not harms:
        return
    hit = hits[0]
    conditional = _conditional_after(claim.text, hit.end)
    carried = _carried_over(claim, ctx)
    message = f"asserts '{hit.text}'"
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


_COMPARATIVE = re.compile(r"\b(?:fewer|less|safer|gentler|milder|lower)\b", re.I)


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
