"""Time phrases in a claim (fast onsets, explicit and implied durations) and the knowledge-base
onset/durability records they are judged against. Pure functions, shared by the DUR rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.model import Claim
from claimaudit.nlp.prefilter import fast, folded
from claimaudit.rules._pattern_table import RULE_LITERALS, PatternTable, WordStartGate
from claimaudit.rules._helpers import family_regex, load_patterns, negated_before, plain, plain_text

if TYPE_CHECKING:
    from claimaudit.knowledge_base.model import OnsetDurability
    from claimaudit.rules.base import RuleContext

_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "min": 1 / 1440, "hour": 1 / 24, "day": 1.0,
         "week": 7.0, "month": 30.0, "year": 365.0}
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "several": 3,
                 "a few": 2, "a couple of": 2, "many": 3}
_NUMBER = r"(?:\d+(?:\.\d+)?|a couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many)"
_UNIT = r"(?:second|minute|min|hour|day|week|month|year)s?"
# "for up to a year", "lasting 2-3 weeks", "persist for days to weeks", "for months"
_EXPLICIT = fast(compiled(
    r"\b(?:for|up\s+to|last(?:s|ed|ing)?|persist(?:s|ed|ing)?|sustain(?:s|ed)?|remain(?:s|ed)?|"
    r"stay(?:s|ed)?|through|over)\s+(?:for\s+)?(?:up\s+to\s+)?(?:about\s+|around\s+|approximately\s+|~\s*)?"
    r"(?:(?P<n>" + _NUMBER + r")\s*(?:(?:-|\u2013|to)\s*(?P<n2>" + _NUMBER + r")\s*)?(?P<unit>" + _UNIT + r")"
    r"|(?P<bare>days|weeks|months|years)(?:\s+(?:to|or|and)\s+(?:even\s+|sometimes\s+|possibly\s+)?(?P<bare2>weeks|months|years))?)\b",
    re.IGNORECASE,
))
UNBOUNDED_DAYS = 100000.0  # "permanently", "for good": no end at all
_BARE_DAYS = {"days": 3.0, "weeks": 14.0, "months": 90.0, "years": 730.0}  # "for months": several


@dataclass(frozen=True, slots=True)
class TimePhrase:
    text: str
    start: int  # index into claim.text
    end: int
    value: float  # hours for onsets, days for durations


def fast_onsets(claim: Claim) -> tuple[TimePhrase, ...]:
    if not _gates(claim.text)[0]:
        return ()  # no onset pattern can match
    return _fast_onsets(claim.text)


@lru_cache(maxsize=256)  # both DUR rules ask about each claim
def _gates(original: str) -> tuple[bool, bool, bool]:
    """Whether a fast onset, a qualitative duration, a unit of an explicit duration may be in
    the claim text: one scan for the family's literals answers each table's own gate."""
    haystack = folded(plain_text(original))
    present = RULE_LITERALS.present(haystack)
    onset_gate = _onset_gate()
    return (
        not _onset_table()[0].closed(present, haystack) and (onset_gate is None or onset_gate.may_match(haystack)),
        not _qualitative_table()[0].closed(present, haystack),
        not present.isdisjoint(_UNITS),
    )


def _present(original: str) -> frozenset[str]:
    """The family literals in a claim text (its plain form, folded), with other families': one
    scan (RULE_LITERALS)."""
    return RULE_LITERALS.present(folded(plain_text(original)))


def _family_literals() -> tuple[str, ...]:
    """The literals the DUR gates look for: the onset and qualitative tables', the units."""
    return (*_onset_table()[0].gate_literals(), *_qualitative_table()[0].gate_literals(), *_UNITS)


@lru_cache(maxsize=256)  # DUR rules ask about the same claims
def _fast_onsets(original: str) -> tuple[TimePhrase, ...]:
    text = plain_text(original)
    found = []
    table, values = _onset_table()
    for index in table.candidates(text, _present(original)):
        hours = values[index]
        for match in table.patterns[index].finditer(text):
            if not negated_before(text, match.start()):
                if hours >= 1.0 and _AFTER_DOSING.match(text, match.end()):
                    hours += _AFTER_DOSING_HOURS  # a time window, not "instantly after"
                found.append(TimePhrase(original[match.start():match.end()], match.start(), match.end(), hours))
    return tuple(sorted(found, key=lambda p: (p.value, p.start)))


