"""Building suggestions: the flagged sentence rewritten at the supported level.

A suggestion is one well-formed sentence that can replace the claim's span as it stands. Rules
build it by substituting the words that triggered them (`replace_range`) or, where the claim's
wording cannot be kept (an approval the regulator never granted), by writing the sentence from the
knowledge base. `sentence_or_none` is the last check every rewrite passes through: a rewrite that
is not one well-formed sentence is not offered (the finding still carries its advice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp import prefilter

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim
    from claimaudit.rules._pattern_table import PatternTable
    from claimaudit.rules.base import RuleContext

# abbreviations whose full stop does not end a sentence
_ABBREVIATIONS = compiled(
    r"(?:\bet al|\be\.g|\bi\.e|\bvs|\bDr|\bMr|\bMrs|\bMs|\bProf|\bSt|\bNo|\bFig|\bapprox|\bcf|\betc|\b[A-Z])\.$"
)
_INSIDE_END = compiled(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_LEFTOVERS = compiled(r"\{|\}|\(s\)|\n|\s{2,}|\s[,.;:!?]|[,;:]{2,}|\.\.(?!\.)|^\W*$|\bNone\b")
_CLOSERS = "\"'\u201d\u2019)]"
# what some alternative of _LEFTOVERS needs (below): a space before a space or a mark, two marks
_SPACE_BEFORE_MARK = compiled(r"\s[\s,.;:!?]")
_TWO_MARKS = compiled(r"[,;:][,;:]")
_WORD_CHARACTER = compiled(r"\w")


def _may_hold_leftovers(text: str) -> bool:
    """False only when _LEFTOVERS cannot match in `text`: each of its alternatives needs one of
    these (a brace, "(s)", a line break, "..", "None", a space before a space or mark, two
    marks in a row, or no word character at all for `^\\W*$`). Cheaper than its search, whose
    `^` and `\\b` alternatives are tried at every position."""
    return (
        "{" in text or "}" in text or "(s)" in text or "\n" in text or ".." in text or "None" in text
        or _SPACE_BEFORE_MARK.search(text) is not None or _TWO_MARKS.search(text) is not None
        or _WORD_CHARACTER.search(text) is None
    )


def _ends_sentence(text: str) -> bool:
    """A full stop, question or exclamation mark, then only closing quotes or brackets, at the
    end of `text` (the search [.!?][closers]*$ for a text that does not end with a line break)."""
    return text.rstrip(_CLOSERS)[-1:] in (".", "!", "?")


def one_sentence_problems(text: str) -> list[str]:
    """Why `text` is not one well-formed sentence ([] when it is)."""
    problems: list[str] = []
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    if stripped != text:
        problems.append("leading or trailing whitespace")
    first = stripped.lstrip("\"'\u201c\u2018(")
    if first and not (first[0].isupper() or first[0].isdigit()):
        problems.append("does not start with a capital letter")
    if not _ends_sentence(stripped):  # stripped: no line break at its end
        problems.append("does not end with a full stop, question or exclamation mark")
    for match in _INSIDE_END.finditer(stripped):
        before = stripped[: match.start() + 1]
        if not _ABBREVIATIONS.search(before):
            problems.append(f"more than one sentence (break after {before[-20:]!r})")
            break
    leftover = _LEFTOVERS.search(stripped) if _may_hold_leftovers(stripped) else None
    if leftover:
        problems.append(f"malformed text {leftover.group(0)!r}")
    for opening, closing in ("()", "[]"):
        if stripped.count(opening) != stripped.count(closing):
            problems.append(f"unbalanced {opening}{closing}")
    return problems


def is_one_sentence(text: str) -> bool:
    return not one_sentence_problems(text)


_SPACE_BEFORE = compiled(r"\s+([,.;:!?)])")
_SPACE_AFTER_PAREN = compiled(r"\(\s+")
_REPEATED_MARKS = compiled(r"([,;:])(?:\s*[,;:])+")
_MARK_BEFORE_END = compiled(r"[,;:]\s*([.!?])")
# where one of the four repairs above applies (one search: the text is left as is elsewhere)
_NEEDS_REPAIR = compiled(r"\s[,.;:!?)]|\(\s|[,;:]\s*[,;:.!?]")
_A_TO_AN = compiled(r"\b([Aa]) (?=[aeioAEIO]|u(?!s|ni|ti|k))")
_AN_TO_A = compiled(r"\b([Aa])n (?=[b-df-gj-np-tv-zB-DF-GJ-NP-TV-Z])")


def tidy(text: str) -> str:
    """Spacing and punctuation repaired after a substitution; first letter capitalised; ends
    with a full stop."""
    text = " ".join(text.split())
    if _NEEDS_REPAIR.search(text):  # most texts have no space before a comma, no ",."
        text = _SPACE_BEFORE.sub(r"\1", text)
        text = _SPACE_AFTER_PAREN.sub("(", text)
        text = _REPEATED_MARKS.sub(r"\1", text)
        text = _MARK_BEFORE_END.sub(r"\1", text)
    if "a " in text or "A " in text:
        text = _A_TO_AN.sub(r"\1n ", text)
    if "an " in text or "An " in text:
        text = _AN_TO_A.sub(r"\1 ", text)
    text = text.strip(" ,;:")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and not _ends_sentence(text):  # (no line break left in it)
        text = text.rstrip(" .,;:") + "."
    return text


def replace_range(claim: "Claim", start: int, end: int, replacement: str) -> str:
    """The claim's text with normalized offsets [start, end) replaced, tidied into a sentence."""
    low = max(0, start - claim.norm_start)
    high = max(low, min(len(claim.text), end - claim.norm_start))
    return tidy(claim.text[:low] + replacement + claim.text[high:])


