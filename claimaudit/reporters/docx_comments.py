"""The writer's Word document back, with a Word comment on each flagged span.

Each comment is anchored on exactly the characters of its finding (runs are split at the span's
edges) and says the rule, severity, reason, evidence links and the suggested rewrite. A draft
that did not come from Word is turned into a new document, one paragraph per line.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from claimaudit.findings.model import Finding, finding_sort_key
from claimaudit.ingest.docx_runs import DocxText, read_docx, runs_between, split_at

AUTHOR = "claimaudit"
INITIALS = "CA"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A comment as Word will show it: the words it is anchored on and what it says."""

    comment_id: int
    anchor: str
    text: str
    author: str


def comment_text(finding: Finding, rule_name: str = "") -> str:
    """Rule, severity and reason; then evidence (with links) and the suggested rewrite, one per line."""
    title = f"{finding.code}{' ' + rule_name if rule_name else ''} ({finding.severity.value}, {finding.family.value})"
    lines = [f"{title}: {finding.message}"]
    for ref in finding.evidence:
        link = ref.url or ""
        lines.append(f"Evidence: {ref.label or ref.id}{' - ' + link if link else ''}")
    if finding.suggestion:
        lines.append(f"Suggested rewrite: {finding.suggestion}")
    return "\n".join(lines)


def text_document(text: str) -> DocxText:
    """A new Word document holding `text`, one paragraph per line (blank lines kept as empty paragraphs)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    return read_docx(document)


def annotate(extracted: DocxText, findings: Iterable[Finding], rule_names: dict[str, str] | None = None,
             *, author: str = AUTHOR) -> int:
    """Add one comment per finding, anchored on its span of `extracted.text`; returns how many."""
    names = rule_names or {}
    added = 0
    current = extracted
    for finding in sorted(findings, key=finding_sort_key):
        start, end = _span(finding, len(current.text))
        if end <= start:
            continue
        current = split_at(split_at(current, start), end)
        runs = runs_between(current, start, end)
        if not runs:
            continue
        current.document.add_comment(runs, text=comment_text(finding, names.get(finding.code, "")),
                                     author=author, initials=INITIALS)
        added += 1
    return added


def annotated_bytes(extracted: DocxText, findings: Sequence[Finding], rule_names: dict[str, str] | None = None) -> bytes:
    """The annotated document as .docx bytes."""
    annotate(extracted, findings, rule_names)
    out = io.BytesIO()
    extracted.document.save(out)
    return out.getvalue()


def comment_anchors(data: bytes) -> list[Anchor]:
    """Every comment of a .docx with the exact text of its anchor range (paragraph breaks as newlines)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    anchors: dict[str, list[str]] = {}
    open_ids: list[str] = []
    body = document.element.body
    for element in body.iter():
        tag = element.tag
        if tag == qn("w:commentRangeStart"):
            cid = element.get(qn("w:id"))
            anchors[cid] = []
            open_ids.append(cid)
        elif tag == qn("w:commentRangeEnd"):
            cid = element.get(qn("w:id"))
            if cid in open_ids:
                open_ids.remove(cid)
        elif open_ids and tag in (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")):
            piece = {qn("w:t"): element.text or "", qn("w:tab"): "\t", qn("w:br"): "\n"}.get(tag, "")
            if tag == qn("w:p") and any(anchors[cid] for cid in open_ids):
                piece = "\n"  # a new paragraph inside an open range
            for cid in open_ids:
                anchors[cid].append(piece)
    by_id = {str(c.comment_id): c for c in document.comments}
    return [Anchor(int(cid), "".join(parts), by_id[cid].text if cid in by_id else "",
                   by_id[cid].author if cid in by_id else "")
            for cid, parts in anchors.items()]


def _span(finding: Finding, length: int) -> tuple[int, int]:
    """The words to anchor on: the words that triggered the finding."""
    span = finding.trigger_span
    start = min(max(int(span.start), 0), length)
    return start, min(max(int(span.end), start), length)


def render_docx(document: Any, rule_names: dict[str, str] | None = None, *, max_bytes: int = 5_000_000) -> bytes:
    """The annotated .docx of one audited document (a DocumentResult): its own Word file when it
    came from one (re-read, so the writer's formatting is kept), else a new document of its text."""
    from claimaudit.ingest.docx_runs import read_docx_file

    if document.path.lower().endswith(".docx"):
        extracted = read_docx_file(document.path, max_bytes=max_bytes)
        if extracted.text != document.source_text:
            raise ValueError(f"{document.path}: the Word document changed while it was audited")
    else:
        extracted = text_document(document.source_text)
    return annotated_bytes(extracted, document.findings, rule_names)