# an onset counted from the end of the dosing visit ("within an hour of your session"):
# trial onsets are timed from the start of a dose given over about 40 minutes, then observed
_AFTER_DOSING = fast(compiled(
    r"\s+(?:after|following|of\s+finishing|of\s+completing)\s+(?:the|your|their|an?|each)\s+"
    r"(?:first\s+)?(?:infusion|session|treatment|appointment)\b",
    re.I,
))
_AFTER_DOSING_HOURS = 1.0


def explicit_durations(claim: Claim) -> tuple[TimePhrase, ...]:
    """Benefit durations written out in the claim, in days (upper end of a range)."""
    text = plain_text(claim.text)
    found = []
    # (may_state_duration is the table's gate: its one pattern is run when a unit may be there)
    stated = _gates(claim.text)[2] and may_state_duration(text)
    for _, match in (_explicit_table().finditer(text, (0,)) if stated else ()):
        if _FOLLOW_UP.search(text[max(0, match.start() - 30) : match.start()]):
            continue  # a study's observation window ("follow-up of up to a year"), not a benefit
        if match.group("bare"):
            unit = match.group("bare2") or match.group("bare")
            days = _BARE_DAYS[unit.lower()]
        else:
            unit = match.group("unit").lower().rstrip("s")
            number = match.group("n2") or match.group("n")
            days = _number(number) * _DAYS[unit]
        found.append(TimePhrase(claim.text[match.start():match.end()], match.start(), match.end(), days))
    for quantity in claim.quantities:
        if quantity.kind == "duration" and quantity.unit:
            unit = quantity.unit.lower().rstrip("s")
            if unit in _DAYS and _DAYS[unit] >= 1:
                start = max(0, quantity.start - claim.norm_start)
                days = (quantity.upper or quantity.value) * _DAYS[unit]
                if not any(p.start <= start < p.end for p in found) and _is_benefit_span(text, start):
                    found.append(TimePhrase(quantity.text, start, start + len(quantity.text), days))
    return tuple(found)


_UNITS = ("second", "min", "hour", "day", "week", "month", "year")  # each unit of _UNIT starts with one
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
# a number word written against its unit ("a fewdays"), after the space, dash or "to" before it
_NUMBER_END = compiled(r"[\s~\-\u2013o](?:" + _NUMBER + r")\Z")


def may_state_duration(text: str) -> bool:
    """False only when _EXPLICIT cannot match in `text`: its unit ("min", "day" ...) starts
    a word or follows a number word, never inside a word such as "ketamine"."""
    haystack = folded(text)
    for unit in _UNITS:
        at = haystack.find(unit)
        while at >= 0:
            before = haystack[at - 1] if at else ""
            if not before or before not in _LETTERS:
                return True
            if before in _NUMBER_LAST and (before != "a" or _after_a_number(haystack, at - 1)) and _NUMBER_END.search(
                haystack, max(0, at - 13), at
            ):
                return True
            at = haystack.find(unit, at + 1)
    return False


# the last letters of _NUMBER's words ("a couple of", "a few", "an", "one" ... "many"): a unit
# after any other letter ("ketamine") follows no number word
_NUMBER_LAST = frozenset("fwanoerxtly")


def _after_a_number(haystack: str, at: int) -> bool:
    """The "a" at `at` may be the number word "a" as _NUMBER_END has it: after a space, "~",
    a dash or "o" (the only number word ending in "a" is "a" itself)."""
    before = haystack[at - 1] if at else ""
    return bool(before) and (before.isspace() or before in "~-\u2013o")


_FOLLOW_UP = fast(compiled(r"\bfollow[\s\-]?ups?\b(?:\s+(?:period|periods|visits?|assessments?))?(?:\s+(?:of|at|to|lasting))?\s*$", re.I))
_ANY_FOLLOW_UP = fast(compiled(r"\bfollow[\s\-]?ups?\b", re.I))


