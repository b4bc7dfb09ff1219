"""Selection: which findings a file reports, at what severity, and whether the run fails.

Selectors name a code (SAFE001), a code prefix (SAFE0) or a family (SAFE). Between `select`
and `ignore` the most specific matching selector wins (longest; on a tie, ignore wins), so
`select = ["SAFE001"]` with `ignore = ["SAFE"]` keeps SAFE001. An empty `select` means all.
The `ignore` of a per-path override always wins. Severity overrides: the most specific
matching selector wins, later entries (overrides, command line) on a tie.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from claimaudit.findings.model import Finding, Severity
from claimaudit.settings import Settings


def selector_matches(selector: str, code: str, family: str) -> bool:
    """A selector matches by exact code, code prefix or family name."""
    selector = selector.strip().upper()
    return bool(selector) and (code.upper().startswith(selector) or family.upper() == selector)


def split_selectors(values: Iterable[str]) -> tuple[str, ...]:
    """Flatten repeatable, comma-separated selector options: ("SAFE,EVI001", "REG") -> 3."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def unknown_selectors(selectors: Iterable[str], known: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """Selectors that match none of the `known` (code, family) pairs."""
    return tuple(
        s for s in selectors if not any(selector_matches(s, code, family) for code, family in known)
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """The resolved selection for one file."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    forced_ignore: tuple[str, ...] = ()  # per-path override ignores: always win
    severity: tuple[tuple[str, Severity], ...] = ()
    min_severity: Severity = Severity.INFO

    def enabled(self, code: str, family: str) -> bool:
        if any(selector_matches(s, code, family) for s in self.forced_ignore):
            return False
        best_select = _most_specific(self.select, code, family)
        best_ignore = _most_specific(self.ignore, code, family)
        if self.select and best_select < 0:
            return False
        return best_ignore < 0 or best_select > best_ignore

    def severity_for(self, code: str, family: str, default: Severity) -> Severity:
        chosen, best = default, -1
        for selector, level in self.severity:
            if selector_matches(selector, code, family) and len(selector) >= best:
                chosen, best = level, len(selector)
        return chosen


def _most_specific(selectors: Sequence[str], code: str, family: str) -> int:
    """Length of the longest matching selector, or -1."""
    lengths = [len(s) for s in selectors if selector_matches(s, code, family)]
    return max(lengths, default=-1)


def selection_for(settings: Settings, path: Path | str | None = None) -> Selection:
    """The selection for a file: settings plus every per-path override matching `path`."""
    from claimaudit.config import overrides_for

    select, severity = settings.select, settings.severity
    forced_ignore: tuple[str, ...] = ()
    if path is not None:
        for override in overrides_for(settings, path):
            if override.select:
                select = override.select
            forced_ignore += override.ignore
            severity += override.severity
    return Selection(
        select=select,
        ignore=settings.ignore,
        forced_ignore=forced_ignore,
        severity=severity,
        min_severity=settings.min_severity,
    )


def apply_selection(findings: Iterable[Finding], selection: Selection) -> tuple[Finding, ...]:
    """Enabled findings with their effective severity, at or above the minimum severity."""
    kept = []
    for finding in findings:
        if not selection.enabled(finding.code, finding.family.value):
            continue
        level = selection.severity_for(finding.code, finding.family.value, finding.severity)
        if level.rank < selection.min_severity.rank:
            continue
        kept.append(finding if level is finding.severity else replace(finding, severity=level))
    return tuple(kept)


def fails(findings: Iterable[Finding], fail_on: Severity) -> bool:
    """True when any finding is at or above `fail_on`."""
    return any(f.severity.rank >= fail_on.rank for f in findings)
