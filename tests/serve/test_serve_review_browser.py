"""Headless Chromium: decide a finding from the detail panel, reload, and find draft and decision kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_serve_browser as base
from live_server import serving
from serve_fakes import FakeAuditor
from test_serve_browser import FAKE_DRAFT, wait_for_result

from claimaudit.review.store import ReviewStore
from claimaudit.serve import create_app

browser = base.browser  # the shared fixtures: headless Chromium and a page opener
open_page = base.open_page
pytestmark = base.pytestmark


@pytest.fixture
def review_site(tmp_path: Path) -> Iterator[tuple[str, ReviewStore]]:
    auditor = FakeAuditor()
    with ReviewStore(tmp_path / "review.db") as store:
        app = create_app(auditor_factory=lambda: auditor, review_store=store, reviewer="")
        with serving(app) as url:
            yield url, store


def test_browser_decision_and_draft_survive_a_reload(review_site: tuple[str, ReviewStore], open_page: Any) -> None:
    url, store = review_site
    wrapped = open_page(url)
    page = wrapped.page
    page.wait_for_selector("#document-row:not([hidden])")
    page.fill("#document-name", "clinic/landing.md")
    page.fill("#draft", FAKE_DRAFT)
    page.click("#audit-button")
    wait_for_result(wrapped, FAKE_DRAFT)
    page.click("#finding-list button:has-text('SAFE001')")
    card = page.locator("#detail-body .finding-card").first
    card.locator("button.decide-dismissed").click()
    assert "A dismissal needs a reason" in card.locator(".decision-message").text_content() or \
        "reviewer" in card.locator(".decision-message").text_content()
    page.fill("#reviewer-name", "Maria Lopez")
    card.locator("textarea.decision-reason").fill("wording quoted from the product label")
    card.locator("button.decide-dismissed").click()
    page.wait_for_selector("#finding-list .decision-dismissed")
    [decision] = store.log()
    assert (decision.status.value, decision.reviewer, decision.document) == ("dismissed", "Maria Lopez",
                                                                            "clinic/landing.md")
    assert decision.code == "SAFE001" and decision.kb_version == "fake-kb-1"

    page.reload()
    page.wait_for_function("() => document.getElementById('draft').value.length > 0")
    wait_for_result(wrapped, FAKE_DRAFT)
    assert page.input_value("#document-name") == "clinic/landing.md"
    assert page.input_value("#draft") == FAKE_DRAFT
    assert page.input_value("#reviewer-name") == "Maria Lopez"
    page.wait_for_selector("#finding-list .decision-dismissed")
    tags = page.eval_on_selector_all("#finding-list button", "bs => bs.map(b => b.textContent)")
    assert sum("Dismissed" in t for t in tags) == 1 and any("SAFE001" in t and "Dismissed" in t for t in tags)
    page.click("#finding-list button:has-text('SAFE001')")
    current = page.locator("#detail-body .decision-current").first.text_content()
    assert "Dismissed by Maria Lopez" in current and "product label" in current


def test_browser_downloads_the_uploaded_word_file_with_comments(review_site: tuple[str, ReviewStore],
                                                                 open_page: Any, tmp_path: Path) -> None:
    from serve_fakes import build_docx, fake_findings

    from claimaudit.ingest.docx_runs import load_docx, read_docx
    from claimaudit.reporters.docx_comments import comment_anchors

    url, _ = review_site
    wrapped = open_page(url)
    page = wrapped.page
    data = build_docx([("heading", "Clinic"), ("para", "Ketamine is proven safe and FDA-approved.")])
    (tmp_path / "draft.docx").write_bytes(data)
    page.set_input_files("#file-input", str(tmp_path / "draft.docx"))
    page.wait_for_function("() => document.getElementById('document-name').value === 'draft.docx'")
    page.wait_for_selector("#result-text mark.hl")
    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    assert download.suggested_filename == "draft.reviewed.docx"
    reviewed = Path(download.path()).read_bytes()
    source = read_docx(load_docx(data, "d")).text
    expected = sorted(source[f.span.start:f.span.end] for f in fake_findings(source) if not f.omits)
    assert sorted(a.anchor for a in comment_anchors(reviewed)) == expected == ["FDA-approved", "proven safe"]
