"""One HTML report per page: the report helper's renderer, or a small escaped one."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from claimaudit.scan.report.aggregate import StoredPage
from claimaudit.scan.store import RunInfo


def render_page(page: StoredPage, run: RunInfo, decisions: Mapping[str, Any] | None = None) -> str:
    """The page's findings over its audited text (with their review decisions), as HTML."""
    try:
        from claimaudit.reporters.html_report import render
    except ImportError:
        return render_minimal(page, run)
    try:
        return str(render(page_result(page, run, decisions)))
    except Exception:  # noqa: BLE001 -- a finding the renderer cannot take: still show the page
        return render_minimal(page, run)


def page_fingerprints(page: StoredPage) -> list[str]:
    """Each stored finding's fingerprint: its own, else one computed from the page key, code and text."""
    from claimaudit.gate.baseline import fingerprints

    findings = [finding_from_dict(item) for item in page.findings]
    computed = fingerprints(findings, page.key)
    return [f.fingerprint or fp for f, fp in zip(findings, computed)]


def page_result(page: StoredPage, run: RunInfo, decisions: Mapping[str, Any] | None = None) -> Any:
    """An AuditResult holding this one stored page, for the reporters."""
    from dataclasses import replace

    from claimaudit.result import AuditResult, DocumentResult

    findings = tuple(replace(finding_from_dict(item), fingerprint=fp)
                     for item, fp in zip(page.findings, page_fingerprints(page)))
    document = DocumentResult(
        path=page.final_url or page.key,
        media_type=page.media_type or "text/plain",
        source_text=page.text,
        findings=findings,
        error=page.reason if page.status == "error" else None,
        decisions=tuple(decisions[f.fingerprint] for f in findings if decisions and f.fingerprint in decisions),
    )
    return AuditResult(
        documents=(document,),
        kb_version=page.kb_version or run.kb_version,
        kb_hash=run.kb_hash,
        tool_version=run.tool_version,
        meta={"scan_run": str(run.id), "url": page.key},
    )


def finding_from_dict(data: dict[str, Any]) -> Any:
    """Rebuild a Finding from the JSON reporter's dict."""
    from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan

    start, end = int(data["start"]), int(data["end"])
    span = SourceSpan(
        start=start,
        end=end,
        line=int(data.get("line", 1)),
        column=int(data.get("column", 1)),
        end_line=int(data.get("end_line", data.get("line", 1))),
        end_column=int(data.get("end_column", data.get("column", 1))),
    )
    return Finding(
        code=str(data["code"]),
        family=Family(str(data.get("family") or "".join(c for c in data["code"] if c.isalpha()))),
        severity=Severity(str(data["severity"])),
        span=span,
        text=str(data.get("text", "")),
        message=str(data.get("message", "")),
        evidence=tuple(
            EvidenceRef(
                id=str(item.get("id", "")),
                label=str(item.get("label", "")),
                url=str(item.get("url", "")),
                note=str(item.get("note", "")),
            )
            for item in data.get("evidence") or ()
        ),
        suggestion=data.get("suggestion"),
        omits=data.get("omits"),
        claim_id=data.get("claim_id"),
        fingerprint=str(data.get("fingerprint", "")),
    )


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:1rem}
mark{background:#fde2a7}mark.error{background:#f5b7b1}mark.info{background:#d6eaf8}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}.meta{color:#555}.url{word-break:break-all}
"""


def render_minimal(page: StoredPage, run: RunInfo) -> str:
    """A plain, fully escaped page report: metadata, highlighted text, findings table."""
    rows = "".join(
        f"<tr><td>{escape(str(f.get('line', '')))}:{escape(str(f.get('column', '')))}</td>"
        f"<td><code>{escape(str(f.get('code', '')))}</code></td>"
        f"<td>{escape(str(f.get('severity', '')))}</td>"
        f"<td>“{escape(str(f.get('text', '')))}”</td>"
        f"<td>{escape(str(f.get('message', '')))}"
        + (f"<br><em>Better: {escape(str(f['suggestion']))}</em>" if f.get("suggestion") else "")
        + _evidence(f)
        + "</td></tr>"
        for f in page.findings
    )
    facts = [
        ("URL", page.key),
        ("Final URL", page.final_url or page.key),
        ("Status", page.status + (f" ({page.reason})" if page.reason else "")),
        ("HTTP status", "" if page.http_status is None else str(page.http_status)),
        ("Fetched", page.fetched_at),
        ("Content type", page.content_type),
        ("Text extracted by", page.extractor),
    ]
    facts_html = "".join(
        f'<tr><th>{escape(name)}</th><td class="url">{escape(value)}</td></tr>'
        for name, value in facts
        if value
    )
    findings_html = (
        "<table><tr><th>Line</th><th>Code</th><th>Severity</th><th>Claim</th><th>Why</th></tr>"
        f"{rows}</table>"
        if rows
        else "<p>No findings.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>claimaudit: {escape(page.key)}</title><style>{_CSS}</style></head><body>"
        f'<p><a href="../index.html">← site report</a></p>'
        f'<h1 class="url">{escape(page.key)}</h1><table>{facts_html}</table>'
        f"<h2>Findings ({len(page.findings)})</h2>{findings_html}"
        f"<h2>Audited text</h2><pre>{highlight(page.text, page.findings)}</pre>"
        f'<p class="meta">Run {run.id} · knowledge base {escape(page.kb_version or run.kb_version)}'
        "</p></body></html>\n"
    )


def _evidence(finding: dict[str, Any]) -> str:
    items = []
    for item in finding.get("evidence") or ():
        label = escape(str(item.get("label") or item.get("id") or ""))
        url = str(item.get("url") or "")
        if url.startswith(("https://", "http://")):
            items.append(f'<a href="{escape(url)}" rel="noopener noreferrer">{label}</a>')
        else:
            items.append(label)
    return f"<br>Evidence: {'; '.join(items)}" if items else ""


def highlight(text: str, findings: tuple[dict[str, Any], ...]) -> str:
    """Escaped text with each finding's span wrapped in <mark> (overlaps merged)."""
    spans = sorted(
        (int(f.get("start", 0)), int(f.get("end", 0)), str(f.get("severity", "")))
        for f in findings
        if 0 <= int(f.get("start", 0)) < int(f.get("end", 0)) <= len(text)
    )
    out: list[str] = []
    cursor = 0
    for start, end, severity in spans:
        if start < cursor:
            continue  # overlapping spans: the first one is marked
        out.append(escape(text[cursor:start]))
        out.append(f'<mark class="{escape(severity)}">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
