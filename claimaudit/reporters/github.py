"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding."""

from __future__ import annotations

from claimaudit.findings.model import Finding, Severity
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import display_path, error_text
from claimaudit.result import AuditResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (the part after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (file=..., title=...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    lines = []
    for document in result.documents:
        path = display_path(document.path, options.root)
        if document.error:
            lines.append(f"::error file={escape_property(path)},title={escape_property(document.error_code or 'IN100')}"
                         f"::{escape_data(error_text(document))}")
            continue
        lines += [_annotation(path, finding) for finding in document.findings]
    return "\n".join(lines) + "\n" if lines else ""


def _annotation(path: str, finding: Finding) -> str:
    span = finding.span
    if finding.is_document_level:
        place = "line=1"
    else:
        place = f"line={span.line},col={span.column},endLine={span.end_line},endColumn={span.end_column}"
    message = finding.message
    if finding.suggestion:
        message += f"\nSuggestion: {finding.suggestion}"
    if finding.advice:
        message += f"\nAdvice: {finding.advice}"
    title = escape_property(f"{finding.code} ({finding.family.value})")
    return f"::{_COMMANDS[finding.severity]} file={escape_property(path)},{place},title={title}::{escape_data(message)}"
