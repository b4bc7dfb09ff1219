"""Accessibility of the editor page in headless Chromium: axe-core (WCAG 2.1 A/AA) finds no
violations, severity is shown by shape and underline as well as colour, highlights have names.

axe-core comes from npm (`.ci/run` installs it into node_modules/); without it the axe test is
skipped, like the browser tests without Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_serve_browser as base
from live_server import serving
from serve_fakes import FakeAuditor
from test_serve_browser import FAKE_DRAFT, REPO, wait_for_result

from claimaudit.review.store import ReviewStore
from claimaudit.serve import create_app

browser = base.browser  # the shared fixtures: headless Chromium and a page opener
open_page = base.open_page
pytestmark = base.pytestmark

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    auditor = FakeAuditor()
    with ReviewStore(tmp_path / "review.db") as store, \
            serving(create_app(auditor_factory=lambda: auditor, review_store=store, reviewer="ana")) as url:
        yield url


def _audited_page(open_page: Any, url: str) -> Any:
    wrapped = open_page(url)
    page = wrapped.page
    page.wait_for_selector("#document-row:not([hidden])")
    page.fill("#draft", FAKE_DRAFT)
    page.click("#audit-button")
    wait_for_result(wrapped, FAKE_DRAFT)
    page.click("#result-text mark.sev-error")
    page.wait_for_selector("#detail-body .decision-box")
    return wrapped


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core from npm (node_modules/axe-core; see .ci/run)")
def test_axe_core_finds_no_wcag_aa_violations(site: str, open_page: Any) -> None:
    wrapped = _audited_page(open_page, site)
    page = wrapped.page
    page.evaluate(AXE.read_text("utf-8"))  # evaluated through the debugger protocol: the page's CSP stays on
    results = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return {violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})),"
        " passes: r.passes.map(p => p.id + ':' + p.nodes.length)}; }",
        WCAG_TAGS)
    assert results["violations"] == [], json.dumps(results["violations"], indent=2)
    passed = dict(item.split(":") for item in results["passes"])
    assert int(passed["color-contrast"]) >= 20  # the highlights, badges and buttons were checked
    assert {"aria-allowed-attr", "button-name", "label"} <= set(passed)


def test_severity_is_not_shown_by_colour_alone_and_highlights_are_named(site: str, open_page: Any) -> None:
    wrapped = _audited_page(open_page, site)
    page = wrapped.page
    marks = page.eval_on_selector_all(
        "#result-text mark.hl",
        "ms => ms.map(m => ({cls: m.className, label: m.getAttribute('aria-label'), text: m.textContent,"
        " icon: getComputedStyle(m, '::before').content, underline: getComputedStyle(m).borderBottomStyle}))")
    assert marks
    icons = {"sev-error": "✖", "sev-warning": "▲", "sev-info": "ℹ"}
    underlines = {"sev-error": "solid", "sev-warning": "dashed", "sev-info": "dotted"}
    seen = set()
    for mark in marks:
        severity = next(c for c in mark["cls"].split() if c.startswith("sev-"))
        seen.add(severity)
        assert mark["underline"] == underlines[severity]
        if "starts" in mark["cls"].split():
            assert icons[severity] in mark["icon"]
        word = severity.removeprefix("sev-").capitalize()
        assert mark["label"].startswith("“" + " ".join(mark["text"].split())[:40])
        assert word in mark["label"] and "Press Enter for details" in mark["label"]
    assert seen == set(icons)
    # a decided finding says so to screen readers
    page.fill("#reviewer-name", "ana")
    page.locator("#detail-body button.decide-escalated").first.click()
    page.wait_for_selector("#finding-list .decision-escalated")
    labels = page.eval_on_selector_all("#result-text mark.hl", "ms => ms.map(m => m.getAttribute('aria-label'))")
    assert any("escalated" in label for label in labels)
