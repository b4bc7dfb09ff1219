"""Helpers shared by reporters: counts, summary sentence, display paths. Pure functions."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from claimaudit.findings.model import Family, Finding, Severity, pickled_by_fields
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


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DocumentTally:
    """What one document adds to `RunCounts`, small enough to send between processes."""

    error: bool
    severities: tuple[Severity, ...]  # one per finding, in order
    families: tuple[Family, ...]
    evidence: tuple[str, ...]  # ids of the evidence the findings cite
    unjudged: int  # COV notices

    @classmethod
    def of(cls, document: DocumentResult) -> DocumentTally:
        findings = document.findings
        return cls(bool(document.error), tuple(f.severity for f in findings), tuple(f.family for f in findings),
                   tuple(e.id for f in findings for e in f.evidence), len(document.unjudged))


@dataclass(slots=True)
class RunCounts:
    """The counts a summary needs, gathered one document at a time (streamed reports)."""

    documents: int = 0
    unreadable: int = 0
    with_findings: int = 0
    severities: Counter[Severity] = field(default_factory=Counter)
    families: Counter[Family] = field(default_factory=Counter)
    evidence: set[str] = field(default_factory=set)  # ids of the evidence the findings cite
    unjudged: int = 0  # COV notices: things not judged
    documents_unjudged: int = 0

    def add(self, document: DocumentResult) -> None:
        self.add_tally(DocumentTally.of(document))

    def add_tally(self, tally: DocumentTally) -> None:
        self.documents += 1
        self.unreadable += tally.error
        self.with_findings += bool(tally.severities)
        self.severities.update(tally.severities)
        self.families.update(tally.families)
        self.evidence.update(tally.evidence)
        self.unjudged += tally.unjudged
        self.documents_unjudged += bool(tally.unjudged)

    @property
    def findings(self) -> int:
        return sum(self.severities.values())


def summary(result: AuditResult) -> str:
    """One sentence: findings by severity, documents, unreadable inputs, what was filtered."""
    counts = RunCounts()
    for document in result.documents:
        counts.add(document)
    return summary_of(counts, result.meta)


def summary_of(counts: RunCounts, meta: Mapping[str, str]) -> str:
    """`summary` from counts and the run's meta."""
    documents = counts.documents
    if counts.findings:
        parts = ", ".join(severity_count(counts.severities[s], s) for s in SEVERITIES if counts.severities[s])
        text = (f"Found {plural(counts.findings, 'finding')} ({parts}) "
                f"in {counts.with_findings} of {plural(documents, 'document')}")
    else:
        text = f"No findings in {plural(documents, 'document')}"
    extras = []
    if counts.unreadable:
        extras.append(f"{counts.unreadable} could not be read")
    if _meta_int(meta, "suppressed"):
        extras.append(f"{_meta_int(meta, 'suppressed')} suppressed inline")
    if _meta_int(meta, "baselined"):
        extras.append(f"{_meta_int(meta, 'baselined')} in the baseline")
    if counts.unjudged:
        extras.append(f"{plural(counts.unjudged, 'thing')} not judged in {plural(counts.documents_unjudged, 'document')}")
    if _meta_int(meta, "outside_diff"):
        extras.append(f"{_meta_int(meta, 'outside_diff')} outside --diff {meta.get('diff_ref', '')}".rstrip())
    return text + ("; " + ", ".join(extras) if extras else "") + "."


def kb_line(result: AuditResult) -> str:
    """"Knowledge base core@...+ketamine@... (hash ...); evidence used checked 2026-11-22 or later."."""
    if not result.kb_version:
        return ""
    checked = (f"evidence used checked {result.kb_checked} or later" if result.kb_checked
               else "no knowledge-base evidence cited")
    return f"Knowledge base {result.kb_version} (hash {result.kb_hash[:12]}); {checked}."


def _meta_int(meta: Mapping[str, str], key: str) -> int:
    try:
        return int(meta.get(key, "0"))
    except ValueError:
        return 0


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
