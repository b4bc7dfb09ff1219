"""Site reports: aggregation, escaping, CSV safety, per-page reports."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from claimaudit.scan.model import PageRecord, PageStatus, Task, TaskKind
from claimaudit.scan.report import write_reports
from claimaudit.scan.report.aggregate import (
    StoredPage,
    frequent_claims,
    normalize_claim,
    summarize_site,
)
from claimaudit.scan.report.csv_export import safe_cell
from claimaudit.scan.report.page import finding_from_dict, highlight
from claimaudit.scan.store import ScanStore

EVIL = '<script>alert("x")</script>'


def _finding(text: str, start: int, code: str, severity: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "family": "".join(c for c in code if c.isalpha()),
        "severity": severity,
        "start": start,
        "end": start + len(text),
        "line": 1,
        "column": start + 1,
        "end_line": 1,
        "end_column": start + len(text) + 1,
        "text": text,
        "message": f"problem with {text}",
        "evidence": [],
        **extra,
    }


def _page(key: str, text: str, findings: list[dict[str, Any]], status: str = "ok") -> StoredPage:
    return StoredPage(
        key=key,
        kind="page",
        final_url=key,
        status=status,
        reason="" if status == "ok" else "HTTP 404",
        http_status=200,
        fetched_at="",
        bytes=len(text),
        content_type="text/html",
        encoding="utf-8",
        extractor="trafilatura",
        media_type="text/plain",
        text=text,
        findings=tuple(findings),
        kb_version="kb-1",
    )


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("FDA-approved for anxiety.", "fda-approved for anxiety"),
        ("  “No  side\neffects”! ", "no side effects"),
        ("No side effects", "no side effects"),
        ("ﬁrst-line", "first-line"),  # NFKC folds the ligature
    ],
)
def test_normalize_claim_folds_case_quotes_space_and_edges(raw: str, normalized: str) -> None:
    assert normalize_claim(raw) == normalized


def test_frequent_claims_rank_by_pages_then_occurrences() -> None:
    pages = [
        _page(
            "http://s/a",
            "x",
            [
                _finding("No side effects", 0, "SAFE001", "error"),
                _finding("no side effects!", 20, "SAFE001", "error"),
            ],
        ),
        _page(
            "http://s/b",
            "x",
            [
                _finding("no  side effects", 0, "SAFE001", "error"),
                _finding("proven cure", 30, "EVI001", "error"),
            ],
        ),
        _page(
            "http://s/c",
            "x",
            [
                _finding("Proven cure", 0, "EVI001", "error"),
                _finding("proven cure", 9, "EVI001", "error"),
                _finding("proven cure", 19, "EVI001", "error"),
            ],
        ),
        _page("http://s/d", "x", [_finding("no side effects", 0, "SAFE002", "warning")]),
    ]
    groups = frequent_claims(pages)
    assert [(g.claim, g.code, len(g.pages), g.occurrences) for g in groups] == [
        ("proven cure", "EVI001", 2, 4),
        ("no side effects", "SAFE001", 2, 3),
        ("no side effects", "SAFE002", 1, 1),
    ]
    assert groups[1].pages == ("http://s/a", "http://s/b")


def test_summarize_site_counts_and_orders_worst_pages() -> None:
    pages = [
        _page("http://s/mild", "x", [_finding("a", 0, "DISC005", "info")] * 3),  # score 3
        _page(
            "http://s/bad",
            "x",
            [_finding("b", 0, "REG001", "error"), _finding("c", 2, "SAFE002", "warning")],
        ),  # score 5
        _page("http://s/clean", "x", []),
        _page("http://s/gone", "", [], status="error"),
    ]
    site = summarize_site("s", pages)
    assert (site.pages, site.ok, site.errors, site.skipped) == (4, 3, 1, 0)
    assert [p.key for p in site.worst_pages] == ["http://s/bad", "http://s/mild"]
    assert dict(site.by_severity) == {"error": 1, "warning": 1, "info": 3}
    assert [name for name, _ in site.by_family] == ["REG", "SAFE", "DISC"]
    assert site.problems == (("error: HTTP 404", 1),)


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"])
def test_csv_cells_cannot_become_formulas(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain text") == "plain text" and safe_cell(3) == 3


def test_highlight_escapes_and_marks_spans() -> None:
    text = f"Ketamine has no side effects {EVIL}."
    marked = highlight(text, (_finding("no side effects", 13, "SAFE001", "error"),))
    assert '<mark class="error">no side effects</mark>' in marked
    assert "<script>" not in marked and "&lt;script&gt;" in marked


def test_finding_round_trips_through_the_json_reporter() -> None:
    from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
    from claimaudit.reporters.json_report import finding_to_dict

    finding = Finding(
        code="SAFE001",
        family=Family.SAFE,
        severity=Severity.ERROR,
        span=SourceSpan(4, 19, 1, 5, 1, 20),
        text="no side effects",
        message="m",
        evidence=(EvidenceRef("ae-1", "Label", "https://example.org/x", "note"),),
        suggestion="say the risks",
        fingerprint="abc",
    )
    assert finding_from_dict(finding_to_dict(finding, "p")) == finding


def _store_with_evil_page(tmp_path: Path) -> tuple[ScanStore, int]:
    store = ScanStore(tmp_path / "run.db")
    run_id = store.create_run({}, "0.1.0")
    store.set_kb(run_id, "kb-1", "f" * 64)
    text = f"Intro {EVIL} Ketamine has no side effects and is =cmd|' /C calc'!A0 proven."
    start = text.index("no side effects")
    evil_claim = text.index("=cmd")
    findings = [
        _finding("no side effects", start, "SAFE001", "error"),
        _finding(text[evil_claim : evil_claim + 20], evil_claim, "EVI001", "warning"),
    ]
    key = f"http://127.0.0.1:1/{EVIL}"
    store.add_tasks(run_id, [Task(key, TaskKind.PAGE)], max_pages=None)
    store.record_page(
        run_id,
        PageRecord(
            key=key,
            kind=TaskKind.PAGE,
            status=PageStatus.OK,
            final_url=key,
            text=text,
            media_type="text/plain",
            findings_json=json.dumps(findings),
            counts=(("error", 1), ("warning", 1)),
            http_status=200,
        ),
    )
    store.record_page(
        run_id,
        PageRecord(
            key="http://127.0.0.1:1/missing",
            kind=TaskKind.PAGE,
            status=PageStatus.ERROR,
            reason="HTTP 404",
            http_status=404,
        ),
    )
    return store, run_id


def test_write_reports_escapes_untrusted_text_everywhere(tmp_path: Path) -> None:
    store, run_id = _store_with_evil_page(tmp_path)
    files = write_reports(store, run_id, tmp_path / "report")
    index = files.index.read_text(encoding="utf-8")
    assert "<script>" not in index
    assert "&lt;script&gt;" in index
    assert "<svg" in index and "Findings by family and severity" in index
    assert "no side effects" in index  # the frequent-claims table
    (page_file,) = (tmp_path / "report" / "pages").iterdir()
    assert f'href="pages/{page_file.name}"' in index
    page_html = page_file.read_text(encoding="utf-8")
    assert 'alert("x")</script>' not in page_html  # the script text is shown, never run
    assert files.page_reports == 1  # error pages have no page report


def test_write_reports_csv_files(tmp_path: Path) -> None:
    store, run_id = _store_with_evil_page(tmp_path)
    files = write_reports(store, run_id, tmp_path / "report")
    with files.site_summary.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
        handle.seek(0)
        (summary,) = list(csv.DictReader(handle))
    assert len(header) == len(set(header))  # no column name twice
    assert summary["site"] == "127.0.0.1:1"
    assert (summary["pages"], summary["pages_ok"], summary["pages_error"], summary["findings"]) == (
        "2",
        "1",
        "1",
        "2",
    )
    assert (summary["SAFE"], summary["EVI"]) == ("1", "1")
    with files.findings.open(encoding="utf-8") as handle:
        findings = list(csv.DictReader(handle))
    assert [f["code"] for f in findings] == ["SAFE001", "EVI001"]
    assert findings[1]["text"].startswith("'=cmd")  # neutralised formula
    with files.pages.open(encoding="utf-8") as handle:
        pages = {row["url"]: row for row in csv.DictReader(handle)}
    assert pages["http://127.0.0.1:1/missing"]["status"] == "error"
    assert pages["http://127.0.0.1:1/missing"]["report"] == ""


def test_page_reports_and_findings_csv_show_review_decisions(tmp_path: Path) -> None:
    from claimaudit.review.model import Decision, Status
    from claimaudit.review.store import ReviewStore

    store, run_id = _store_with_evil_page(tmp_path)
    files = write_reports(store, run_id, tmp_path / "before")
    with files.findings.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    safe = next(r for r in rows if r["code"] == "SAFE001")
    assert safe["fingerprint"] and safe["decision"] == ""
    with ReviewStore(tmp_path / "review.db") as reviews:
        reviews.decide(Decision(fingerprint=safe["fingerprint"], document=safe["url"], status=Status.DISMISSED,
                                reason="quoted from a patient", reviewer="maria", decided_at="", kb_version="kb-1",
                                kb_hash="", finding={"code": "SAFE001"}))
    files = write_reports(store, run_id, tmp_path / "after", tmp_path / "review.db")
    with files.findings.open(encoding="utf-8") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}
    assert (rows["SAFE001"]["decision"], rows["SAFE001"]["reviewer"]) == ("dismissed", "maria")
    assert rows["EVI001"]["decision"] == ""
    (page_file,) = (tmp_path / "after" / "pages").iterdir()
    page_html = page_file.read_text(encoding="utf-8")
    assert "dismissed by maria" in page_html and "quoted from a patient" in page_html
    assert page_html.count('class="decision-tag"') == 1
