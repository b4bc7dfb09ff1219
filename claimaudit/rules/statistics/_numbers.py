"""Numbers in claims against numbers a study records. Shared by the STAT and SCOPE rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp import prefilter
from claimaudit.rules.base import per_claim, per_record

if TYPE_CHECKING:
    from claimaudit.claims.model import Claim, Quantity
    from claimaudit.knowledge_base.model import Outcome, Study

# Quantity kinds that state a result (not a dose, a duration, a year or a p-value).
RESULT_KINDS = frozenset({"percent", "ratio", "odds_ratio", "ci", "sample_size"})
SESSION_KINDS = frozenset({"sessions"})
_STATED_KINDS = RESULT_KINDS | SESSION_KINDS

_DEFINED_THRESHOLD = compiled(r"(≥|>=|>|at least|more than|greater than|over|above)\s*(\d+(?:\.\d+)?)\s*%", re.I)
_NUMBER = compiled(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")
_LOWER = compiled(r"(?:over|more than|above|greater than|at least|upwards of|>=?|≥)\s*$", re.I)
_UPPER = compiled(r"(?:under|less than|below|up to|fewer than|<=?|≤)\s*$", re.I)
_APPROX = compiled(
    r"(?:about|approximately|approx\.?|around|roughly|nearly|almost|some|~|≈|circa|an estimated)\s*$",
    re.I,
)
# Words right after a count that make it a count of studies, not of people.
_NOT_PEOPLE = compiled(r"^\s*(?:\w+\s+){0,2}?(?:studies|study|trials?|rcts?|articles|papers|reports)\b", re.I)
_THRESHOLD_BEFORE = compiled(r"(?:≥|>=?|at least|more than|over|greater than)\s*(?:an?\s+)?$", re.I)
_RATIO = compiled(r"(\d+(?:\.\d+)?)\s*(?:in|of|out of|/)\s*(\d+(?:\.\d+)?)", re.I)
_OR_MORE = compiled(r"^\s*or (?:more|greater|higher|better)\b", re.I)
_THRESHOLD_AFTER = compiled(
    r"^\s*(?:or more\s+|or greater\s+)?(?:\w+\s+){0,2}?"
    r"(?:improvement|reduction|decrease|drop|fall|decline|change|fewer symptoms)",
    re.I,
)


# A clinic's or company's own figures ("of our patients", "its users"): never a study report.
_OWN_FIGURES = prefilter.compile(
    r"\b(?:our|its|their)\s+(?:own\s+)?(?:patients|clients|users|members|results|data|customers)\b", re.I
)


def own_figures(text: str) -> bool:
    return bool(_OWN_FIGURES.search(text))


@dataclass(frozen=True, slots=True)
class Stated:
    """A number as the text states it: value, kind and how exact the wording is."""

    quantity: "Quantity"
    value: float
    upper: float | None
    relation: str  # exact | approx | lower | upper
    is_threshold: bool  # "a >=30% improvement": a definition, not a result


def stated_numbers(claim: "Claim", kinds: frozenset[str] = RESULT_KINDS) -> list[Stated]:
    """The claim's result numbers with the wording around them."""
    if not claim.quantities:
        return []
    return list(_stated_numbers(claim, kinds))


@per_claim
def _stated_numbers(claim: "Claim", kinds: frozenset[str]) -> tuple[Stated, ...]:
    if kinds < _STATED_KINDS:  # rules ask for a few sets of kinds: one reading serves them all
        return tuple(s for s in _stated_numbers(claim, _STATED_KINDS) if s.quantity.kind in kinds)
    found = []
    for quantity in claim.quantities:
        if quantity.kind not in kinds:
            continue
        before, after = _around(claim, quantity)
        if quantity.kind == "sample_size" and _NOT_PEOPLE.match(after):
            continue
        value = _as_percent(quantity) if quantity.kind in {"percent", "ratio"} else quantity.value
        upper = quantity.upper
        if upper is not None and quantity.kind == "ratio":
            upper = upper * 100 if upper <= 1 else None  # a denominator ("7 in 10"), not a range
        bounded = bool(
            _THRESHOLD_BEFORE.search(before)
            or ">" in quantity.text
            or "≥" in quantity.text
            or _OR_MORE.match(after)
        )
        is_threshold = quantity.kind == "percent" and bounded and bool(_THRESHOLD_AFTER.match(after))
        lead = re.split(r"\d", quantity.text, maxsplit=1)[0]
        found.append(Stated(quantity, value, upper, _relation(before + " " + lead, quantity.text), is_threshold))
    return tuple(found)


