"""HTML: one self-contained page. Each document's original text with every finding highlighted,
a filterable list of findings with evidence and suggestions, summary counts and a bar chart.

All untrusted text (document text, paths, messages, evidence) goes through `html.escape`; no
untrusted text reaches the script, whose hash the page's Content-Security-Policy pins, so a
`<script>` inside an audited page can never run in the report.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from claimaudit.errors import ClaimAuditError
from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.ingest import normalize, read_text
from claimaudit.ingest.read import HTML, MARKDOWN
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import (
    SEVERITIES,
    display_path,
    error_text,
    family_severity_counts,
    plural,
    severity_count,
    summary,
)
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.review.model import Decision


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("claimaudit.reporters").joinpath("templates", name).read_text("utf-8")


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    paths = [display_path(d.path, options.root) for d in result.documents]
    body = [
        _header(result, paths),
        _filters(result),
        *(_document(index, document, path) for index, (document, path) in enumerate(zip(result.documents, paths))),
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>claimaudit report</title>",
        f"<style>\n{_asset('report.css')}</style>",
        "</head>",
        "<body>",
        *body,
        f"<script>{script}</script>",
        "</body>",
        "</html>",
    ]) + "\n"


def _header(result: AuditResult, paths: Sequence[str]) -> str:
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in SEVERITIES}
    chips = "".join(f'<li class="count-{s.value}">{severity_count(counts[s], s)}</li>' for s in SEVERITIES)
    toc = "".join(
        f'<li><a href="#doc-{i}">{esc(path)}</a> '
        f'<span class="meta">({esc(error_text(d)) if d.error else plural(len(d.findings), "finding")})</span></li>'
        for i, (d, path) in enumerate(zip(result.documents, paths))
    )
    kb = f"knowledge base {esc(result.kb_version)}" if result.kb_version else "knowledge base"
    return (
        '<header class="top">'
        "<h1>claimaudit report</h1>"
        f'<p class="meta">claimaudit {esc(result.tool_version)} · {kb}'
        f"{' · ' + esc(result.kb_hash[:12]) if result.kb_hash else ''}"
        f"{' · evidence checked ' + esc(result.kb_checked) + ' or later' if result.kb_checked else ''}</p>"
        f'<p class="summary">{esc(summary(result))}</p>'
        '<div class="overview">'
        f'<div><ul class="counts">{chips}</ul>'
        f'<nav class="toc" aria-label="Documents"><ol>{toc}</ol></nav></div>'
        f"{chart(result.findings)}"
        "</div></header>"
    )


def chart(findings: Sequence[Finding]) -> str:
    """An inline SVG: one horizontal bar per family, stacked by severity."""
    counts = family_severity_counts(findings)
    families = [f for f in Family if any(counts[(f, s)] for s in SEVERITIES)]
    if not families:
        return ""
    colours = {Severity.ERROR: "#b3261e", Severity.WARNING: "#e0a100", Severity.INFO: "#1f5fa8"}
    biggest = max(sum(counts[(f, s)] for s in SEVERITIES) for f in families)
    row, label_width, bar_width = 22, 64, 260
    height = row * len(families) + 28
    width = label_width + bar_width + 40
    parts = [
        (f'<svg class="chart" role="img" aria-label="Findings by family and severity" width="{width}" '
         f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">')
    ]
    for position, family in enumerate(families):
        y = position * row
        parts.append(f'<text x="0" y="{y + 15}">{family.value}</text>')
        x = float(label_width)
        for severity in SEVERITIES:
            count = counts[(family, severity)]
            if not count:
                continue
            bar = bar_width * count / biggest
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{bar:.1f}" height="{row - 6}" '
                         f'fill="{colours[severity]}"><title>{family.value} {severity.value}: {count}</title></rect>')
            x += bar
        total = sum(counts[(family, s)] for s in SEVERITIES)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{total}</text>')
    legend_y = row * len(families) + 18
    x = 0.0
    for severity in SEVERITIES:
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colours[severity]}"/>'
                     f'<text x="{x + 14}" y="{legend_y}">{severity.value}</text>')
        x += 80
    parts.append("</svg>")
    return "".join(parts)


def _filters(result: AuditResult) -> str:
    families = sorted({f.family for f in result.findings}, key=list(Family).index)
    if not families:
        return ""
    family_boxes = "".join(
        f'<label><input type="checkbox" name="family" value="{f.value}" checked> {f.value}</label>' for f in families
    )
    severity_boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{s.value}" checked> {s.value}</label>' for s in SEVERITIES
    )
    return (
        '<form class="filters" aria-label="Filter findings">'
        f"<fieldset><legend>Family</legend>{family_boxes}</fieldset>"
        f"<fieldset><legend>Severity</legend>{severity_boxes}</fieldset>"
        '<span id="shown-count" class="meta"></span></form>'
    )


@dataclass(frozen=True, slots=True)
class _Placed:
    id: str
    finding: Finding
    start: int
    end: int
    trigger_start: int = 0  # the words that triggered the finding (underlined inside the mark)
    trigger_end: int = 0


def _document(index: int, document: DocumentResult, path: str) -> str:
    head = f'<section class="document" id="doc-{index}"><h2>{esc(path)}</h2>'
    if document.error:
        return head + f'<p class="read-error">Could not be read: {esc(error_text(document))}</p></section>'
    placed = [
        _Placed(f"{index}-{number}", finding, *_clip(finding, len(document.source_text)),
                *_clip_trigger(finding, len(document.source_text)))
        for number, finding in enumerate(document.findings)
    ]
    whole = [p for p in placed if p.finding.is_document_level]
    inline = [p for p in placed if not p.finding.is_document_level]
    banner = ""
    if whole:
        banner = '<div class="doc-findings" aria-label="Whole-document findings">' + "".join(
            f'<button type="button" class="chip" data-findings="{p.id}">'
            f'<span class="badge sev-{p.finding.severity.value}">{esc(p.finding.code)}</span>'
            f"{esc(p.finding.message)}</button>" for p in whole
        ) + "</div>"
    items = "".join(_item(p, document.decision_for(p.finding.fingerprint)) for p in placed)
    side = (f'<aside class="side"><ol class="findings">{items}</ol></aside>' if placed
            else '<aside class="side"><p class="clean">No findings.</p></aside>')
    source = f'<pre class="source">{highlight(document.source_text, inline, markup_ranges(document))}</pre>'
    return head + banner + f'<div class="doc-body">{source}{side}</div></section>'


def _clip(finding: Finding, length: int) -> tuple[int, int]:
    start = min(max(finding.span.start, 0), length)
    return start, min(max(finding.span.end, start), length)


def _clip_trigger(finding: Finding, length: int) -> tuple[int, int]:
    if finding.trigger is None or finding.trigger == finding.span:
        return 0, 0
    start = min(max(finding.trigger.start, 0), length)
    return start, min(max(finding.trigger.end, start), length)


def markup_ranges(document: DocumentResult) -> list[tuple[int, int]]:
    """Source ranges of Markdown or HTML markup (front matter, tags, heading and emphasis marks):
    the characters the reader dropped. Line breaks stay visible, except inside leading front
    matter, so the report shows the text as read with the source's lines and spaces."""
    if document.media_type not in (MARKDOWN, HTML) or not document.source_text:
        return []
    try:
        normalized = normalize(read_text(document.source_text, path=document.path, media_type=document.media_type))
    except ClaimAuditError:
        return []
    offsets = normalized.offsets
    kept = sorted([(source, source + length) for _, source, length in offsets.segments]
                  + [(source, source + length) for _, _, source, length in offsets.replacements])
    text, gaps, position = document.source_text, [], 0
    for start, end in kept:
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    if position < len(text):
        gaps.append((position, len(text)))
    ranges: list[tuple[int, int]] = []
    for start, end in gaps:
        if start == 0:  # front matter and anything before the first text: hidden whole
            ranges.append((start, end))
            continue
        ranges.extend((m.start(), m.end()) for m in _VISIBLE_MARKUP.finditer(text, start, end))
    return ranges


