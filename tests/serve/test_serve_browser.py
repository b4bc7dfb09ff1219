"""End to end: the editor page in headless Chromium against a live uvicorn server.

The fake-auditor tests pin the page's behaviour (nested highlights, links, copy, filters,
debouncing, escaping, errors); the real-auditor test pastes a seed article and uploads a .docx.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import serving
from serve_fakes import FakeAuditor, build_docx

from claimaudit.serve import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "corpora" / "seeds" / "001_7a3bebcfb2b79a1f.txt"
ARTIFACTS = REPO / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"needs headless Chromium at {CHROMIUM}"
    ),
]

FAKE_DRAFT = (
    "Ketamine clinic\n"
    "Ketamine is proven safe and FDA-approved.\n"
    "It has been shown to work rapidly and effectively for anxiety.\n"
    "Some say it rewires the brain.\n"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def fake_site() -> Iterator[str]:
    auditor = FakeAuditor()
    with serving(create_app(auditor_factory=lambda: auditor)) as url:
        yield url


@pytest.fixture(scope="module")
def real_site() -> Iterator[str]:
    with serving(create_app()) as url:
        deadline = time.monotonic() + 180
        while True:
            health = httpx.get(f"{url}/api/health").json()
            if health["ready"] or health["status"] == "error" or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert health["ready"], f"the real auditor did not start: {health}"
        yield url


class Page:
    """A Playwright page plus the console errors and audit requests it produced."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.audit_requests = 0
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("request", self._count)

    def _count(self, request: Any) -> None:
        if request.url.endswith("/api/audit"):
            self.audit_requests += 1

    def marks(self) -> list[tuple[str, list[int], str]]:
        """(text, finding indices, class) of every highlight, in document order."""
        rows = self.page.eval_on_selector_all(
            "#result-text mark.hl",
            "ms => ms.map(m => [m.textContent, m.getAttribute('data-findings'), m.className])",
        )
        return [(text, [int(i) for i in indices.split()], cls) for text, indices, cls in rows]


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    pages: list[Page] = []

    def opener(url: str, *, clipboard: bool = True, init_script: str | None = None) -> Page:
        context = browser.new_context(
            viewport={"width": 1500, "height": 1000}, accept_downloads=True
        )
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        wrapped = Page(page)
        pages.append(wrapped)
        page.goto(url + "/")
        page.wait_for_function(
            "() => document.getElementById('server-status').textContent.includes('ready')"
        )
        return wrapped

    yield opener
    for context in contexts:
        context.close()
    for wrapped in pages:
        assert wrapped.errors == [], "the page logged errors (CSP violations show up here)"


def api_findings(url: str, payload: dict[str, str]) -> list[dict[str, Any]]:
    report = httpx.post(f"{url}/api/audit", json=payload, timeout=60).json()
    return [f for document in report["documents"] for f in document["findings"]]


def assert_highlights_match(wrapped: Page, text: str, findings: list[dict[str, Any]]) -> None:
    """Every span finding is highlighted by exactly its own characters; the text is intact."""
    page = wrapped.page
    assert page.text_content("#result-text") == text
    marks = wrapped.marks()
    for index, finding in enumerate(findings):
        pieces = "".join(piece for piece, indices, _ in marks if index in indices)
        if finding["omits"] or finding["end"] <= finding["start"]:
            assert pieces == ""
        else:
            assert pieces == text[finding["start"] : finding["end"]]
            assert " ".join(pieces.split()) == " ".join(
                finding["text"].split()
            )  # text may be normalized


def wait_for_result(wrapped: Page, text: str) -> None:
    wrapped.page.wait_for_function(
        "(text) => document.getElementById('result-text').textContent === text"
        " && !document.getElementById('check-status').classList.contains('busy')",
        arg=text,
    )


# --- against the fake auditor ------------------------------------------------------------------


