"""Text: one line per finding, `path:line:col: severity CODE message`, then a summary line."""

from __future__ import annotations

from claimaudit.findings.model import Finding, Severity
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import display_path, error_text, kb_line, summary
from claimaudit.result import AuditResult, DocumentResult

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _style(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def _one_line(text: str) -> str:
    """Whitespace collapsed and control characters (terminal escapes) dropped."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    lines: list[str] = []
    for document in result.documents:
        lines += document_lines(document, options)
    if not options.quiet:
        if lines:
            lines.append("")
        lines.append(summary(result))
        if kb_line(result):
            lines.append(kb_line(result))
    return "\n".join(lines) + "\n" if lines else ""


def document_lines(document: DocumentResult, options: ReportOptions = DEFAULT_OPTIONS) -> list[str]:
    """One document's lines: its error, or its findings (with details when verbose) and notes."""
    colour = options.color
    path = display_path(document.path, options.root)
    if document.error:
        return [f"{_style(path, '1', colour)}: {_style('error', '31', colour)} {_one_line(error_text(document))}"]
    lines: list[str] = []
    for finding in document.findings:
        lines.append(_finding_line(path, finding, colour))
        if options.verbose:
            lines += _details(finding)
    for item in document.unjudged:
        where = f"{path}:{item.line}:{item.column}:"
        lines.append(f"{_style(where, '1', colour)} {_style('note', '2', colour)} "
                     f"{_style(item.code, '1', colour)} {_one_line(item.message)}")
    return lines


def _finding_line(path: str, finding: Finding, colour: bool) -> str:
    point = finding.trigger_span  # line:column of the words that triggered the finding
    where = f"{path}:{point.line}:{point.column}:"
    severity = _style(finding.severity.value, _COLOURS[finding.severity], colour)
    return f"{_style(where, '1', colour)} {severity} {_style(finding.code, '1', colour)} {_one_line(finding.message)}"


def _details(finding: Finding) -> list[str]:
    lines = []
    if finding.trigger_text and finding.trigger_text != finding.text:
        lines.append(f"  trigger: {_one_line(finding.trigger_text)}")
    for label in ("suggestion", "advice", "note"):
        value = getattr(finding, label)
        if value:
            lines.append(f"  {label}: {_one_line(value)}")
    for evidence in finding.evidence:
        link = f" <{evidence.url}>" if evidence.url else ""
        lines.append(f"  evidence: {_one_line(evidence.label)}{link}")
    return lines
