"""Page-level facts for whole-document (DISC) rules, gathered while reading."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from claimaudit.claims.anchored import Anchored, Haystack
from claimaudit.nlp.literal_trie import Literals
from claimaudit.claims.page_kind import _cues, classify_page
from claimaudit.claims.model import Certainty, CitationMarker, Claim, ClaimKind, DocumentFacts, Reference
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.scan import last_page_offsets, share_page_literals

if TYPE_CHECKING:
    from claimaudit.ingest.source import NormalizedDocument
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

_DATE = (
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d|\d{1,2}/\d{1,2}/(?:19|20)?\d\d"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d)"
)
_DATE_AFTER = rf"(?:reviewed|updated|published|posted|revised|last modified|date)\b[^\n]{{0,40}}?{_DATE}"
_DATE_BEFORE = rf"{_DATE}[^\n]{{0,20}}(?:reviewed|updated)"
REVIEW_DATE = compiled(rf"{_DATE_AFTER}|{_DATE_BEFORE}", re.I)
# REVIEW_DATE finds a match where either alternative does: tested one by one, the first
# only where one of its words starts
_REVIEW_DATE_PARTS = (Anchored(compiled(_DATE_AFTER, re.I)), Anchored(compiled(_DATE_BEFORE, re.I)))
DATE_META_KEYS = ("date", "updated", "reviewed", "published", "modified", "last_reviewed", "article:published_time", "article:modified_time", "datemodified", "datepublished")
CALL_TO_ACTION = compiled(
    r"\b(?:book|schedule|request|call|contact us|get started|sign up|free consultation|our clinic|we offer|our team|our patients|"
    r"start your|begin your|reach out|find out if|am i a candidate|apply)\b",
    re.I,
)
SOURCE_URL = compiled(
    r"https?://\S*(?:pubmed|ncbi\.nlm|doi\.org|nejm\.org|jamanetwork|thelancet|nature\.com|sciencedirect|"
    r"springer|wiley|sagepub|frontiersin|psychiatryonline|bmj\.com|cochranelibrary|fda\.gov|canada\.ca|ema\.europa|tga\.gov)",
    re.I,
)
LIMIT_WORDS = compiled(
    r"\b(?:preliminary|limited evidence|evidence is limited|small (?:studies|trials|samples?)|more research|further research|"
    r"larger (?:trials|studies)|not (?:yet )?(?:well )?established|early[- ]stage|emerging evidence|long-term (?:data|effects|safety) (?:are|is|remain)|"
    r"remains? (?:unknown|unclear)|not a cure|uncertain|open-label|few (?:studies|trials)|evidence base is|still being studied|"
    r"short[- ]lived|not for everyone|limitations?)\b",
    re.I,
)
_CALL_TO_ACTION, _SOURCE_URL, _LIMIT_WORDS = (Anchored(p) for p in (CALL_TO_ACTION, SOURCE_URL, LIMIT_WORDS))


class _PageLiterals(Literals):
    """`Literals` whose page offsets come from the pipeline components' page pass
    (`scan.page_literal_positions`) when it scanned the same lower-cased text and found these
    literals too (they are shared with it when built): one pass over the page, not two."""

    __slots__ = ()

    def offsets(self, folded: str) -> dict[str, list[int]]:
        found = last_page_offsets(folded, self.universe)
        return super().offsets(folded) if found is None else found


_TOO_COMMON = frozenset({"the"})  # prefixes left out of the page pass (see `_page_literals`)


@cache
def _page_literals(extra: tuple[str, ...] = ()) -> Literals:
    """The literals of every whole-page pattern (page kind and page facts), and `extra` ones,
    found in one pass."""
    patterns = [a for cue in _cues() for a in cue.anchored]
    # the page-kind patterns' prefixes too, found in the same pass rather than one `find` loop
    # each (those of three ASCII characters or more: shorter ones stand too often in a page;
    # nor "the", a dozen times in a paragraph, asked for only by a masthead cue and one behind
    # rare needles: its few lookups cost less than the pass's stops at each)
    starts = [p for a in patterns for p in a.prefixes or () if len(p) >= 3 and p.isascii() and p not in _TOO_COMMON]
    literals = _PageLiterals([*patterns, _CALL_TO_ACTION, _SOURCE_URL, _LIMIT_WORDS, *_REVIEW_DATE_PARTS], (*extra, *starts))
    share_page_literals(literals.universe)  # the components' page pass finds them from the next page on
    return literals


_last_page: list[Haystack] = []  # the last page haystack built (one store: thread-safe)
_PAGE_READERS: list[Callable[[], Iterable[str]]] = []  # see `read_from_page`


def read_from_page(literals: Callable[[], Iterable[str]]) -> None:
    """Have the page haystack claim extraction builds also find `literals()`, for rules that
    read it later (`last_page_haystack`). Asked once, when extraction next needs the page's
    literals: a rule module registers at its import (the rule registry imports every rule before
    the first audit); one imported later is asked at the next page."""
    _PAGE_READERS.append(literals)


def readers_count() -> int:
    """How many `read_from_page` readers there are (extraction asks them again when it grows)."""
    return len(_PAGE_READERS)


def readers_literals() -> tuple[str, ...]:
    """The literals of every `read_from_page`."""
    return tuple(literal for literals in _PAGE_READERS for literal in literals())


def last_page_haystack(text: str) -> Haystack | None:
    """The last page haystack built, when it is `text`'s; None, not a new scan, otherwise."""
    last = _last_page[0] if _last_page else None
    return last if last is not None and last.text is text else None


