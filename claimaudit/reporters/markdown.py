"""Markdown: a pull-request comment, with counts by family x severity, then findings per file."""

from __future__ import annotations

import re

from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import (
    FAMILIES,
    SEVERITIES,
    display_path,
    error_text,
    family_severity_counts,
    plural,
    summary,
)
from claimaudit.result import AuditResult

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def cell(text: str) -> str:
    """Untrusted text made safe for a table cell: one line, Markdown/HTML inert, no @mentions."""
    flat = " ".join(text.split())
    escaped = _SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;"))
    return escaped.replace("@", "@&#8203;")


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    lines = ["## claimaudit report", "", summary(result), ""]
    findings = result.findings
    if findings:
        counts = family_severity_counts(findings)
        lines += ["| Family | " + " | ".join(s.value for s in SEVERITIES) + " | total |",
                  "|---|" + "---:|" * (len(SEVERITIES) + 1)]
        for family in FAMILIES:
            row = [counts[(family, s)] for s in SEVERITIES]
            if sum(row):
                lines.append(f"| {family.value} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        totals = [sum(counts[(f, s)] for f in FAMILIES) for s in SEVERITIES]
        lines += ["| **total** | " + " | ".join(f"**{t}**" for t in totals) + f" | **{sum(totals)}** |", ""]
    for document in result.documents:
        path = cell(display_path(document.path, options.root))
        if document.error:
            lines += [f"### {path}: could not be read", "", f"> {cell(error_text(document))}", ""]
            continue
        if not document.findings:
            continue
        lines += [f"### {path} ({plural(len(document.findings), 'finding')})", "",
                  "| Line | Code | Severity | Trigger | Message | Suggestion | Advice |",
                  "|---:|---|---|---|---|---|---|"]
        for finding in document.findings:
            lines.append(f"| {finding.trigger_span.line} | {finding.code} | {finding.severity.value} | "
                         f"{cell(finding.trigger_text)} | {cell(finding.message)} | "
                         f"{cell(finding.suggestion or '')} | {cell(finding.advice or '')} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
