"""Shared logic of the DISC rules: is the page promotional, and the finding on its title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.claims.facts import read_from_page
from claimaudit.claims.model import Certainty, Claim, ClaimKind, DocumentFacts, QualifierKind
from claimaudit.findings.model import Finding
from claimaudit.rules._pattern_table import PatternTable
from claimaudit.rules._helpers import (
    document_title_span,
    focus_substances,
    is_rebutted,
    load_patterns,
    looks_like_heading,
    plain,
    regex_list,
)

if TYPE_CHECKING:
    from claimaudit.rules.base import Rule, RuleContext

_T = TypeVar("_T")


def _per_document(ctx: "RuleContext", key: str, owner: Any, compute: Callable[[], _T]) -> _T:
    """`compute()` once per document (the context memo), for the same `owner` object (the
    page facts the value was computed from): the DISC rules all ask the same questions."""
    entry = ctx.memo.get(key)
    if entry is not None and entry[0] is owner:
        return entry[1]  # type: ignore[no-any-return]
    value = compute()
    ctx.memo[key] = (owner, value)
    return value


def promotes(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """Does the page promote the treatment? By its page kind first (`claims/page_kind.py`):
    an informational page (journal article, news report, health-system leaflet, label) never
    does; a promotional page (calls to action, prices, the clinic's own voice) does as soon as
    it makes one benefit claim about a focus substance, hedged or not. A page of unknown kind
    promotes when benefit claims are asserted without hedging: three or more, or one when the
    page leans promotional (some promotional cue and more of them than informational ones) or
    the reader's facts say the page promotes and it has a call to action."""
    return _per_document(ctx, "disc:promotes", facts, lambda: _promotes(facts, ctx))


def _promotes(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    kind = facts.page_kind.kind
    if kind == "informational":
        return False
    if kind == "promotional":
        return bool(benefit_claims(ctx, Certainty.HEDGED))
    asserted = benefit_claims(ctx)
    call_to_action = bool(facts.extra.get("call_to_action"))
    page = facts.page_kind
    leans = page.promotional > page.informational
    return len(asserted) >= 3 or (len(asserted) >= 1 and (leans or (facts.promotes_treatment and call_to_action)))


def page_kind_note(facts: DocumentFacts) -> str:
    """How the page kind was assumed, for DISC messages: "page read as promotional
    (call_to_action x2)" or, when the text gave no clear signal, "page kind unclear; read as
    promotional from its benefit claims"."""
    page = facts.page_kind
    if page.kind == "unknown":
        return "page kind unclear; read as promotional from its benefit claims"
    return f"page read as {page.evidence()}"


def is_promotional(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """The page promotes a treatment: benefit claims about a focus substance (efficacy,
    mechanism of benefit, onset or durability) are asserted without hedging (three or more,
    or one when the reader's facts say the page promotes and it has a call to action such as
    booking), and the page is not a balanced one (see `is_balanced`)."""
    return promotes(facts, ctx) and not is_balanced(facts, ctx)


_BENEFIT_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.MECHANISM, ClaimKind.DURABILITY, ClaimKind.ONSET})


def benefit_claims(ctx: "RuleContext", minimum: Certainty = Certainty.ASSERTED) -> list[Claim]:
    """Benefit claims about a focus substance at `minimum` certainty or above (asserted, level
    3, by default), not rebutted."""
    return list(_per_document(ctx, f"disc:benefit:{int(minimum)}", None, lambda: _benefit_claims(ctx, minimum)))


def _benefit_claims(ctx: "RuleContext", minimum: Certainty) -> list[Claim]:
    return [
        c for c in ctx.claims
        if c.certainty >= minimum and not _BENEFIT_KINDS.isdisjoint(c.kinds)
        and focus_substances(c.subject_substances, ctx) and not is_rebutted(c)
    ]


def omission(
    rule: "Rule", ctx: "RuleContext", omits: str, message: str, suggestion: str
) -> Iterator[Finding]:
    span, text = _per_document(ctx, "disc:title", ctx.document, lambda: document_title_span(ctx))
    message = f"{message} ({page_kind_note(ctx.facts)})"
    # the trigger is the finding's own span, as `resolve_triggers` sets it (no second Finding)
    source = ctx.document.source.text[span.start : span.end]
    yield rule.document_finding(
        span, text, message, omits=omits, advice=suggestion, trigger=span, trigger_text=source
    )


def states_evidence_limits(ctx: "RuleContext") -> bool:
    """The page says something about the limits of the evidence (a limitation qualifier on a
    claim, or an evidence-limit phrase anywhere in the text)."""
    if any(c.has_qualifier(QualifierKind.LIMITATION) for c in ctx.claims):
        return True
    return _limit_count_upto3(ctx) > 0


def side_effects_only_for_comparators(ctx: "RuleContext") -> bool:
    """Side effects are named only in claims about other (non-focus) substances."""
    about = [
        c for c in ctx.claims
        if any(m.kind == "adverse_effect" for m in c.mentions)
        or any(m.entity_id == "side_effect" for m in c.cues)
    ]
    return bool(about) and all(
        c.substances and not focus_substances(c.substances, ctx) for c in about
    )


@cache
def _limit_patterns() -> tuple[re.Pattern[str], ...]:
    raw = load_patterns("disclosure").get("evidence_limit_regex", [])
    return tuple(compiled(str(r), re.IGNORECASE) for r in raw)


@cache
def _limit_table() -> PatternTable:
    return PatternTable(_limit_patterns())


@cache
def table(key: str) -> PatternTable:
    """A regex list of disclosure.yaml as a table (only the patterns that can match are run)."""
    return PatternTable(regex_list("disclosure", key))


def has_dateline(ctx: "RuleContext") -> bool:
    """A publication or check date shown as a byline or dateline ("Last checked: 20 February
    2025", "Health desk | 9 October 2023"), tested line by line."""
    return _has_dateline(ctx.document.text)


# Every dateline pattern (disclosure.yaml) holds a year, 19xx or 20xx: a page or line without
# one has no dateline (tests/rules/disclosure checks the patterns still need it).
_YEAR_DIGITS = compiled(r"(?:19|20)\d\d")


@lru_cache(maxsize=8)
def _has_dateline(text: str) -> bool:
    if _YEAR_DIGITS.search(text) is None:
        return False
    # (only the few lines with a year are searched: cheaper than narrowing the patterns first)
    patterns, year = table("dateline_regex").patterns, _YEAR_DIGITS.search
    return any(p.search(line) for line in text.splitlines() if year(line) for p in patterns)


def has_date(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    return facts.has_review_date or has_dateline(ctx)


def discloses_side_effects(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """Some claim about the treatment names a side effect as a risk: not a denial or a
    playing-down ("side effects are rare and mild", "doesn't cause dissociation"), not an
    absolute safety promise, and not only a routine check ("we monitor blood pressure")."""
    if not facts.mentions_side_effects:
        return False
    return _per_document(ctx, "disc:side_effects", facts, lambda: _discloses_side_effects(ctx))


def _discloses_side_effects(ctx: "RuleContext") -> bool:
    for claim in ctx.claims:
        words = [m for m in claim.mentions if m.kind == "adverse_effect"]
        words += [m for m in claim.cues if m.entity_id == "side_effect"]
        if not words or claim.certainty is Certainty.REJECTED:
            continue
        if claim.cue_labels() & {"safety_absolute"}:
            continue
        if table("side_effect_minimising_regex").any_search(plain(claim.text)):
            continue
        if claim.substances and not focus_substances(claim.substances, ctx):
            continue  # side effects of a comparator
        if all(_monitoring_only(claim.text, m.text) for m in words):
            continue
        return True
    return False


def _monitoring_only(text: str, word: str) -> bool:
    if not table("side_effect_monitoring_only_regex").any_search(word):
        return False
    return not table("side_effect_risk_regex").any_search(text)


def evidence_limit_count(ctx: "RuleContext") -> int:
    """How many evidence-limit statements the page makes."""
    return _evidence_limit_count(ctx.document.text)


@cache
def _page_needles() -> tuple[str, ...]:
    """The literals of the two page-long scans (evidence limits, contraindication wording),
    found by claim extraction's page scan (`facts.read_from_page`)."""
    return (*_limit_table().page_literals(), *table("contraindication_regex").page_literals())


read_from_page(_page_needles)


@lru_cache(maxsize=8)
def _evidence_limit_count(text: str) -> int:
    return sum(1 for _ in _limit_table().finditer_long(text))  # findall's count, pattern by pattern


def _limit_count_upto3(ctx: "RuleContext") -> int:
    """min(evidence_limit_count(ctx), 3): counting stops at three."""
    return _limit_count_upto(ctx, 3)


def _limit_count_upto(ctx: "RuleContext", cap: int) -> int:
    """min(evidence_limit_count(ctx), cap), counting no further than asked; a count made for
    the document before answers when it can."""
    text = ctx.document.text
    entry = ctx.memo.get("disc:limits")
    if entry is not None and entry[0] is text:
        count, counted_to = int(entry[1]), int(entry[2])
        if count < counted_to or cap <= counted_to:  # exact, or enough to answer
            return min(count, cap)
    count = _count_upto(text, cap)
    ctx.memo["disc:limits"] = (text, count, cap)
    return count


def _count_upto(text: str, cap: int) -> int:
    """min(number of evidence-limit matches in `text`, cap): each pattern's non-overlapping
    matches (as `findall` counts them), summed, stopping once `cap` is reached."""
    count = 0
    for _ in _limit_table().finditer_long(text):
        count += 1
        if count >= cap:
            return cap
    return count


def strong_claims(ctx: "RuleContext") -> int:
    """Benefit, safety or durability claims asserted as boosted or absolute (level >= 4),
    not rebutted and not bare headings."""
    return sum(
        1 for c in ctx.claims
        if c.certainty >= Certainty.BOOSTED and not _STRONG_KINDS.isdisjoint(c.kinds)
        and not is_rebutted(c) and not looks_like_heading(c)
    )


_STRONG_KINDS = frozenset({ClaimKind.EFFICACY, ClaimKind.SAFETY, ClaimKind.DURABILITY, ClaimKind.ONSET})


def care_score(facts: DocumentFacts, ctx: "RuleContext") -> int:
    """Signs of a careful page: each disclosure it makes counts one, plus up to three each for
    evidence-limit statements and for claims it rejects ("is not approved for", "a myth")."""
    disclosures = (
        facts.mentions_off_label,
        discloses_side_effects(facts, ctx),
        facts.mentions_contraindications,
        has_date(facts, ctx),
        facts.has_sources,
    )
    rejected = sum(1 for c in ctx.claims if c.certainty is Certainty.REJECTED)
    return sum(disclosures) + _limit_count_upto3(ctx) + min(rejected, 3)


def is_balanced(facts: DocumentFacts, ctx: "RuleContext") -> bool:
    """A careful page that discusses a treatment rather than selling it: many care signals
    (care score >= 5) and at most one boosted or absolute claim."""
    return _per_document(ctx, "disc:balanced", facts, lambda: strong_claims(ctx) <= 1 and _care_at_least(facts, ctx, 5))


def _care_at_least(facts: DocumentFacts, ctx: "RuleContext", score: int) -> bool:
    """care_score(facts, ctx) >= score, its parts taken cheapest first and only while the
    answer is open (the evidence-limit count, a scan of the page, last and only as far as needed)."""
    known = sum((facts.mentions_off_label, facts.mentions_contraindications, facts.has_sources))
    known += min(sum(1 for c in ctx.claims if c.certainty is Certainty.REJECTED), 3)
    parts: tuple[Callable[[], bool], ...] = (lambda: discloses_side_effects(facts, ctx), lambda: has_date(facts, ctx))
    for part in parts:
        if known >= score:
            return True
        known += part()
    if known >= score:
        return True
    if known + 3 < score:
        return False  # even three evidence-limit statements would not reach it
    return known + _limit_count_upto(ctx, score - known) >= score