def page_haystack(text: str, extra: tuple[str, ...] = ()) -> Haystack:
    """The page's `Haystack` for `gather_facts`, which also finds the `extra` literals: the
    last one built when it is `text`'s and found them too (claim extraction builds it, the
    page facts and the coverage notices of the page reuse it)."""
    last = _last_page[0] if _last_page else None
    if last is not None and last.text is text and last.universe.issuperset(extra):
        return last
    haystack = Haystack(text, _page_literals(extra))
    _last_page[:] = [haystack]
    return haystack


def gather_facts(
    doc: Doc,
    document: "NormalizedDocument",
    claims: Sequence[Claim],
    references: Sequence[Reference],
    markers: Sequence[CitationMarker],
    lookup: "KnowledgeLookup",
    cues: Sequence[Any] | None = None,
    terms: Sequence[Any] | None = None,
    word_count: int | None = None,
    haystack: Haystack | None = None,
    *,
    substances: tuple[str, ...] | None = None,
    indications: tuple[str, ...] | None = None,
) -> DocumentFacts:
    """`cues`, `terms`: the doc's span groups in their order, read once (spans or span records);
    `word_count`: `_word_count(doc)`, when the caller has counted; `haystack`: the page's
    (`page_haystack(document.text)`), when the caller has it; `substances`, `indications`: the
    ids of the terms of those labels, in order of first mention, when the caller has them."""
    cues = list(doc.spans["cues"]) if cues is None else cues
    terms = list(doc.spans["terms"]) if terms is None else terms
    labels = {span.label_ for span in cues}
    term_kinds = {span.label_ for span in terms}
    text = document.text
    if haystack is None or haystack.text is not text or not _page_literals().universe <= haystack.universe:
        haystack = page_haystack(text)
    if substances is None:
        substances = tuple(dict.fromkeys(s.kb_id_ for s in terms if s.label_ == "substance"))
    if indications is None:
        indications = tuple(dict.fromkeys(s.kb_id_ for s in terms if s.label_ == "indication"))
    call_to_action = _CALL_TO_ACTION.exists(text, haystack)
    off_label = "off_label" in labels or any(
        ClaimKind.REGULATORY in c.kinds and c.certainty is Certainty.REJECTED for c in claims
    )
    return DocumentFacts(
        word_count=_word_count(doc) if word_count is None else word_count,
        promotes_treatment=_promotes(claims, text, substances, lookup, haystack, call_to_action),
        substances=substances,
        indications=indications,
        mentions_off_label=off_label,
        mentions_side_effects="side_effect" in labels or "adverse_effect" in term_kinds,
        mentions_contraindications="contraindication" in labels or "contraindication" in term_kinds,
        mentions_evidence_limits=_LIMIT_WORDS.exists(text, haystack),
        has_review_date=_has_review_date(document, haystack),
        has_sources=bool(references)
        or any(m.kind in {"link", "pmid", "doi", "author_year"} for m in markers)
        or _SOURCE_URL.exists(text, haystack),
        citation_count=len(markers),
        references=tuple(references),
        extra={"call_to_action": call_to_action},
        page_kind=classify_page(text, haystack),
    )


def _word_count(doc: Doc) -> int:
    """Tokens that are neither space nor punctuation."""
    if not len(doc):
        return 0
    flags = doc.to_array([IS_SPACE, IS_PUNCT])
    return int((flags.sum(axis=1) == 0).sum())


def _promotes(
    claims: Sequence[Claim], text: str, substances: Sequence[str], lookup: "KnowledgeLookup",
    haystack: Haystack | None = None, call_to_action: bool | None = None,
) -> bool:
    """A page promotes a treatment when it makes positive efficacy claims about a focus substance.
    `call_to_action`: `_CALL_TO_ACTION.exists(text)`, when the caller has it."""
    focus = [s for s in substances if (record := lookup.substance(s)) is not None and record.focus]
    if not focus:
        return False
    positive = sum(
        1 for c in claims if ClaimKind.EFFICACY in c.kinds and c.certainty >= Certainty.HEDGED
    )
    if positive >= 3 or positive < 1:
        return positive >= 3
    return _CALL_TO_ACTION.exists(text, haystack) if call_to_action is None else call_to_action


def _has_review_date(document: "NormalizedDocument", haystack: Haystack | None = None) -> bool:
    meta = dict(getattr(document, "meta", ()) or ())
    if any(meta.get(key) for key in DATE_META_KEYS):
        return True
    text = document.text
    if haystack is None or haystack.text is not text:
        haystack = Haystack(text)
    after, before = _REVIEW_DATE_PARTS
    return after.exists(text, haystack) or (_date_may_end_before(text, haystack) and before.exists(text, haystack))


def _date_may_end_before(text: str, haystack: Haystack) -> bool:
    """False only when `_DATE_BEFORE` cannot match: each of its matches ends with "reviewed" or
    "updated", after at most 20 characters other than a newline that follow the date, whose
    last character is a digit (`\\d`, a decimal digit)."""
    for word in ("reviewed", "updated"):
        for at in haystack.offsets(word):
            window = text[max(0, at - 21) : at]
            if any(char.isdecimal() for char in window[window.rfind("\n") + 1 :]):
                return True
    return False
