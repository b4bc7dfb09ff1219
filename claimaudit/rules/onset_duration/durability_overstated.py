"""DUR002 durability-overstated: benefit said to last longer than recorded.

What it flags
    Durations of benefit beyond the knowledge base's recorded ranges: explicit ones ("for up
    to a year", "for months") and implied ones ("lasting results", "long-term improvement",
    "permanent", "results stick", "never need another session"), compared with the longest benefit recorded after a single dose or a course
    without maintenance. "Long-lasting" for an effect the same sentence puts at days to weeks
    is reported at info level, as is a durability of two months or more ("lasting relief")
    for a use the knowledge base knows but records no durability for.

Why it matters
    Single-dose effects typically fade within days to a couple of weeks, and relapse after a
    course is common. Promising lasting change misleads readers about cost, repeat
    treatment and risk.

Flagged example
    One short course of infusions gives most people permanent freedom from panic.

Use instead
    Benefits after a single dose usually last days to about two weeks; many people need
    repeated or maintenance treatment, and long-term data are limited.

Not flagged
    Durations within the recorded range ("benefits lasting up to a week"), hedged wording
    ("may offer the potential for longer relief"), a study's follow-up window ("over a
    follow-up of up to a year"), "lasting" beside a duration of the same sentence that backs
    it, bounded statements about maintenance dosing
    (an endless one, "with maintenance, results last indefinitely", is flagged), and durations
    of side effects. A sentence that names no indication is judged in its context (earlier
    sentences of its section, the page topic), against the most generous record.

Knowledge used
    Onset/durability records per substance x indication: longest benefit after one dose and
    after a course, the studies behind them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.rules._helpers import indication_label, is_rebutted, source_ref, substance_label
from claimaudit.rules._rewrite import table_rewrite
from claimaudit.rules.base import Rule, RuleContext
from claimaudit.rules.onset_duration._time import (
    UNBOUNDED_DAYS,
    TimePhrase,
    about_benefit,
    describe_days,
    explicit_durations,
    longest_days,
    mentions_maintenance,
    qualitative_durations,
    records_for,
    unrecorded_indication,
)

_GAP_MIN_DAYS = 60.0  # "lasting", "for months": a durability claim worth a record

RULE = Rule(
    code="DUR002",
    name="durability-overstated",
    family=Family.DUR,
    severity=Severity.WARNING,
    summary="Durability stated beyond the recorded range",
)


def check(claim: Claim, ctx: RuleContext) -> Iterable[Finding]:
    qualitative = qualitative_durations(claim)
    explicit = explicit_durations(claim)
    if not (qualitative or explicit) or is_rebutted(claim):
        return ()  # no time phrase: neither check below can report
    return _findings(claim, ctx, qualitative, explicit)


def _findings(
    claim: Claim, ctx: RuleContext, qualitative: tuple[TimePhrase, ...], explicit: tuple[TimePhrase, ...]
) -> Iterator[Finding]:
    qualitative = tuple(p for p in qualitative if about_benefit(claim, p))
    explicit = tuple(p for p in explicit if about_benefit(claim, p))
    maintenance = mentions_maintenance(claim)
    judged = list(_judged(claim, ctx, qualitative, explicit, maintenance))
    yield from judged or _unrecorded(claim, ctx, qualitative, explicit, maintenance)


def _unrecorded(
    claim: Claim, ctx: RuleContext, qualitative: tuple[TimePhrase, ...], explicit: tuple[TimePhrase, ...],
    maintenance: bool,
) -> Iterator[Finding]:
    """A durability claim (about two months or more) for a use the knowledge base knows but
    records no durability for: reported at info, as nothing supports it. The phrases are the
    claim's benefit durations, the claim not rebutted."""
    if maintenance:
        return
    longest = max((p.value for p in qualitative + explicit), default=0.0)
    if not _GAP_MIN_DAYS <= longest < UNBOUNDED_DAYS:
        return
    gap = unrecorded_indication(claim, ctx)
    if gap is not None:
        phrase = max(qualitative + explicit, key=lambda p: p.value)
        yield RULE.finding(
            claim,
            f"'{phrase.text}': no durability of benefit is recorded for "
            f"{substance_label(ctx, claim.subject_substances[0])} in {indication_label(ctx, gap)}",
            severity=Severity.INFO,
            advice="Say that how long any benefit lasts has not been measured for this use.",
            trigger=(claim.norm_start + phrase.start, claim.norm_start + phrase.end),
        )