RISK_RATIO_MEASURES = frozenset({"hazard_ratio", "risk_ratio", "relative_risk"})
# a sentence about a change in risk ("cut the risk of relapse by 51%", "a 51% lower hazard")
_RISK_WORDS = compiled(r"\b(?:risk|hazard|likelihood|chance)s?\b", re.I)


@per_record
def risk_changes(study: "Study") -> list[float]:
    """The relative changes, in percent, that the study's hazard and risk ratios stand for
    (a hazard ratio of 0.49 is reported as "cut the risk by 51%")."""
    return [round(abs(1 - o.value) * 100, 1) for o in study.outcomes if o.measure in RISK_RATIO_MEASURES and o.value > 0]


def speaks_of_risk(text: str) -> bool:
    """Does the text speak of a risk or hazard, where a ratio's relative change is the figure to expect?"""
    return bool(_RISK_WORDS.search(text))


@per_record
def study_values(study: "Study") -> list[float]:
    """Every number the knowledge base records for a study: N, outcome values, comparator
    values, confidence limits, and numbers written in its descriptive fields (computed once
    per study: do not change the list)."""
    values: list[float] = []
    if study.n:
        values.append(float(study.n))
    texts = [study.population, study.conclusion, study.limitations, study.follow_up, study.title]
    for outcome in study.outcomes:
        values += [
            v for v in (outcome.value, outcome.comparator_value, outcome.ci_low, outcome.ci_high)
            if v is not None
        ]
        if outcome.sessions:
            values.append(float(outcome.sessions))
        texts += [outcome.definition, outcome.note, outcome.population, outcome.time_point]
    for text in texts:
        values += numbers_in(text or "")
    return values


def numbers_in(text: str) -> list[float]:
    return [float(m.replace(",", "")) for m in _NUMBER.findall(text)]


def matches_any(stated: Stated, candidates: Iterable[float]) -> bool:
    """Does any recorded value agree with the stated number (`close`)? The bounds are worked
    out once for all the candidates (the same arithmetic as for one)."""
    value, slack, absolute, around, ranged = _bounds(stated)
    for candidate in candidates:
        if ranged is not None and ranged[0] <= candidate <= ranged[1]:
            return True
        if absolute:
            candidate = abs(candidate)  # "reduced by 50%" is recorded as a change of -50
        if around is not None:
            if around[0] <= candidate <= around[1]:
                return True
        elif abs(candidate - value) <= slack:
            return True
    return False


def close(stated: Stated, candidate: float) -> bool:
    """Does a recorded value agree with the stated number, given how exactly it is worded?"""
    return matches_any(stated, (candidate,))


def _bounds(
    stated: Stated,
) -> tuple[float, float, bool, tuple[float, float] | None, tuple[float, float] | None]:
    """(value, slack, compare the candidate's absolute value, the interval a bound's wording
    allows (None: within the slack), the stated range widened by 1.5 (None: no range))."""
    value = stated.value
    kind = stated.quantity.kind
    ranged = None
    if stated.upper is not None and kind in {"percent", "ratio", "ci"}:
        ranged = (value - 1.5, stated.upper + 1.5)
    absolute = False
    if kind == "sample_size":
        slack = 0.0 if stated.relation == "exact" else max(2.0, 0.12 * value)
    elif kind in {"percent", "ratio"}:
        slack = 1.5 if stated.relation == "exact" else 2.5
        absolute = True
    else:  # odds ratios, CI limits: relative tolerance
        slack = max(0.06 * abs(value), 0.05) if stated.relation == "exact" else 0.15 * abs(value)
    around = None
    if stated.relation == "lower":
        around = (value - slack, value + max(slack, 0.25 * abs(value)))
    elif stated.relation == "upper":
        around = (value - max(slack, 0.25 * abs(value)), value + slack)
    return value, slack, absolute, around, ranged


