"""The site report as CSV: site_summary.csv, pages.csv, findings.csv."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from claimaudit.reporters.csv_report import safe_cell
from claimaudit.scan.report.aggregate import (
    FAMILIES,
    SEVERITIES,
    SiteSummary,
    StoredPage,
    family_of,
    normalize_claim,
)


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])


def write_site_summary(path: Path, sites: list[SiteSummary]) -> None:
    # page counts by status, then finding counts by severity ("error" is a severity here)
    header = ["site", "pages", "pages_ok", "pages_error", "pages_skipped", "findings", *SEVERITIES, *FAMILIES]
    rows = []
    for site in sites:
        severity = dict(site.by_severity)
        family = {name: sum(count for _, count in counts) for name, counts in site.by_family}
        rows.append(
            [site.site, site.pages, site.ok, site.errors, site.skipped, site.findings]
            + [severity.get(sev, 0) for sev in SEVERITIES]
            + [family.get(name, 0) for name in FAMILIES]
        )
    _write(path, header, rows)


def write_pages(path: Path, pages: list[StoredPage], page_files: dict[str, str]) -> None:
    header = [
        "site",
        "url",
        "final_url",
        "status",
        "reason",
        "http_status",
        "fetched_at",
        "bytes",
        "content_type",
        "encoding",
        "extractor",
        "findings",
        *SEVERITIES,
        "score",
        "report",
    ]
    _write(
        path,
        header,
        (
            [
                page.site,
                page.key,
                page.final_url,
                page.status,
                page.reason,
                page.http_status,
                page.fetched_at,
                page.bytes,
                page.content_type,
                page.encoding,
                page.extractor,
                len(page.findings),
                *(page.count(sev) for sev in SEVERITIES),
                page.score,
                page_files.get(page.key, ""),
            ]
            for page in pages
        ),
    )


def write_findings(path: Path, pages: list[StoredPage], decisions: Mapping[str, Any] | None = None) -> None:
    """One row per finding; the last four columns are its fingerprint and current review decision."""
    from claimaudit.scan.report.page import page_fingerprints

    decisions = decisions or {}
    header = [
        "site",
        "url",
        "code",
        "family",
        "severity",
        "line",
        "column",
        "start",
        "end",
        "text",
        "normalized_claim",
        "message",
        "suggestion",
        "fingerprint",
        "decision",
        "decision_reason",
        "reviewer",
    ]
    _write(
        path,
        header,
        (
            [
                page.site,
                page.key,
                f.get("code", ""),
                family_of(f),
                f.get("severity", ""),
                f.get("line", ""),
                f.get("column", ""),
                f.get("start", ""),
                f.get("end", ""),
                f.get("text", ""),
                normalize_claim(str(f.get("text", ""))),
                f.get("message", ""),
                f.get("suggestion") or "",
                fp,
                *_decision_cells(decisions.get(fp)),
            ]
            for page in pages
            for f, fp in zip(page.findings, page_fingerprints(page))
        ),
    )


def _decision_cells(decision: Any) -> list[str]:
    if decision is None:
        return ["", "", ""]
    return [decision.status.value, decision.reason, decision.reviewer]
