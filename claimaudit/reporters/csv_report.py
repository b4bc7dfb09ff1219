"""CSV: a header row, then one row per finding (and one per unreadable document).

Cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe, so a
spreadsheet shows page text instead of running it as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io

from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import display_path, error_text
from claimaudit.result import AuditResult

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Keep spreadsheet programs from running text as a formula."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value

COLUMNS: tuple[str, ...] = (
    "path", "line", "column", "end_line", "end_column", "start", "end",
    "code", "family", "severity", "message", "text", "suggestion", "evidence", "fingerprint",
    "advice", "note", "trigger_start", "trigger_end", "trigger_text",
)


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    plain.writerow(COLUMNS)

    class _Safe:
        @staticmethod
        def writerow(row: list[object]) -> None:
            plain.writerow([safe_cell(value) for value in row])

    writer = _Safe()
    for document in result.documents:
        path = display_path(document.path, options.root)
        if document.error:
            writer.writerow([path, "", "", "", "", "", "", document.error_code or "IN100", "", "error",
                             error_text(document), "", "", "", "", "", "", "", "", ""])
            continue
        for finding in document.findings:
            span = finding.span
            evidence = " ".join(e.url or e.id for e in finding.evidence)
            writer.writerow([
                path, span.line, span.column, span.end_line, span.end_column, span.start, span.end,
                finding.code, finding.family.value, finding.severity.value, finding.message,
                finding.text, finding.suggestion or "", evidence, finding.fingerprint,
                finding.advice or "", finding.note or "", finding.trigger_span.start, finding.trigger_span.end,
                finding.trigger_text,
            ])
    return buffer.getvalue()