def qualitative_durations(claim: Claim) -> tuple[TimePhrase, ...]:
    if not _gates(claim.text)[1]:
        return ()  # no qualitative pattern can match
    return _qualitative_durations(claim.text)


@lru_cache(maxsize=256)
def _qualitative_durations(original: str) -> tuple[TimePhrase, ...]:
    text = plain_text(original)
    if _ANY_FOLLOW_UP.search(text):
        return ()  # a study report with its own observation window: its explicit numbers are judged
    found = []
    table, values = _qualitative_table()
    for index in table.candidates(text, _present(original)):
        days = values[index]
        for match in table.patterns[index].finditer(text):
            if negated_before(text, match.start()) or _locally_hedged(text, match.start()):
                continue
            found.append(TimePhrase(original[match.start():match.end()], match.start(), match.end(), days))
    return tuple(sorted(found, key=lambda p: p.start))


_CLAUSE = compiled(r"[;.:!?]|\s(?:and|but|while|whereas)\s|[,\u2013\u2014]\s*which\b", re.I)
_PRONOUN = compiled(r"\b(?:they|it|these|those|this|that)\b", re.I)
_AT_RISK = fast(compiled(r"\bat[\s\-]+(?:high\s+|higher\s+|increased\s+)?risk\b", re.I))


def about_benefit(claim: Claim, phrase: TimePhrase | None = None) -> bool:
    """The time statement concerns the benefit, not side effects or logistics (judged on the
    clause around `phrase` when given, else on the whole claim)."""
    text = plain_text(claim.text)
    if phrase is not None:
        before = [m.end() for m in _CLAUSE.finditer(text, 0, phrase.start)]
        after = _CLAUSE.search(text, phrase.end)
        start = before[-1] if before else 0
        if before and len(text[start:phrase.end].split()) <= 3:
            # an afterthought ("..., and almost immediately") leans on the clause before it
            start = before[-2] if len(before) > 1 else 0
        clause = text[start : (after.start() if after else len(text))]
        if before and _PRONOUN.search(clause) and not _words("benefit_words").search(clause):
            # "the benefits build, and they become permanent": the pronoun carries the benefit
            clause = text[(before[-2] if len(before) > 1 else 0) : (after.start() if after else len(text))]
        text = clause
    text = _AT_RISK.sub(" ", text)  # "people at risk of suicide" names who, not a side effect
    if _words("not_benefit").search(text):
        return False
    if any(m.kind == "adverse_effect" and plain(m.text) in text for m in claim.mentions):
        return False
    return bool(_words("benefit_words").search(text))


def mentions_maintenance(claim: Claim) -> bool:
    return bool(_words("maintenance").search(plain_text(claim.text)))


def records_for(claim: Claim, ctx: "RuleContext", *, any_indication: bool = False) -> tuple["OnsetDurability", ...]:
    """Onset/durability records for the claim's substances x the indications it is about.

    A sentence that names no indication ("These benefits last for weeks") is read in its
    context, first match wins: the indications of the nearest earlier claims in the same
    section, the page's topic indication, the indications named anywhere on the page, and
    finally every record of the substance. The rules take the most generous of the records
    found, so a wider context can only make them more lenient. `any_indication` also falls
    back to every record when the named indications have none (used for endless durations
    such as "permanently", which no record supports whatever the indication)."""
    substances = claim.subject_substances
    for indications in _context_indications(claim, ctx):
        found = _records(ctx, substances, indications)
        if found:
            return found
    if substances and (any_indication or not claim.indications):
        family = {member for s in substances for member in ctx.kb.substance_family(s)}
        return tuple(r for r in ctx.kb.kb.onset_durability.values() if r.substance in family)
    return ()


def unrecorded_indication(claim: Claim, ctx: "RuleContext") -> str | None:
    """The indication the claim is about (named, else its nearest context) when the knowledge
    base knows it but records no onset/durability for the substance or any parent use."""
    substances = claim.subject_substances
    options = _context_indications(claim, ctx)
    if not substances or not options:
        return None
    first = options[0]
    if _records(ctx, substances, tuple(a for i in first for a in ctx.kb.indication_ancestors(i))):
        return None
    known = [i for i in first if ctx.kb.indication(i) is not None]
    return known[0] if known and len(known) == len(first) else None


