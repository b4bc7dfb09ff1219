"""Resolve citation markers to the document's reference list and to knowledge-base studies."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from spacy.tokens import Span

from claimaudit.claims.model import CitationMarker, Reference
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.spans import doc_text

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

MIN_STUDY_SCORE = 70.0  # rapidfuzz score (0-100) for a reference to count as a KB study
_YEAR = compiled(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_URL = compiled(r"https?://\S+")
_NON_DIGIT = compiled(r"\D")
_AUTHOR_JOIN = compiled(r"\s+(?:et\s+al|and|&)\b")
_COMMA = compiled(r"\s*,\s*")
_DASH = compiled(r"\s*[–-]\s*")


def resolve_references(spans: Iterable[Span], lookup: "KnowledgeLookup") -> tuple[Reference, ...]:
    """Reference-list entries, each matched (fuzzily) to a knowledge-base study when possible."""
    references = []
    for span in spans:
        text = _text(span)
        year = _first_year(text)
        study, score = _find(lookup, text, year)
        url_match = _URL.search(text)
        references.append(
            Reference(
                label=span.label_,
                text=text,
                start=span.start_char,
                end=span.end_char,
                study_id=study.id if study is not None and score >= MIN_STUDY_SCORE else None,
                match_score=score,
                url=url_match.group().rstrip(".,;)") if url_match else "",
            )
        )
    return tuple(references)


def resolve_citations(
    spans: Iterable[Span],
    references: Sequence[Reference],
    lookup: "KnowledgeLookup",
    links: Sequence[tuple[int, int, str]] = (),
) -> tuple[CitationMarker, ...]:
    """Every in-text marker with the reference and study it resolves to."""
    markers = [_resolve(span, references, lookup) for span in spans]
    for start, end, url in links:
        study = _study_from_url(url, lookup)
        markers.append(CitationMarker("link", url, start, end, label=url, study_id=study))
    return tuple(sorted(markers, key=lambda m: m.start))


def _resolve(span: Span, references: Sequence[Reference], lookup: "KnowledgeLookup") -> CitationMarker:
    kind, text = span.label_, _text(span)
    if kind == "numbered":
        labels = _numbers(text)
        reference = next((r for r in references if r.label in labels), None)
        return CitationMarker(
            kind, text, span.start_char, span.end_char, label=",".join(labels), reference=reference,
            study_id=reference.study_id if reference else None,
            match_score=reference.match_score if reference else 0.0,
        )
    if kind == "author_year":
        return _resolve_author_year(span, references, lookup)
    if kind == "pmid":
        pmid = _NON_DIGIT.sub("", text)
        match = next((s for s in lookup.kb.studies.values() if s.pmid == pmid), None)
        return CitationMarker(kind, text, span.start_char, span.end_char, label=pmid, study_id=match.id if match else None)
    if kind == "doi":
        doi = text.split("doi.org/")[-1].split("doi:")[-1].strip().lower()
        match = next((s for s in lookup.kb.studies.values() if s.doi and s.doi.lower() == doi), None)
        return CitationMarker(kind, text, span.start_char, span.end_char, label=doi, study_id=match.id if match else None)
    return CitationMarker(kind, text, span.start_char, span.end_char, label=text.strip("()"))


def _resolve_author_year(span: Span, references: Sequence[Reference], lookup: "KnowledgeLookup") -> CitationMarker:
    text = _text(span)
    year = _first_year(text)
    surname = _AUTHOR_JOIN.split(text.strip("( )"), maxsplit=1)[0].strip(" ,(")
    reference = _matching_reference(surname, year, references)
    study = None
    score = 0.0
    if reference is not None and reference.study_id:
        study, score = lookup.study(reference.study_id), reference.match_score
    if study is None:
        study, score = _find(lookup, f"{surname} {year or ''}".strip(), year)
        if study is not None and score < MIN_STUDY_SCORE:
            study = None
    author_matches = year_matches = None
    if study is not None:
        author_matches = fuzz.ratio(surname.lower(), study.first_author.lower()) >= 85
        year_matches = year == study.year if year else None
    return CitationMarker(
        "author_year", text, span.start_char, span.end_char, label=surname, year=year,
        reference=reference, study_id=study.id if study else None, match_score=score,
        author_matches=author_matches, year_matches=year_matches,
    )


_PUBMED_URL = compiled(r"(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed|pubmed\.gov)/(\d{6,9})")
_DOI_URL = compiled(r"doi\.org/(10\.\d{4,9}/[^\s?#]+)", re.I)


def _text(span: Span) -> str:
    """`span.text`, sliced from the doc's text (spaCy joins the span's tokens on every access)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def _study_from_url(url: str, lookup: "KnowledgeLookup") -> str | None:
    """The knowledge-base study a PubMed or DOI link points at."""
    pmid = _PUBMED_URL.search(url)
    if pmid:
        return next((s.id for s in lookup.kb.studies.values() if s.pmid == pmid.group(1)), None)
    doi = _DOI_URL.search(url)
    if doi:
        wanted = doi.group(1).rstrip("/.").lower()
        return next((s.id for s in lookup.kb.studies.values() if s.doi and s.doi.lower() == wanted), None)
    return None


def _find(lookup: "KnowledgeLookup", text: str, year: int | None):  # type: ignore[no-untyped-def]
    found = lookup.find_study(text, year=year)
    return found if found is not None else (None, 0.0)


def _matching_reference(surname: str, year: int | None, references: Sequence[Reference]) -> Reference | None:
    best, best_score = None, 0.0
    for reference in references:
        head = reference.text[:80]
        score = fuzz.partial_ratio(surname.lower(), head.lower())
        if year and str(year) not in reference.text:
            score -= 20
        if score > best_score:
            best, best_score = reference, score
    return best if best_score >= 85 else None


def _numbers(text: str) -> tuple[str, ...]:
    labels: list[str] = []
    for part in _COMMA.split(text.strip("[]")):
        bounds = _DASH.split(part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            labels.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        elif part.strip().isdigit():
            labels.append(part.strip())
    return tuple(labels)


def _first_year(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None