def test_browser_nested_highlights_reason_links_and_copy(fake_site: str, open_page: Any) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    page.fill("#draft", FAKE_DRAFT)
    page.wait_for_selector("#result-text mark.hl")
    wait_for_result(wrapped, FAKE_DRAFT)
    findings = api_findings(fake_site, {"text": FAKE_DRAFT})
    assert_highlights_match(wrapped, FAKE_DRAFT, findings)

    # "rapidly" sits inside the EVI span: its mark carries both findings and a deeper class
    [nested] = [m for m in wrapped.marks() if m[0] == "rapidly"]
    assert sorted(findings[i]["code"] for i in nested[1]) == ["DUR001", "EVI001"]
    assert "depth-2" in nested[2] and "sev-warning" in nested[2]
    page.click("#result-text mark.depth-2")
    codes = page.eval_on_selector_all(
        "#detail-body .finding-card .code", "els => els.map(e => e.textContent)"
    )
    assert codes == ["DUR001", "EVI001"]  # innermost span first
    assert (
        page.get_attribute("#detail-body a[href*='doi.org']", "href")
        == "https://doi.org/10.1000/xyz123"
    )

    # the SAFE claim: reason, evidence links (URL given, and PubMed built from a PMID id)
    page.click("#result-text mark.sev-error >> text=proven safe")
    detail = page.text_content("#detail-body")
    assert "absolute safety claim contradicts known adverse effects" in detail
    hrefs = page.eval_on_selector_all("#detail-body .evidence a", "els => els.map(e => e.href)")
    assert hrefs == [
        "https://pubmed.ncbi.nlm.nih.gov/31109201/",
        "https://pubmed.ncbi.nlm.nih.gov/29945463/",
    ]
    assert page.get_attribute("#detail-body .evidence a", "rel") == "noopener noreferrer"
    page.click("#detail-body button.copy")
    page.wait_for_selector("#detail-body .copy-status:has-text('Copied.')")
    suggestion = "has a well-studied safety profile when given under medical supervision"
    assert page.evaluate("navigator.clipboard.readText()") == suggestion

    # whole-page findings are listed, not highlighted
    assert "the page never mentions side effects" in page.text_content("#page-findings")
    assert page.text_content("#summary").startswith(f"{len(findings)} findings")


def test_browser_filters_hide_findings_and_highlights(fake_site: str, open_page: Any) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    page.fill("#draft", FAKE_DRAFT)
    wait_for_result(wrapped, FAKE_DRAFT)
    total = page.locator("#finding-list button").count()
    page.select_option("#family-filter", "SAFE")
    assert page.locator("#finding-list button").count() == 1
    assert {cls.split()[1] for _, _, cls in wrapped.marks()} == {"sev-error"}
    page.select_option("#family-filter", "")
    page.uncheck(".severity-filter input[value='warning']")
    shown = page.eval_on_selector_all("#finding-list .badge", "els => els.map(e => e.textContent)")
    assert "warning" not in shown and len(shown) < total
    assert all("sev-warning" not in cls for _, _, cls in wrapped.marks())
    page.click("#finding-list button >> nth=0")
    assert page.locator("#result-text mark.active").count() >= 1


def test_browser_debounces_typing_and_renders_the_latest_text(
    fake_site: str, open_page: Any
) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    page.fill("#draft", "Ketamine clinic notes.")
    wait_for_result(wrapped, "Ketamine clinic notes.")
    before = wrapped.audit_requests
    page.focus("#draft")
    page.keyboard.press("End")
    page.keyboard.type(" It is proven safe.", delay=40)  # 19 keystrokes, 40 ms apart
    final = "Ketamine clinic notes. It is proven safe."
    wait_for_result(wrapped, final)
    assert wrapped.audit_requests - before <= 2
    assert [m[0] for m in wrapped.marks()] == ["proven safe"]
    assert page.text_content("#check-status").startswith("checked")


def test_browser_shows_user_markup_as_text(fake_site: str, open_page: Any) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    hostile = (
        '<img src=x onerror="window.__pwned=1"> Ketamine is proven safe. '
        "<script>window.__pwned=2</script>"
    )
    page.select_option("#format-select", "text")
    page.fill("#draft", hostile)
    wait_for_result(wrapped, hostile)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#result-text img, #result-text script, #detail-body script").count() == 0
    page.click("#finding-list button >> text=SAFE001")
    assert page.locator("#detail-body img").count() == 0


def test_browser_bad_uploads_show_a_clear_error(fake_site: str, open_page: Any) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    page.set_input_files(
        "#file-input", {"name": "draft.txt", "mimeType": "text/plain", "buffer": b"\x81\x8d\x8f"}
    )
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error .code") == "IN104"
    assert "draft.txt: cannot decode text" in page.text_content("#error")
    page.set_input_files(
        "#file-input", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    )
    page.wait_for_function("() => document.querySelector('#error .code').textContent === 'SV102'")
    assert "unsupported file type .pdf" in page.text_content("#error")
    wrapped.errors = [
        e for e in wrapped.errors if "status of 400" not in e
    ]  # the browser logs the 400s


