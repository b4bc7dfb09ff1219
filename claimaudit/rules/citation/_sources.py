"""What a claim's citations point at: a peer-reviewed study, a blog, a press release, nothing.

Shared by the CITE and STAT rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp import prefilter

if TYPE_CHECKING:
    from claimaudit.claims.model import CitationMarker, Claim
    from claimaudit.knowledge_base.model import SourceKind, Study
    from claimaudit.rules.base import RuleContext

_URL = prefilter.compile(r"https?://[^\s)\]>]+|www\.[^\s)\]>]+", re.I)
# General words that name a kind of publication in a reference entry (kind id, words).
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("press_release", ("press release", "announces", "newswire", "news release")),
    ("society_blog", ("blog", "blog post")),
    ("news", ("magazine", "news", "newsletter")),
    ("clinic_page", ("clinic", "our services")),
)
_SCHOLARLY = compiled(
    r"\bdoi\b|10\.\d{4,}/|\bPMID\b|\bPMC\d|\d+\s*\(\d+\)\s*:\s*\d+|;\s*\d+\s*[:(]|\bVol(?:ume)?\.?\s*\d+|"
    r"\bJournal\b|\bJ\s?[A-Z][a-z]+|\bProc(?:eedings)?\b|\bRev(?:iew)?s?\b|Psychiatry|Pharmacol|Neuro\w+|Lancet|BMJ|JAMA",
)
_NOT_CREDIBLE = frozenset({"press_release", "society_blog", "news", "clinic_page", "web_article", "blog", "magazine"})


@dataclass(frozen=True, slots=True)
class SourceVerdict:
    """What one citation resolves to."""

    marker: "CitationMarker"
    study: "Study | None"
    kind: str  # a source-kind id, "journal_article" when unknown but scholarly, "" when unresolved
    kind_name: str
    peer_reviewed: bool | None  # None when nothing is known
    via: str  # how the kind was decided: study record, domain, wording


def marker_study(marker: "CitationMarker", ctx: "RuleContext") -> "Study | None":
    study_id = marker.study_id or (marker.reference.study_id if marker.reference else None)
    return ctx.kb.study(study_id) if study_id else None


def classify(marker: "CitationMarker", ctx: "RuleContext") -> SourceVerdict:
    """The kind of source a marker points at, from the study record, the URL's domain, or
    the wording of the reference entry."""
    study = marker_study(marker, ctx)
    if study is not None:
        kind = ctx.kb.source_kind(study.source_kind)
        peer = study.peer_reviewed
        return SourceVerdict(marker, study, study.source_kind, kind.name if kind else study.source_kind, peer, "study record")
    reference = marker.reference
    text = reference.text if reference else ""
    urls = [reference.url] if reference and reference.url else []
    urls += _URL.findall(text)
    if marker.kind == "link":
        urls.append(marker.text)
    for url in urls:
        kind = _kind_by_domain(url, ctx)
        if kind is not None:
            return SourceVerdict(marker, None, kind.id, kind.name, kind.peer_reviewed, f"domain {_domain(url)}")
    lowered = text.lower()
    for kind_id, words in _KIND_WORDS:
        if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
            kind = ctx.kb.source_kind(kind_id)
            name = kind.name if kind else kind_id.replace("_", " ")
            peer = kind.peer_reviewed if kind else False
            return SourceVerdict(marker, None, kind_id, name, peer, "reference wording")
    if marker.kind in {"doi", "pmid"} or (reference is not None and _looks_scholarly(text)):
        return SourceVerdict(marker, None, "journal_article", "reference", None, "unmatched reference")
    if reference is not None:
        return SourceVerdict(
            marker, None, "web_article", "web article (no journal, volume or DOI)", False, "reference wording"
        )
    return SourceVerdict(marker, None, "", "", None, "unresolved")


def is_credible(verdict: SourceVerdict, ctx: "RuleContext") -> bool:
    """Can this source carry an efficacy or numeric claim? (a source kind's
    `supports_efficacy` decides; product labels can, agency pages and blogs cannot)"""
    kind = ctx.kb.source_kind(verdict.kind) if verdict.kind else None
    if kind is not None:
        return kind.supports_efficacy
    if verdict.peer_reviewed is False:
        return False
    return verdict.kind not in _NOT_CREDIBLE


def credible_study_cited(claim: "Claim", ctx: "RuleContext") -> bool:
    """Does any citation of the claim resolve to something that can carry a result?"""
    for marker in claim.citations:
        verdict = classify(marker, ctx)
        if verdict.kind and is_credible(verdict, ctx):
            return True
    return False


def _looks_scholarly(text: str) -> bool:
    """A reference entry with a DOI, PMID, volume/issue/pages or a journal-like name."""
    return bool(_SCHOLARLY.search(text))


def _kind_by_domain(url: str, ctx: "RuleContext") -> "SourceKind | None":
    domain = _domain(url)
    if not domain:
        return None
    for kind in ctx.kb.kb.source_kinds.values():
        for typical in kind.domains:
            typical = typical.lower().lstrip(".")
            if domain == typical or domain.endswith("." + typical) or typical in url.lower():
                return kind
    return None


def _domain(url: str) -> str:
    if not url.lower().startswith("http"):
        url = "http://" + url
    host = urlparse(url).hostname or ""
    return host.lower().removeprefix("www.")
