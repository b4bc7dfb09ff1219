"""Settings: everything that shapes one audit run (from config files and the command line)."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimaudit.findings.model import Severity


@dataclass(frozen=True, slots=True)
class PathOverride:
    """Settings that apply to files matching a glob (config `[[tool.claimaudit.overrides]]`)."""

    pattern: str
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ()  # rule selectors (code, prefix or family); empty = all
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # per-selector severity overrides
    fail_on: Severity = Severity.WARNING  # exit 1 when a finding at or above this level remains
    min_severity: Severity = Severity.INFO  # findings below are not reported
    jurisdictions: tuple[str, ...] = ("US", "CA")  # whose approvals count when the text names none
    knowledge_dirs: tuple[str, ...] = ()  # extra knowledge directories layered over the bundled base
    bundled_knowledge: bool = True
    include: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
    exclude: tuple[str, ...] = ()
    overrides: tuple[PathOverride, ...] = ()
    max_bytes: int = 5_000_000
    model: bool = False  # the learned sentence model proposes claims and certainty (claims/model_proposals.py)
    page_kind: str = "auto"  # promotional | informational | auto (decided per page from its text)
    config_path: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