def _records(ctx: "RuleContext", substances: tuple[str, ...], indications: tuple[str, ...]) -> tuple["OnsetDurability", ...]:
    found: dict[str, OnsetDurability] = {}
    for substance in substances:
        for indication in indications:
            record = ctx.kb.onset_durability_for(substance, indication)
            if record is not None:
                found.setdefault(record.id, record)
    return tuple(found.values())


_CONTEXT_WINDOW = 2  # earlier claims of the same section a sentence may lean on


def _context_indications(claim: Claim, ctx: "RuleContext") -> tuple[tuple[str, ...], ...]:
    if claim.indications:
        return (claim.indications,)
    options: list[tuple[str, ...]] = []
    for previous in reversed(ctx.earlier_in_section(claim, _CONTEXT_WINDOW)):
        if previous.indications:
            options.append(previous.indications)
            break
    if claim.topic_indication:
        options.append((claim.topic_indication,))
    if ctx.facts is not None and ctx.facts.indications:
        options.append(tuple(ctx.facts.indications))
    return tuple(options)


_SINGLE = fast(compiled(r"\b(?:a\s+single|one|a)\s+(?:dose|infusion|injection|treatment|session|spray)\b", re.I))


def longest_days(record: "OnsetDurability", claim: Claim | None = None) -> float:
    """The longest recorded benefit: after one dose when the claim speaks of one dose,
    else after a course (whichever is longer)."""
    if claim is not None and _SINGLE.search(plain_text(claim.text)):
        return record.single_dose_max_days
    return max(record.single_dose_max_days, record.course_max_days or 0.0)


def describe_days(days: float) -> str:
    if days >= UNBOUNDED_DAYS:
        return "permanently"
    if days >= 60:
        return f"about {round(days / 30)} months"
    if days >= 14:
        return f"about {round(days / 7)} weeks"
    if days >= 1:
        return "1 day" if days == 1 else f"{days:g} days"
    hours = days * 24
    return "1 hour" if hours == 1 else f"{hours:g} hours"


# ---------------------------------------------------------------- private helpers


def _number(text: str) -> float:
    key = text.lower().strip()
    if key in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[key])
    return float(key)


def _is_benefit_span(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    return bool(_BENEFIT_SPAN.search(window))


_BENEFIT_SPAN = fast(compiled(r"\b(?:last|lasting|persist|sustain|remain|for\s+up\s+to|up\s+to|for)\b", re.I))


def _locally_hedged(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    return any(p.search(window) for p in _hedge_patterns())


@cache
def _onset_patterns() -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple(
        (fast(compiled(str(p), re.IGNORECASE)), float(v))
        for p, v in load_patterns("onset_duration").get("fast_onset_regex", [])
    )


@cache
def _qualitative_patterns() -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple(
        (fast(compiled(str(p), re.IGNORECASE)), float(v))
        for p, v in load_patterns("onset_duration").get("qualitative_regex", [])
    )


@cache
def _explicit_table() -> PatternTable:
    return PatternTable([_EXPLICIT])


@cache
def _onset_table() -> tuple[PatternTable, tuple[float, ...]]:
    return PatternTable(p for p, _ in _onset_patterns()), tuple(v for _, v in _onset_patterns())


@cache
def _onset_gate() -> WordStartGate | None:
    """One search that finds where an onset pattern may match (the literals alone let through
    texts with "end" inside "recommend" or any digit)."""
    return WordStartGate.build(_onset_table()[0].patterns)


@cache
def _qualitative_table() -> tuple[PatternTable, tuple[float, ...]]:
    return PatternTable(p for p, _ in _qualitative_patterns()), tuple(v for _, v in _qualitative_patterns())


@cache
def _hedge_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(fast(compiled(str(p), re.IGNORECASE)) for p in load_patterns("onset_duration").get("local_hedge_regex", []))


@cache
def _words(key: str) -> re.Pattern[str]:
    """A phrase list of onset_duration.yaml, behind the literal prefilter."""
    return fast(family_regex("onset_duration", key))


RULE_LITERALS.register(_family_literals)