def _judged(
    claim: Claim, ctx: RuleContext, qualitative: tuple[TimePhrase, ...], explicit: tuple[TimePhrase, ...],
    maintenance: bool,
) -> Iterator[Finding]:
    if maintenance:
        # ongoing dosing can keep an effect going, but not without end ("results last
        # indefinitely with our maintenance plan" is still a promise no study has measured)
        qualitative = tuple(p for p in qualitative if p.value >= UNBOUNDED_DAYS)
        explicit = ()
    if not (qualitative or explicit):
        return
    records = records_for(claim, ctx)
    if not records and any(p.value >= UNBOUNDED_DAYS for p in qualitative):
        records = records_for(claim, ctx, any_indication=True)
    if not records:
        return
    record = max(records, key=lambda r: longest_days(r, claim))
    limit = longest_days(record, claim)
    evidence = [source_ref(record.id, record.summary or record.id, record.sources)]
    where = f"{substance_label(ctx, record.substance)} in {indication_label(ctx, record.indication)}"
    recorded = f"the longest recorded benefit for {where} is {describe_days(limit)}"
    uncovered = [i for i in claim.indications if not any(r.indication in ctx.kb.indication_ancestors(i) for r in records)]
    if uncovered and len(uncovered) == len(claim.indications):
        recorded += (
            f" (no record covers {indication_label(ctx, uncovered[0])}; this is the longest for "
            "any recorded use)"
        )
    advice = (
        f"Say how long benefit was measured to last ({describe_days(limit)} in studies) and that "
        "repeated or maintenance treatment is often needed."
    )
    longest_explicit = max(explicit, key=lambda p: p.value, default=None)
    if longest_explicit is not None and longest_explicit.value > limit * 1.5:
        yield RULE.finding(
            claim, f"'{longest_explicit.text}': {recorded}", evidence=evidence, advice=advice,
            suggestion=_rewrite(claim, longest_explicit, limit),
            trigger=(claim.norm_start + longest_explicit.start, claim.norm_start + longest_explicit.end),
        )
        return
    if not qualitative:
        return
    phrase = qualitative[0]
    if longest_explicit is not None:
        if longest_explicit.value >= phrase.value:
            return  # the sentence's own duration backs the adjective; it was judged above
        yield RULE.finding(
            claim,
            f"'{phrase.text}' for an effect the sentence itself puts at {longest_explicit.text}; {recorded}",
            severity=Severity.INFO,
            evidence=evidence,
            advice=advice,
            suggestion=_rewrite(claim, phrase, limit),
            trigger=(claim.norm_start + phrase.start, claim.norm_start + phrase.end),
        )
        return
    if phrase.value > limit * 1.5:
        yield RULE.finding(
            claim, f"'{phrase.text}': {recorded}", evidence=evidence, advice=advice,
            suggestion=_rewrite(claim, phrase, limit),
            trigger=(claim.norm_start + phrase.start, claim.norm_start + phrase.end),
        )


def _rewrite(claim: Claim, phrase: "TimePhrase", limit: float) -> str | None:
    """The duration replaced by the longest recorded one ("for up to about 2 weeks")."""
    if limit >= UNBOUNDED_DAYS:
        return None
    return table_rewrite(claim, "duration", (phrase.start, phrase.end), limit=describe_days(limit))
