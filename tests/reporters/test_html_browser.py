"""The HTML report in a real browser: headless Chromium (Debian package) driven by Playwright."""

import shutil
from pathlib import Path

import pytest

from claimaudit.reporters import ReportOptions
from claimaudit.reporters.html_report import render

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture
def browser_page(tmp_path, make_result):
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    report.write_text(render(make_result(), ReportOptions()), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(report.as_uri())
        yield page, problems
        browser.close()


def test_browser_every_finding_is_highlighted_and_clicking_shows_details(browser_page, page_findings, tmp_path):
    page, problems = browser_page
    for number, finding in enumerate(page_findings):
        marks = page.locator(f'[data-findings~="0-{number}"]')
        assert marks.count() >= 1, finding.code
        assert marks.first.is_visible()
    target = 2  # the nested SAFE001 span with evidence and a suggestion
    details = page.locator(f"#f-0-{target} .details")
    assert not details.is_visible()
    page.locator(f'mark[data-findings~="0-{target}"]').first.click()
    assert details.is_visible()
    assert details.locator(".message").inner_text() == page_findings[target].message
    link = details.locator("ul.evidence a")
    assert link.get_attribute("href") == page_findings[target].evidence[0].url
    assert link.inner_text() == page_findings[target].evidence[0].label
    screenshot = tmp_path / "html-report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(screenshot, ARTIFACTS / screenshot.name)
    assert problems == []  # the page's own <script>alert(1)</script> never ran


def test_browser_filters_hide_findings_and_their_highlights(browser_page, page_findings):
    page, problems = browser_page
    safe = [n for n, f in enumerate(page_findings) if f.family.value == "SAFE"]
    assert page.locator("#shown-count").inner_text() == f"showing {len(page_findings)} of {len(page_findings)}"
    page.locator('input[name="family"][value="SAFE"]').uncheck()
    for number in safe:
        assert not page.locator(f"#f-0-{number}").is_visible()
    remaining = len(page_findings) - len(safe)
    assert page.locator("#shown-count").inner_text() == f"showing {remaining} of {len(page_findings)}"
    # a segment covered only by SAFE findings loses its highlight
    only_safe = page.locator("mark.hl.muted")
    assert only_safe.count() >= 1
    page.locator('input[name="severity"][value="info"]').uncheck()
    assert not page.locator(f"#f-0-{[f.severity.value for f in page_findings].index('info')}").is_visible()
    assert problems == []


def test_browser_copy_button_copies_the_suggestion(browser_page, page_findings):
    page, problems = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#f-0-1 button.head").click()
    button = page.locator('button.copy[data-copy="s-0-1"]')
    button.click()
    page.wait_for_function("document.querySelector('button.copy[data-copy=\"s-0-1\"]').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == page_findings[1].suggestion
    assert problems == []


def test_seed_article_report_shows_highlights_and_evidence(tmp_path, auditor):
    """The HTML report of a real seed article, from the real pipeline, opened in Chromium."""
    from playwright.sync_api import sync_playwright

    from claimaudit.ingest import read_source

    seed = Path(__file__).resolve().parents[2] / "corpora" / "seeds" / "001_7a3bebcfb2b79a1f.txt"
    result = auditor.result([auditor.audit_source(read_source(seed))])
    findings = result.documents[0].findings
    assert findings
    report = tmp_path / "seed-report.html"
    report.write_text(render(result, ReportOptions()), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri())
        inline = [n for n, f in enumerate(findings) if f.omits is None]
        assert page.locator("mark[data-findings]").count() >= 1
        for number in inline:
            assert page.locator(f'mark[data-findings~="0-{number}"]').count() >= 1, findings[number].code
        with_links = next(n for n in inline if any(e.url.startswith("https://") for e in findings[n].evidence))
        page.locator(f'mark[data-findings~="0-{with_links}"]').first.click()
        details = page.locator(f"#f-0-{with_links} .details")
        assert details.is_visible()
        assert details.locator(".message").inner_text() == findings[with_links].message
        assert details.locator('a[href^="https://"]').count() >= 1  # evidence linked to its source
        shot = tmp_path / "seed-report.png"
        page.screenshot(path=str(shot), full_page=False)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(shot, ARTIFACTS / shot.name)
        browser.close()
