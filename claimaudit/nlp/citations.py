"""Citation markers ([4], (Taylor et al., 2018), PMID/DOI, "(PubMed)") and the reference list.

Markers go to `doc.spans["citations"]` (label = kind). Reference-list entries (the blocks under a
"References"/"Sources" heading, or trailing "[n] ..." lines) go to `doc.spans["references"]`
(label = the entry's number or position). Resolving them to each other and to knowledge-base
studies happens in `claims/references.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimaudit.nlp.analysis_cache import compiled
from claimaudit.nlp.scan import LiteralStarts, anchored_pieces, lower_text
from claimaudit.nlp.spans import CharIndex, doc_text, set_group

_SURNAME = r"[A-Z][A-Za-z'’\-]+(?:\s(?:de|van|von|der|da)\s[A-Z][A-Za-z'’\-]+)?"
_AUTHORS = rf"{_SURNAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_SURNAME})?"
MARKER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("numbered", compiled(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")),
    ("author_year", compiled(rf"\((?:e\.g\.,?\s*)?({_AUTHORS}),?\s+((?:19|20)\d\d)[a-z]?(?:[;,][^)]*)?\)")),
    ("author_year", compiled(rf"\b({_SURNAME}\s+et\s+al\.?),?\s*\(?((?:19|20)\d\d)\)?")),
    ("author_year", compiled(rf"\b({_SURNAME}\s+(?:and|&)\s+{_SURNAME}),?\s*\(((?:19|20)\d\d)\)")),
    ("pmid", compiled(r"\bPMID:?\s*(\d{6,9})\b")),
    ("doi", compiled(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\])>,;]+)", re.I)),
    ("link", compiled(r"\((PubMed|PMC|source|link|study|NIH|NEJM|JAMA)\)", re.I)),
)
REFERENCE_HEADING = compiled(
    r"^\s*(?:#+\s*)?(references?|sources?(?: and references)?|bibliography|citations?|works cited|"
    r"further reading|studies cited|literature|scientific references|research cited)\s*:?\s*$",
    re.I,
)
REFERENCE_ITEM = compiled(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+\S")


@Language.factory("claimaudit_citations", assigns=["doc.spans"], default_config={})
def make_citation_marker(nlp: Language, name: str) -> "CitationMarker":
    return CitationMarker()


class CitationMarker:
    def __call__(self, doc: Doc) -> Doc:
        references = reference_entries(doc)
        reference_ranges = [(r.start_char, r.end_char) for r in references]
        set_group(doc, "references", references)
        markers = citation_markers(doc)
        set_group(
            doc,
            "citations",
            [m for m in markers if not any(s <= m.start_char < e for s, e in reference_ranges)],
        )
        return doc


# Exact shortcuts for the costlier marker patterns (see nlp/scan.py): the literals a match
# starts with, or the pieces of the text a match must lie in (between characters the pattern
# never consumes) and what such a piece must hold.
_STARTS = {index: LiteralStarts(MARKER_PATTERNS[index][1]) for index in (4, 5)}
_PIECES = {
    2: (compiled(r"[^\w\s'’\-.,()]"), compiled(r"et\s+al")),  # Surname et al. (2018)
    3: (compiled(r"[^\w\s'’\-&,()]"), compiled(r"\((?:19|20)\d\d\)")),  # A and B (2018)
}


def citation_markers(doc: Doc) -> list[Span]:
    index = CharIndex.of(doc)
    text = doc_text(doc)
    spans: list[Span] = []
    for number, (kind, pattern) in enumerate(MARKER_PATTERNS):
        for match in _marker_matches(number, pattern, text, doc):
            span = index.span(match.start(), match.end(), label=kind)
            if span is not None:
                spans.append(span)
    return sorted(filter_spans(spans), key=lambda s: s.start)


def _marker_matches(number: int, pattern: re.Pattern[str], text: str, doc: Doc) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for MARKER_PATTERNS[number], through its shortcut if it has one."""
    if number in _STARTS:
        return _STARTS[number].finditer(text, lower_text(doc))
    if number in _PIECES:
        cut, anchor = _PIECES[number]
        stretches = anchored_pieces(text, cut, anchor)
        return (match for start, end in stretches for match in pattern.finditer(text, start, end))
    return pattern.finditer(text)