def reports_both_arms(numbers: list[Stated], studies: "list[Study]") -> bool:
    """Two stated numbers are one recorded outcome's result and its comparator's result
    ("26.7% versus 45.3%"): a result reported in full, checkable against the study."""
    for study in studies:
        for outcome in study.outcomes:
            if outcome.comparator_value is None:
                continue
            if any(close(n, outcome.value) for n in numbers) and any(
                close(n, outcome.comparator_value) for n in numbers
            ):
                return True
    return False


def result_outcomes(study: "Study") -> list["Outcome"]:
    return list(study.outcomes)


def outcome_matches(stated: Stated, outcome: "Outcome") -> bool:
    """Does the stated number equal this outcome's value (or its comparator's)?"""
    return any(
        close(stated, v)
        for v in (outcome.value, outcome.comparator_value)
        if v is not None
    )


def definition_threshold(definition: str) -> tuple[str, float] | None:
    """(">", 35.0) from "LSAS reduction >35%"; None when the definition states no threshold."""
    match = _DEFINED_THRESHOLD.search(definition)
    if not match:
        return None
    op = ">" if match.group(1).lower() in {">", "more than", "greater than", "over", "above"} else ">="
    return op, float(match.group(2))


def format_value(value: float) -> str:
    return f"{value:g}"


def _as_percent(quantity: "Quantity") -> float:
    """Percent value of a percent or a ratio ("10 of 12", "1 in 3", "nine out of ten" -> %)."""
    if quantity.kind == "ratio":
        match = _RATIO.search(quantity.text)
        if match and float(match.group(2)) > 0:
            return 100.0 * float(match.group(1)) / float(match.group(2))
        words = _WORD_RATIO.search(quantity.text)
        # casefold: the case-insensitive pattern also matches letters lower() keeps ("\u017feven")
        part, whole = (_WORDS.get(w.casefold(), 0) for w in words.groups()) if words else (0, 0)
        if whole > 0:
            return 100.0 * part / whole
        if quantity.value <= 1:
            return quantity.value * 100
        if quantity.upper and quantity.upper > quantity.value:
            return 100.0 * quantity.value / quantity.upper  # "seven in ten": value 7 of 10
    return quantity.value


_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()
)}
# "two out of three", "three in four", "nine of ten" written in words.
_WORD_RATIO = prefilter.compile(rf"\b({'|'.join(_WORDS)})\s+(?:in|of|out of)\s+({'|'.join(_WORDS)})\b", re.I)


def _around(claim: "Claim", quantity: "Quantity") -> tuple[str, str]:
    """Text just before and after the quantity inside the claim."""
    start = quantity.start - claim.norm_start
    end = quantity.end - claim.norm_start
    text = claim.text
    if not (0 <= start <= end <= len(text)) or text[start:end] != quantity.text:
        index = text.find(quantity.text)
        if index < 0:
            return "", ""
        start, end = index, index + len(quantity.text)
    return text[max(0, start - 25):start], text[end:end + 60]


def _relation(before: str, quantity_text: str) -> str:
    head = quantity_text.lstrip()
    if head[:1] in {">", "≥"} or _LOWER.search(before):
        return "lower"
    if head[:1] in {"<", "≤"} or _UPPER.search(before):
        return "upper"
    if head[:1] in {"~", "≈"} or _APPROX.search(before):
        return "approx"
    return "exact"
