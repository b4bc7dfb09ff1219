"""Site reports from a scan database: HTML with inline SVG charts, CSV, one page per URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimaudit.scan.report.aggregate import StoredPage, summarize_sites
from claimaudit.scan.report.csv_export import write_findings, write_pages, write_site_summary
from claimaudit.scan.report.html_site import render_site_report
from claimaudit.scan.report.page import render_page
from claimaudit.scan.store import ScanStore

__all__ = ["ReportFiles", "write_reports"]


@dataclass(frozen=True, slots=True)
class ReportFiles:
    index: Path
    site_summary: Path
    pages: Path
    findings: Path
    page_reports: int


def write_reports(store: ScanStore, run_id: int | None, out_dir: str | Path,
                  review_db: str | Path | None = None) -> ReportFiles:
    """Write index.html, the three CSV files and pages/<slug>.html for a run.

    With `review_db`, each page report and findings.csv show the current review decisions.
    """
    run = store.run(run_id)
    decisions: dict[str, Any] = {}
    if review_db is not None:
        from claimaudit.review.store import ReviewStore

        with ReviewStore(review_db) as reviews:
            decisions = dict(reviews.current())
    out = Path(out_dir)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    pages = [StoredPage.from_row(row) for row in store.pages(run.id)]
    page_files: dict[str, str] = {}
    for page in pages:
        if page.status != "ok":
            continue
        relative = f"pages/{page.slug}.html"
        (out / relative).write_text(render_page(page, run, decisions), encoding="utf-8")
        page_files[page.key] = relative
    sites = summarize_sites(pages)
    index = out / "index.html"
    index.write_text(render_site_report(run, sites, page_files), encoding="utf-8")
    files = ReportFiles(
        index=index,
        site_summary=out / "site_summary.csv",
        pages=out / "pages.csv",
        findings=out / "findings.csv",
        page_reports=len(page_files),
    )
    write_site_summary(files.site_summary, sites)
    write_pages(files.pages, pages, page_files)
    write_findings(files.findings, pages, decisions)
    return files