def reference_entries(doc: Doc) -> list[Span]:
    """Entries of the document's reference list, one span per line."""
    index = CharIndex.of(doc)
    spans = []
    for start, end, label in reference_lines(doc_text(doc)):
        span = index.span(start, end, label=label)
        if span is not None:
            spans.append(span)
    return spans


def reference_lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each line of the reference lists: `listed_lines` of the text's
    lines, read line by line only from the first heading on (before it, only "[n] ..." lines
    can be entries, found by one search)."""
    heading = next(_line_matches(_HEADING_LINE, text, len(text)), None)
    tail = len(text) if heading is None else heading[0]
    entries = []
    for line_start, item in _line_matches(_NUMBERED_LINE, text, tail):
        line_end = text.find("\n", line_start)
        start, end, line = _line_at(text, line_start, len(text) if line_end < 0 else line_end)
        if _looks_like_reference(line):
            entries.append((start, end, item.group(1)))
    if heading is not None:
        entries.extend((start + tail, end + tail, label) for start, end, label in listed_lines(_lines(text[tail:])))
    return entries


def listed_lines(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The lines (start, end, stripped text) that are entries of a reference list: those under
    a reference heading up to the next other heading, and "[n] ..." lines that look like one."""
    entries: list[tuple[int, int, str]] = []
    in_list = False
    position = 0
    for start, end, text in lines:
        if REFERENCE_HEADING.match(text):
            in_list = True
            continue
        item = REFERENCE_ITEM.match(text)
        if in_list:
            if _looks_like_heading(text) and not item:
                in_list = False
                continue
            position += 1
            label = (item.group(1) or item.group(2)) if item else str(position)
            entries.append((start, end, label))
        elif item and item.group(1) and _looks_like_reference(text):
            entries.append((start, end, item.group(1)))
    return entries


# A line (in a whole text) that REFERENCE_HEADING matches stripped, and one that REFERENCE_ITEM
# matches with a number in brackets, each after a line break (a literal `re` finds fast); the
# first line is tried behind a line break of its own (`_line_matches`).
_HEADING_LINE = compiled(
    r"\n[^\S\n]*(?:#+[^\S\n]*)?(?:references?|sources?(?: and references)?|bibliography|citations?|works cited|"
    r"further reading|studies cited|literature|scientific references|research cited)[^\S\n]*:?[^\S\n]*$",
    re.I | re.M,
)
_NUMBERED_LINE = compiled(r"\n[^\S\n]*\[(\d{1,3})\][^\S\n]+\S")


def _line_matches(pattern: re.Pattern[str], text: str, endpos: int) -> Iterator[tuple[int, re.Match[str]]]:
    """(start, match) for each line starting before `endpos` where `pattern` (which starts
    with a line break) matches from the line break before it; the first line as if one stood
    before it (its match is then of that line alone, behind a line break)."""
    if endpos > 0:
        line_end = text.find("\n")
        first = pattern.match("\n" + (text if line_end < 0 else text[: line_end + 1]))
        if first is not None:
            yield 0, first
    for found in pattern.finditer(text, 0, endpos):
        yield found.start() + 1, found


def _line_at(text: str, start: int, end: int) -> tuple[int, int, str]:
    """(start, end, text) of the line text[start:end] stripped (it holds a non-space)."""
    line = text[start:end]
    stripped = line.strip()
    first = start + line.index(stripped[0])
    return first, first + len(stripped), stripped


def _lines(text: str) -> list[tuple[int, int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped[0])
            lines.append((start, start + len(stripped), stripped))
        offset += len(line) + 1
    return lines


_HEADING_NOT = compiled(r"\d{4}|doi|pmid|http", re.I)
_REFERENCE_LIKE = compiled(r"(?:19|20)\d\d|doi|pmid|https?://|journal|et al", re.I)


def _looks_like_heading(text: str) -> bool:
    return len(text) < 60 and not _HEADING_NOT.search(text) and not text.endswith(".")


def _looks_like_reference(text: str) -> bool:
    return bool(_REFERENCE_LIKE.search(text))
