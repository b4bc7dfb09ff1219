"""Page kind: does a page promote a service or inform about one?

A clinic page sells (calls to action, prices, booking, "our clinic", testimonials); a journal
article, news report, health-system leaflet or label informs (research headings, DOI,
journal names, reported speech, an institution's voice). The rules that assume marketing
(DISC, and STAT's demand for a source on every figure) ask this first. The cue lists are data:
`claimaudit/nlp/patterns/page_kind.yaml`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from claimaudit.claims.anchored import Anchored, Haystack
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.resources import pattern_file

PageKindName = Literal["promotional", "informational", "unknown"]
PAGE_KINDS: tuple[str, ...] = ("promotional", "informational", "unknown")

# A side must reach MIN_SCORE and lead the other by MARGIN to decide the page.
MIN_SCORE = 3
MARGIN = 2


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue family: its side, weight, how many matches count, and its patterns."""

    name: str
    side: str  # "promotional" | "informational"
    weight: int
    cap: int
    head: int | None  # only the first `head` characters are searched (a masthead)
    density: float | None  # counts once when matches per 1000 words reach this
    patterns: tuple[re.Pattern[str], ...]
    anchored: tuple[Anchored, ...] = ()  # the patterns, tried only where a match can start


@dataclass(frozen=True, slots=True)
class PageKind:
    """The decided kind, both scores and the cues that fired (name -> matches counted)."""

    kind: str
    promotional: int
    informational: int
    cues: tuple[tuple[str, int], ...] = ()
    forced: bool = False  # set by configuration (`page-kind`), not decided from the text

    def evidence(self) -> str:
        """A short account for messages: 'promotional (call_to_action x2, price x1)'."""
        shown = ", ".join(f"{name} x{count}" for name, count in self.cues)
        if self.forced:
            return f"{self.kind} (set by configuration)"
        return f"{self.kind} ({shown})" if shown else self.kind


@cache
def _cues() -> tuple[Cue, ...]:
    data: dict[str, Any] = pattern_file("page_kind") or {}
    cues = []
    for side in ("promotional", "informational"):
        for name, spec in (data.get(side) or {}).items():
            patterns = tuple(compiled(str(r), re.IGNORECASE) for r in spec.get("regex", []))
            head = int(spec["head"]) if spec.get("head") else None
            density = float(spec["per_1000_words"]) if spec.get("per_1000_words") else None
            cues.append(Cue(
                name, side, int(spec.get("weight", 1)), int(spec.get("cap", 1)), head, density, patterns,
                tuple(Anchored(p) for p in patterns),
            ))
    return tuple(cues)


# How a page's patterns are counted, for the literals of a haystack (its `universe`): per cue,
# each pattern with the needles to test first (None: not all looked up at once) and whether
# its prefixes were (`Anchored.count_present` then counts it on a whole page)
_Plan = tuple[tuple[Cue, tuple[tuple[Anchored, frozenset[str] | None, bool], ...]], ...]
_last_plan: list[tuple[frozenset[str], _Plan]] = []  # the last universe's plan (one store: thread-safe)


def _plan(universe: frozenset[str]) -> _Plan:
    """The cues' plan for haystacks of `universe` (the pages' haystacks share one)."""
    last = _last_plan[0] if _last_plan else None
    if last is not None and last[0] is universe:
        return last[1]
    plan = tuple(
        (cue, tuple(
            (pattern, pattern.needle_set if pattern.needle_set and pattern.needle_set <= universe else None,
             pattern.prefixes_within(universe))
            for pattern in cue.anchored
        ))
        for cue in _cues()
    )
    _last_plan[:] = [(universe, plan)]
    return plan


def cue_counts(text: str, haystack: Haystack | None = None) -> dict[str, int]:
    """Matches per cue family, each capped. `haystack`: the text's, when the caller has it."""
    counts: dict[str, int] = {}
    if haystack is None or haystack.text is not text:
        haystack = Haystack(text)  # the page folded once for all patterns
    present = haystack.present
    for cue, patterns in _plan(haystack.universe):
        searched = text[: cue.head] if cue.head else text
        whole = searched is text or len(searched) >= len(text)
        cap, density = cue.cap, cue.density
        # a pattern whose needles the haystack's single pass looked up, none found in the page
        # (nor in its head), matches nowhere: most patterns on most pages
        found = 0
        for pattern, needles, present_prefixes in patterns:
            if needles is not None and needles.isdisjoint(present):
                continue
            limit = None if density is not None else cap - found
            if present_prefixes and whole:
                found += pattern.count_present(text, haystack, limit)
            else:
                found += pattern.count(searched, haystack, limit)
            if density is None and found >= cap:  # only min(found, cap) counts: stop counting at the cap
                break
        if density is not None and found:
            found = int(dense(text, found, density))
        if found:
            counts[cue.name] = min(found, cap)
    return counts


def dense(text: str, found: int, density: float) -> bool:
    """`1000 * found / max(len(text.split()), 1) >= density`, the words counted only as far
    as decides it: the ratio falls as they grow, so past `most` words it stays below."""
    if not density > 0 or not math.isfinite(1000 * found / density) or (
        1000 * found / (int(1000 * found / density) + 2) >= density  # (never so, for a positive one)
    ):
        return 1000 * found / max(len(text.split()), 1) >= density  # (a NaN or tiny density too)
    most = int(1000 * found / density) + 1
    words = len(text.split(None, most))  # the first `most` words and the rest, when there is more
    return words <= most and 1000 * found / max(words, 1) >= density


def classify_page(text: str, haystack: Haystack | None = None) -> PageKind:
    """Score both sides and decide; a page with weak or mixed signals stays `unknown`."""
    counts = cue_counts(text, haystack)
    scores = {"promotional": 0, "informational": 0}
    for cue in _cues():
        scores[cue.side] += cue.weight * counts.get(cue.name, 0)
    promo, info = scores["promotional"], scores["informational"]
    kind: str = "unknown"
    if promo >= MIN_SCORE and promo >= info + MARGIN:
        kind = "promotional"
    elif info >= MIN_SCORE and info >= promo + MARGIN:
        kind = "informational"
    return PageKind(kind, promo, info, tuple(sorted(counts.items())))


def forced_page_kind(kind: str, detected: PageKind) -> PageKind:
    """The configured kind (`page-kind = "promotional"|"informational"`) over the detected
    one; "auto" keeps the detection."""
    if kind == "auto" or kind not in PAGE_KINDS:
        return detected
    return PageKind(kind, detected.promotional, detected.informational, detected.cues, forced=True)
