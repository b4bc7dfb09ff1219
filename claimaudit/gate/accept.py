"""What every front end does to an audited document before reporting it.

Inline suppressions, fingerprints (paths relative to `root`), then the rule selection of the
document's settings (select, ignore, severity overrides, min-severity, per-path overrides), in a
stable order. `check` adds the baseline and `--diff` afterwards; `serve` reports this directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from claimaudit.gate.baseline import stamp_fingerprints
from claimaudit.findings.model import Finding, finding_sort_key
from claimaudit.gate.selection import apply_selection, selection_for
from claimaudit.gate.suppression import apply_suppressions
from claimaudit.result import DocumentResult
from claimaudit.settings import Settings


def accept_findings(
    document: DocumentResult,
    settings: Settings,
    known: Sequence[tuple[str, str]],
    root: Path,
) -> tuple[DocumentResult, int]:
    """The document with suppressed and deselected findings removed, and how many were suppressed."""
    if not document.ok:
        return document, 0
    outcome = apply_suppressions(document.findings, document.directives, document.source_text, known)
    findings: Sequence[Finding] = stamp_fingerprints(outcome.findings, document.path, root)
    selection_path = None if document.path.startswith("<") else document.path
    findings = apply_selection(findings, selection_for(settings, selection_path))
    accepted = replace(
        document,
        findings=tuple(sorted(findings, key=finding_sort_key)),
        suppressed=document.suppressed + len(outcome.suppressed),
    )
    return accepted, len(outcome.suppressed)