def test_browser_copy_falls_back_without_the_clipboard_api(fake_site: str, open_page: Any) -> None:
    no_clipboard = """
        Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});
        const original = document.execCommand.bind(document);
        document.execCommand = (command, ...rest) => {
          if (command === 'copy') { window.__copied = document.activeElement.value; return true; }
          return original(command, ...rest);
        };
    """
    wrapped = open_page(fake_site, clipboard=False, init_script=no_clipboard)
    page = wrapped.page
    page.fill("#draft", FAKE_DRAFT)
    wait_for_result(wrapped, FAKE_DRAFT)
    page.click("#result-text mark >> text=rewires the brain")
    page.click("#detail-body button.copy")
    page.wait_for_selector("#detail-body .copy-status:has-text('Copied (fallback).')")
    assert page.evaluate("window.__copied") == "may affect brain signalling"
    assert page.locator("#copy-fallback").count() == 0  # the helper textarea is removed again


def test_browser_json_download_is_the_last_report(
    fake_site: str, open_page: Any, tmp_path: Path
) -> None:
    wrapped = open_page(fake_site)
    page = wrapped.page
    page.fill("#draft", FAKE_DRAFT)
    wait_for_result(wrapped, FAKE_DRAFT)
    with page.expect_download() as download_info:
        page.click("#download-json")
    download = download_info.value
    assert download.suggested_filename == "draft.claimaudit.json"
    saved = tmp_path / "report.json"
    download.save_as(saved)
    expected = httpx.post(f"{fake_site}/api/audit", json={"text": FAKE_DRAFT}).json()
    assert json.loads(saved.read_text("utf-8")) == expected


# --- against the real auditor ------------------------------------------------------------------


def test_browser_real_auditor_seed_article_and_docx(
    real_site: str, open_page: Any, tmp_path: Path
) -> None:
    seed = SEED.read_text("utf-8")
    wrapped = open_page(real_site)
    page = wrapped.page
    page.fill("#draft", seed)
    page.wait_for_selector("#result-text mark.hl", timeout=60_000)
    wait_for_result(wrapped, seed)
    payload = {"text": seed}
    findings = api_findings(real_site, payload)
    assert_highlights_match(wrapped, seed, findings)

    # open a finding that carries evidence: its reason and its sources appear
    index, finding = next(
        (i, f) for i, f in enumerate(findings) if f["evidence"] and not f["omits"]
    )
    page.click(f"#result-text mark[data-findings~='{index}'] >> nth=0")
    detail = page.text_content("#detail-body")
    assert finding["message"] in detail
    assert finding["code"] in detail
    linked = [e["url"] for e in finding["evidence"] if e["url"].startswith(("http://", "https://"))]
    hrefs = page.eval_on_selector_all(
        "#detail-body .evidence a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert set(linked) <= set(hrefs)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve.png"), full_page=False)

    # the words that triggered each finding are underlined inside its highlighted sentence
    underlined = page.eval_on_selector_all(
        "#result-text mark u.trigger", "els => els.map(e => [e.textContent, e.getAttribute('data-findings')])"
    )
    triggered = [
        (i, f) for i, f in enumerate(findings)
        if not f["omits"] and (f["trigger"]["start"], f["trigger"]["end"]) != (f["start"], f["end"])
    ]
    assert triggered and underlined
    for i, f in triggered:
        assert "".join(text for text, ids in underlined if str(i) in ids.split()) == f["trigger"]["text"]

    # a suggested rewrite reaches the clipboard
    rewrite = next(
        ((i, f) for i, f in enumerate(findings) if f["suggestion"] and not f["omits"]), None
    )
    if rewrite is not None:
        page.click(f"#result-text mark[data-findings~='{rewrite[0]}'] >> nth=0")
        card = page.locator(
            "#detail-body .finding-card", has=page.locator(f".code:text-is('{rewrite[1]['code']}')")
        )
        card.locator("button.copy").first.click()
        page.wait_for_selector("#detail-body .copy-status:has-text('Copied')")
        assert page.evaluate("navigator.clipboard.readText()") == rewrite[1]["suggestion"]

    # the HTML report downloads as a file
    with page.expect_download() as download_info:
        page.click("#download-html")
    report = tmp_path / "report.html"
    download_info.value.save_as(report)
    html = report.read_text("utf-8")
    assert "<html" in html.lower() and finding["code"] in html

    # upload the same article as a .docx: its paragraph text is audited and highlighted
    lines = [line for line in seed.splitlines() if line.strip()]
    docx_path = tmp_path / "seed article.docx"
    docx_path.write_bytes(
        build_docx([("heading", lines[0])] + [("para", line) for line in lines[1:]])
    )
    page.set_input_files("#file-input", str(docx_path))
    page.wait_for_function(
        "() => document.getElementById('source-name').textContent === 'seed article.docx'"
    )
    extracted = "\n".join(lines)
    assert page.input_value("#draft") == extracted
    wait_for_result(wrapped, extracted)
    assert_highlights_match(
        wrapped, extracted, api_findings(real_site, {"text": extracted, "format": "text"})
    )
    assert len(wrapped.marks()) > 0
