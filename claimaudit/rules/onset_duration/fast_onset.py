"""DUR001 fast-onset: relief promised faster than any measured onset.

What it flags
    Onsets of relief in seconds or minutes ("within minutes", "instant relief", "works
    immediately") for a substance x indication whose earliest measured therapeutic onset in
    the knowledge base is later (typically about an hour or more).

Why it matters
    What happens within minutes of a dose is the acute dissociative phase, not measured
    symptom relief. Promising instant relief sets expectations the trials do not support.

Flagged example
    Most of our clients notice their anxiety melt away within minutes of the infusion.

Use instead
    In small studies, anxiety improved within about an hour to a day of a dose.

Not flagged
    Onsets at or after the measured one ("within hours", "within a day"; a window counted
    after the visit, "within an hour of your session", is read one hour later), negated ones
    ("relief is not instant"), and times that concern side effects or logistics
    ("dissociation fades within minutes", "sessions last 45 minutes").

Knowledge used
    Onset/durability records per substance x indication (earliest measured onset in hours,
    the studies behind it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import indication_label, is_rebutted, source_ref, substance_label
from claimaudit.rules._rewrite import hours_text, table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.onset_duration._time import about_benefit, fast_onsets, records_for

RULE = Rule(
    code="DUR001",
    name="fast-onset",
    family=Family.DUR,
    severity=Severity.WARNING,
    summary="Onset stated faster than measured",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    if not fast_onsets(claim) or is_rebutted(claim):
        return ()  # (no onset phrase)
    return _findings(claim, ctx)


def _findings(claim: Claim, ctx: RuleContext) -> Iterator[Finding]:
    onsets = fast_onsets(claim)
    if not onsets or is_rebutted(claim):
        return
    onsets = tuple(o for o in onsets if about_benefit(claim, o))
    if not onsets:
        return
    records = records_for(claim, ctx)
    if not records:
        return
    record = min(records, key=lambda r: r.onset_min_hours)
    onset = onsets[0]
    if onset.value >= record.onset_min_hours:
        return
    yield RULE.finding(
        claim,
        f"'{onset.text}' promises relief faster than measured: the earliest recorded onset for "
        f"{substance_label(ctx, record.substance)} in {indication_label(ctx, record.indication)} "
        f"is about {hours_text(record.onset_min_hours)}"
        + (f" ({record.summary.rstrip('.')})" if record.summary else ""),
        evidence=[source_ref(record.id, record.summary or record.id, record.sources)],
        suggestion=table_rewrite(
            claim, "onset", (onset.start, onset.end),
            onset="within hours" if record.onset_min_hours < 24 else "within days",
        ),
        advice=(
            f"In studies, improvement was first measured about {hours_text(record.onset_min_hours)} "
            f"after a dose; say 'within {'hours' if record.onset_min_hours < 24 else 'days'}' and name the study."
        ),
        trigger=(claim.norm_start + onset.start, claim.norm_start + onset.end),
    )
