"""SAFE001 absolute-safety: safety stated as absolute.

What it flags
    "Completely safe", "proven safe", "risk-free", "no side effects", "does not cause side
    effects", "not addictive", "no risk": safety at the absolute level, whatever the
    surrounding hedges. Promises about the care process ("ensuring your safety") are
    reported at info level.

Why it matters
    No medicine is free of risk. Ketamine and esketamine cause dissociation, raised blood
    pressure, nausea and dizziness, carry misuse potential and, with heavy use, bladder
    damage; some people should not receive them at all. An absolute promise hides this.

Flagged example
    Our ketamine infusions are risk-free and have no side effects.

Use instead
    Ketamine can cause side effects, including dissociation, raised blood pressure and
    nausea; we screen and monitor every patient.

Not flagged
    Negated or rebutted statements ("no treatment is completely safe", "ketamine is not
    risk-free"), questions, and hedged descriptions of side effects ("side effects can
    include nausea").

Knowledge used
    Adverse effects and contraindications recorded for the substance (or the substance it
    derives from), with their sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import is_rebutted
from claimaudit.rules._rewrite import common_effects, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.safety._phrases import (
    PhraseHit,
    harms_summary,
    is_question,
    may_promise_absolute_safety,
    phrase_hits,
    subject,
)
from claimaudit.nlp.analysis_cache import compiled

RULE = Rule(
    code="SAFE001",
    name="absolute-safety",
    family=Family.SAFE,
    severity=Severity.ERROR,
    summary="Safety stated as absolute",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not may_promise_absolute_safety(claim) or is_rebutted(claim):
        return ()  # (cheapest test first: most claims hold no such phrase)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    hits = tuple(h for h in phrase_hits(claim, "absolute") if not is_question(claim, h.start)) or tuple(
        h for h in phrase_hits(claim, "care_promise")
        if not is_question(claim, h.start) and not _staff_at_work(claim.text, h)
    )
    if not hits:
        return
    substance = subject(claim, ctx)
    if substance is None:
        return
    harms, evidence = harms_summary(ctx, substance)
    if not harms:
        return
    hit = hits[0]
    promise = hit.kind == "care_promise"
    yield RULE.finding(
        claim,
        f"'{hit.text}' is an absolute safety {'promise' if promise else 'claim'}; "
        f"it contradicts {harms}",
        severity=Severity.INFO if promise else None,
        evidence=evidence,
        suggestion=None if promise else table_rewrite(
            claim, "safety", (hit.start, hit.end), effects=common_effects(ctx, substance)
        ),
        advice=(
            "State the risks plainly: name the common side effects and who should not receive "
            "the treatment, and say how they are monitored."
        ),
        trigger=(claim.norm_start + hit.start, claim.norm_start + hit.end),
    )


# the people doing the monitoring as the subject of "ensure" ("our nurses ensure your safety"):
# a description of the care process, not a promise about the drug
_STAFF = compiled(
    r"\b(?:staff|team|nurses?|doctors?|physicians?|clinicians?|professionals?|providers?|specialists?|"
    r"anesthesiologists?|anaesthetists?|crnas?|psychiatrists?)\s+(?:will\s+|always\s+|closely\s+|carefully\s+|can\s+)?$",
    re.I,
)


def _staff_at_work(text: str, hit: PhraseHit) -> bool:
    return hit.text.casefold().startswith("ensur") and bool(_STAFF.search(text[max(0, hit.start - 60) : hit.start]))
