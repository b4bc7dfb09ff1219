"""Trigger spans: the words inside a claim that made a rule fire ("FDA-approved", "no side effects").

A rule may give the trigger's normalized-text offsets (`Finding.trigger_norm`). Otherwise the
trigger is the first phrase the message quotes ('within minutes' ...) that occurs in the claim,
else the claim's whole span. Document-level findings (DISC) trigger on their own span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields
from operator import attrgetter
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.prefilter import fold
from claimaudit.findings.model import Finding

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim
    from claimaudit.findings.model import SourceSpan
    from claimaudit.ingest.source import NormalizedDocument

# a phrase in single or typographic quotes; an apostrophe inside a word ("patient's") is not a quote
# (the quote first, then the look behind it: the search skips to the quote characters)
_QUOTED = compiled(r"['\u2018](?<!\w.)([^'\u2018\u2019]{2,120}?)['\u2019](?!\w)", re.S)


def _fold(text: str) -> str:
    """Case-folded as the rules' patterns fold (`prefilter.fold`: "İ" is "i", one character for
    one), typographic quotes and dashes made plain; the same length as `text`."""
    return (
        fold(text).replace("\u2019", "'").replace("\u2018", "'")
        .replace("\u2013", "-").replace("\u2011", "-").replace("\u2010", "-")
    )


def quoted_phrases(message: str) -> tuple[str, ...]:
    """The phrases a message quotes, in order."""
    return tuple(m.group(1).strip() for m in _QUOTED.finditer(message) if m.group(1).strip())


def find_trigger(claim: "Claim", message: str) -> tuple[int, int] | None:
    """Normalized offsets of the first quoted phrase of `message` that occurs in the claim."""
    haystack = _fold(claim.text)
    for phrase in quoted_phrases(message):
        needle = _fold(" ".join(phrase.split()))
        index = haystack.find(needle)
        if index < 0:
            # the message may have collapsed whitespace; match on any run of spaces
            found = find_spaced(haystack, needle.split())
            if found is None:
                continue
            return claim.norm_start + found[0], claim.norm_start + found[1]
        return claim.norm_start + index, claim.norm_start + index + len(needle)
    return None


def find_spaced(haystack: str, words: list[str]) -> tuple[int, int] | None:
    """The span of `re.search(r"\\s+".join(map(re.escape, words)), haystack)` for words without
    whitespace, found without compiling a pattern for them (one per message): the first place
    where the words follow each other, each after a whole run of whitespace (`str.isspace`,
    what `\\s` matches in a str pattern; the run must be whole, as the next word cannot start
    with a space)."""
    if not words:
        return (0, 0)
    first, rest = words[0], words[1:]
    at = haystack.find(first)
    while at >= 0:
        end = _spaced_rest(haystack, at + len(first), rest)
        if end >= 0:
            return at, end
        at = haystack.find(first, at + 1)
    return None


def _spaced_rest(haystack: str, position: int, words: list[str]) -> int:
    """Where `words` end when each follows a run of whitespace from `position` on; -1 if not."""
    size = len(haystack)
    for word in words:
        start = position
        while position < size and haystack[position].isspace():
            position += 1
        if position == start or not haystack.startswith(word, position):
            return -1
        position += len(word)
    return position


def resolve_triggers(
    findings: Iterable[Finding], claims: Iterable["Claim"], document: "NormalizedDocument"
) -> list[Finding]:
    """Every finding with `trigger` and `trigger_text` set (source spans)."""
    by_id: Mapping[str, "Claim"] = {c.id: c for c in claims}
    source = document.source.text
    out = []
    for finding in findings:
        if finding.trigger is not None:
            out.append(finding)
            continue
        offsets = finding.trigger_norm
        claim = by_id.get(finding.claim_id or "")
        if offsets is None and claim is not None:
            offsets = find_trigger(claim, finding.message)
        if offsets is not None and claim is not None:
            # a trigger stays inside the claim it belongs to
            low, high = claim.norm_start, claim.norm_end
            offsets = (max(low, min(offsets[0], high)), max(low, min(offsets[1], high)))
        span = document.offsets.span(*offsets) if offsets and offsets[1] > offsets[0] else finding.span
        out.append(with_trigger(finding, span, source[span.start : span.end]))
    return out


# Finding's constructor arguments in order, and where the two trigger fields sit among them
_ARGUMENTS = tuple(f.name for f in fields(Finding) if f.init)
_VALUES = attrgetter(*_ARGUMENTS)
_TRIGGER_AT, _TRIGGER_TEXT_AT = _ARGUMENTS.index("trigger"), _ARGUMENTS.index("trigger_text")


def with_trigger(finding: Finding, span: "SourceSpan", text: str) -> Finding:
    """`dataclasses.replace(finding, trigger=span, trigger_text=text)`, without looking up the
    fields again for each finding."""
    values = list(_VALUES(finding))
    values[_TRIGGER_AT], values[_TRIGGER_TEXT_AT] = span, text
    return Finding(*values)