def replace_ranges(claim: "Claim", edits: Sequence[tuple[int, int, str]]) -> str:
    """Several non-overlapping replacements (normalized offsets) at once."""
    text = claim.text
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        low = max(0, start - claim.norm_start)
        high = max(low, min(len(text), end - claim.norm_start))
        text = text[:low] + replacement + text[high:]
    return tidy(text)


def sentence_or_none(text: str | None) -> str | None:
    """The rewrite when it is one well-formed sentence, else None."""
    if not text:
        return None
    return text if is_one_sentence(text) else None


def join_and(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    shown = [i for i in dict.fromkeys(items) if i]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 known adverse effect', '15 known adverse effects'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def hours_text(hours: float) -> str:
    """A duration in hours in words: '30 minutes', '1 hour', '2.5 hours', '3 days'."""
    if hours < 1:
        minutes = round(hours * 60)
        return plural(minutes, "minute")
    if hours >= 48 and hours % 24 == 0:
        return plural(int(hours // 24), "day")
    value = f"{hours:g}"
    return f"{value} hour" if value == "1" else f"{value} hours"


@cache
def _rewrite_table(family: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    from claimaudit.rules._helpers import load_patterns

    entries = load_patterns("rewrites").get(family, []) or []
    if not isinstance(entries, list):
        raise ValueError(f"claimaudit/nlp/patterns/rewrites.yaml: {family!r} must be a list")
    table = []
    for entry in entries:
        if not isinstance(entry, dict) or "match" not in entry or "replace" not in entry:
            raise ValueError(f"claimaudit/nlp/patterns/rewrites.yaml: {family}: each entry needs match and replace")
        table.append((prefilter.fast(compiled(str(entry["match"]), re.IGNORECASE)), str(entry["replace"])))
    return tuple(table)


@cache
def _rewrite_patterns(family: str) -> "PatternTable":
    """The family's rewrite patterns as a table: one literal scan tells which may match."""
    from claimaudit.rules._pattern_table import PatternTable

    return PatternTable(pattern for pattern, _ in _rewrite_table(family))


def table_rewrite(
    claim: "Claim", family: str, near: tuple[int, int] | None = None, **values: str
) -> str | None:
    """The claim rewritten by the family's rewrite table: each entry replaces its first match
    that does not overlap an earlier entry's; one replacement must overlap `near` (offsets into
    claim.text) when given. None when nothing applies or the result is not one sentence."""
    from claimaudit.rules._helpers import plain

    text = plain(claim.text)
    edits: list[tuple[int, int, str]] = []
    entries, table = _rewrite_table(family), _rewrite_patterns(family)
    for index in table.candidates(text):  # the entries whose patterns may match, in order
        template = entries[index][1]
        for match in table.patterns[index].finditer(text):
            if any(match.start() < end and start < match.end() for start, end, _ in edits):
                continue
            try:
                filled = template.format(**values)
                # a template without a backslash names no group: expand would return it as is
                replacement = match.expand(filled) if "\\" in filled else filled
            except (KeyError, IndexError, re.error):
                break
            if match.start() == 0:
                replacement = replacement[:1].upper() + replacement[1:]
            edits.append((match.start(), match.end(), replacement))
            break
    if not edits:
        return None
    if near is not None and not any(start < near[1] and near[0] < end for start, end, _ in edits):
        return None
    result = claim.text
    for start, end, replacement in sorted(edits, reverse=True):
        result = result[:start] + replacement + result[end:]
    return sentence_or_none(tidy(result))


def hedged_prefix(claim: "Claim", lead: str, family: str | None = None, **values: str) -> str | None:
    """The claim (first rewritten by a table, when one applies) introduced by a hedging lead
    ("Early studies suggest that ketamine ...")."""
    text = (table_rewrite(claim, family, None, **values) if family else None) or claim.text.strip()
    if not text:
        return None
    first = text.split()[0]
    proper = any(
        m.start == claim.norm_start and m.text[:1].isupper() and m.text.lower() != m.entity_id.replace("_", " ")
        for m in claim.mentions
    )
    if not proper and not (first.isupper() and len(first) > 1):
        text = text[:1].lower() + text[1:]
    return sentence_or_none(tidy(f"{lead} {text}"))


def common_effects(ctx: "RuleContext", substance: str, limit: int = 3) -> str:
    """'dissociation, nausea and raised blood pressure': the substance's common recorded adverse
    effects (any recorded ones when none is marked common), for a rewrite."""
    effects = ctx.kb.adverse_effects_for(substance)
    common = [e.name for e in effects if e.seriousness == "common"] or [e.name for e in effects]
    return join_and(common[:limit])


_SINGULAR_UNITS = {"hours": "hour", "days": "day", "weeks": "week", "months": "month", "years": "year",
                   "minutes": "minute", "sessions": "session", "infusions": "infusion", "patients": "patient"}


def value_with_unit(value: str, unit: str) -> str:
    """'83.3%', 'n=10', '1 hour', '7 days', '0.5 mg/kg': a recorded value with its unit."""
    unit = unit.strip()
    if not unit:
        return value
    if unit == "%":
        return f"{value}%"
    if unit.lower() == "n":
        return f"n={value}"
    if value in ("1", "1.0") and unit in _SINGULAR_UNITS:
        unit = _SINGULAR_UNITS[unit]
    return f"{value} {unit}"