_VISIBLE_MARKUP = re.compile(r"\S+")  # whitespace between markup stays, so words keep their spaces


def highlight(text: str, placed: Sequence[_Placed], hidden: Sequence[tuple[int, int]] = ()) -> str:
    """The text split at every span boundary; each covered segment in one <mark> naming all
    the findings that cover it (so overlapping and nested spans render correctly). Segments in
    `hidden` (sorted, disjoint markup ranges) are kept but not shown."""
    hidden_starts = [start for start, _ in hidden]
    points = {p.start for p in placed if p.end == p.start}
    boundaries = sorted(
        {0, len(text)} | {p.start for p in placed} | {p.end for p in placed}
        | {a for a, _ in hidden} | {b for _, b in hidden}
        | {p.trigger_start for p in placed if p.trigger_end > p.trigger_start}
        | {p.trigger_end for p in placed if p.trigger_end > p.trigger_start}
    )
    out: list[str] = []
    for a, b in zip(boundaries, boundaries[1:] + [len(text)]):
        if a in points:
            pins = [p for p in placed if p.start == p.end == a]
            out.append(f'<span class="pin" tabindex="0" role="button" data-findings="{" ".join(p.id for p in pins)}" '
                       f'title="{esc(_title(pins))}">⚑</span>')
            points.discard(a)
        if a >= b:
            continue
        covering = [p for p in placed if p.start <= a and p.end >= b and p.end > p.start]
        segment = esc(text[a:b])
        at = bisect.bisect_right(hidden_starts, a) - 1
        if at >= 0 and b <= hidden[at][1]:
            segment = f'<span class="markup" hidden>{segment}</span>'
        if not covering:
            out.append(segment)
            continue
        triggered = [p for p in covering if p.trigger_start <= a and p.trigger_end >= b and p.trigger_end > p.trigger_start]
        if triggered:
            segment = (f'<u class="trigger" data-findings="{" ".join(p.id for p in triggered)}">'
                       f"{segment}</u>")
        worst = max((p.finding.severity for p in covering), key=lambda s: s.rank)
        depth = min(len(covering), 3)
        out.append(
            f'<mark class="hl sev-{worst.value} depth-{depth}" tabindex="0" role="button" '
            f'data-findings="{" ".join(p.id for p in covering)}" title="{esc(_title(covering))}">{segment}</mark>'
        )
    return "".join(out)


