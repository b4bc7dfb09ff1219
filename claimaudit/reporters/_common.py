"""Helpers shared by reporters: counts, summary sentence, display paths. Pure functions."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from claimaudit.findings.model import Family, Finding, Severity
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import Rule

SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)
FAMILIES: tuple[Family, ...] = tuple(Family)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def severity_count(count: int, severity: Severity) -> str:
    """"1 error", "2 warnings", "3 info"."""
    return f"{count} info" if severity is Severity.INFO else plural(count, severity.value)


def display_path(path: str, root: str) -> str:
    """`path` relative to `root` (POSIX) when it lies below it; otherwise as given."""
    if not root or path.startswith("<"):
        return path
    absolute = Path(path).absolute()
    try:
        return absolute.relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        return path.replace(os.sep, "/")


def error_text(document: DocumentResult) -> str:
    """"IN101 message" for a document that could not be read (without repeating its path)."""
    text = document.error or ""
    code = document.error_code or ""
    if code and text.startswith(code):
        text = text[len(code):].lstrip()
    text = text.removeprefix(f"{document.path}: ")
    return f"{code} {text}" if code else text


def severity_counts(findings: Iterable[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def family_severity_counts(findings: Iterable[Finding]) -> Counter[tuple[Family, Severity]]:
    return Counter((f.family, f.severity) for f in findings)


def meta_count(result: AuditResult, key: str) -> int:
    try:
        return int(result.meta.get(key, "0"))
    except ValueError:
        return 0


def summary(result: AuditResult) -> str:
    """One sentence: findings by severity, documents, unreadable inputs, what was filtered."""
    findings = result.findings
    documents = len(result.documents)
    unreadable = len(result.errors)
    if findings:
        counts = severity_counts(findings)
        parts = ", ".join(severity_count(counts[s], s) for s in SEVERITIES if counts[s])
        with_findings = sum(1 for d in result.documents if d.findings)
        text = (f"Found {plural(len(findings), 'finding')} ({parts}) "
                f"in {with_findings} of {plural(documents, 'document')}")
    else:
        text = f"No findings in {plural(documents, 'document')}"
    extras = []
    if unreadable:
        extras.append(f"{unreadable} could not be read")
    if meta_count(result, "suppressed"):
        extras.append(f"{meta_count(result, 'suppressed')} suppressed inline")
    if meta_count(result, "baselined"):
        extras.append(f"{meta_count(result, 'baselined')} in the baseline")
    unjudged = sum(len(d.unjudged) for d in result.documents)
    if unjudged:
        documents_unjudged = sum(1 for d in result.documents if d.unjudged)
        extras.append(f"{plural(unjudged, 'thing')} not judged in {plural(documents_unjudged, 'document')}")
    if meta_count(result, "outside_diff"):
        extras.append(f"{meta_count(result, 'outside_diff')} outside --diff {result.meta.get('diff_ref', '')}".rstrip())
    return text + ("; " + ", ".join(extras) if extras else "") + "."


def kb_line(result: AuditResult) -> str:
    """"Knowledge base core@...+ketamine@... (hash ...); evidence used checked 2026-11-22 or later."."""
    if not result.kb_version:
        return ""
    checked = (f"evidence used checked {result.kb_checked} or later" if result.kb_checked
               else "no knowledge-base evidence cited")
    return f"Knowledge base {result.kb_version} (hash {result.kb_hash[:12]}); {checked}."


def rule_index(rules: Iterable[Rule]) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


def first_paragraph(doc: str, section: str = "What it flags") -> str:
    """The first paragraph of a rule doc section (or of the doc), as one line."""
    lines = doc.splitlines()
    start = 0
    for index, line in enumerate(lines):
        if line.strip().strip("#*_: ").lower() == section.lower():
            start = index + 1
            break
    paragraph: list[str] = []
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith("#") or set(stripped) <= set("-=~"):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    return " ".join(paragraph)