def _title(placed: Sequence[_Placed]) -> str:
    return "\n".join(f"{p.finding.code} ({p.finding.family.value}, {p.finding.severity.value}): "
                     f"{p.finding.message}" for p in placed)


def _item(placed: _Placed, decision: Decision | None = None) -> str:
    finding, fid = placed.finding, placed.id
    span = finding.trigger_span
    where = "whole document" if finding.is_document_level else f"{span.line}:{span.column}"
    rows = [
        f"<dt>Family</dt><dd>{esc(finding.family.value)}</dd>",
        f"<dt>Code</dt><dd>{esc(finding.code)} ({esc(finding.severity.value)})</dd>",
        f'<dt>Message</dt><dd class="message">{esc(finding.message)}</dd>',
    ]
    if finding.text and not finding.is_document_level:
        rows.append(f"<dt>Text</dt><dd><blockquote>{esc(finding.text)}</blockquote></dd>")
    if finding.trigger_text and not finding.is_document_level and finding.trigger_text != finding.text:
        rows.append(f'<dt>Trigger</dt><dd class="trigger-text">{esc(finding.trigger_text)}</dd>')
    if finding.omits:
        rows.append(f"<dt>Omits</dt><dd>{esc(finding.omits)}</dd>")
    if finding.evidence:
        rows.append('<dt>Evidence</dt><dd><ul class="evidence">' + "".join(
            f"<li>{_link(e.url, e.label or e.id)}{' — ' + esc(e.note) if e.note else ''}</li>" for e in finding.evidence
        ) + "</ul></dd>")
    if finding.suggestion:
        rows.append(
            f'<dt>Suggestion</dt><dd class="suggestion"><p id="s-{fid}">{esc(finding.suggestion)}</p>'
            f'<button type="button" class="copy" data-copy="s-{fid}">Copy</button></dd>'
        )
    if finding.advice:
        rows.append(f'<dt>Advice</dt><dd class="advice">{esc(finding.advice)}</dd>')
    if finding.note:
        rows.append(f'<dt>Note</dt><dd class="note">{esc(finding.note)}</dd>')
    verdict = ""
    if decision is not None:
        reason = f": {decision.reason}" if decision.reason else ""
        rows.append(f'<dt>Decision</dt><dd class="decision">{esc(decision.status.value)} by {esc(decision.reviewer)} '
                    f'on {esc(decision.decided_at)}{esc(reason)}</dd>')
        verdict = f'<span class="decision-tag">{esc(decision.status.value)}</span>'
    return (
        f'<li class="finding" id="f-{fid}" data-family="{finding.family.value}" data-severity="{finding.severity.value}">'
        f'<button type="button" class="head" aria-expanded="false">'
        f'<span class="badge sev-{finding.severity.value}">{esc(finding.code)}</span>'
        f'<span class="loc">{where}</span>{verdict}{esc(finding.message)}</button>'
        f'<div class="details" hidden><dl>{"".join(rows)}</dl></div></li>'
    )


def _link(url: str, label: str) -> str:
    """A link for http(s) URLs only (never javascript: or data:), else plain text."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'
    return esc(label) + (f" ({esc(url)})" if url else "")
