import base64
import hashlib
import html
import re
from html.parser import HTMLParser

import pytest

from claimaudit.reporters import ReportOptions
from claimaudit.reporters.html_report import render


class SourceWalker(HTMLParser):
    """Collects, per <pre class="source">, the text pieces and the finding ids covering each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.documents: list[list[tuple[str, tuple[str, ...]]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.scripts = 0
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.hrefs.append(attributes.get("href") or "")
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "pre" and attributes.get("class") == "source":
            self.documents.append([])
        self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "pre" not in tags or any(a.get("class") == "pin" for _, a in self.stack):
            return
        covering = next((a.get("data-findings") for t, a in reversed(self.stack) if t == "mark"), None)
        self.documents[-1].append((data, tuple((covering or "").split())))


@pytest.fixture
def page(make_result):
    return render(make_result(), ReportOptions(root=""))


def test_html_source_text_survives_segmentation_exactly(page, make_result):
    walker = SourceWalker()
    walker.feed(page)
    result = make_result()
    readable = [d for d in result.documents if d.ok]
    assert len(walker.documents) == len(readable)
    for document, pieces in zip(readable, walker.documents):
        assert "".join(text for text, _ in pieces) == document.source_text


def test_html_every_finding_highlights_exactly_its_span(page, make_result, page_findings):
    walker = SourceWalker()
    walker.feed(page)
    pieces = walker.documents[0]
    text = make_result().documents[0].source_text
    for number, finding in enumerate(page_findings):
        fid = f"0-{number}"
        covered = "".join(piece for piece, ids in pieces if fid in ids)
        if finding.is_document_level:
            assert covered == ""
            assert f'class="chip" data-findings="{fid}"' in page
        else:
            assert covered == text[finding.span.start:finding.span.end]
        assert f"f-{fid}" in walker.ids  # its entry in the side list


def test_html_overlapping_spans_share_segments(page):
    # The nested SAFE001 span sits inside the EVI001 line, and the cross-line EVI001 info span
    # overlaps both: some segment must carry three findings.
    assert re.search(r'data-findings="0-\d 0-\d 0-\d"', page)
    assert "depth-3" in page


def test_html_untrusted_text_is_escaped(page):
    walker = SourceWalker()
    walker.feed(page)
    assert walker.scripts == 1  # only the report's own script
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>early</b>" not in page
    assert not any(href.startswith("javascript:") for href in walker.hrefs)
    assert "https://pubmed.ncbi.nlm.nih.gov/35000000/" in walker.hrefs
    assert "https://doi.org/10.1000/xyz" in walker.hrefs


def test_html_content_security_policy_pins_the_script(page):
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    script = re.search(r"<script>(.*)</script>", page, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_html_summary_toc_chart_and_filters(page, make_result):
    result = make_result()
    assert page.count('<section class="document"') == len(result.documents)
    for index in range(len(result.documents)):
        assert f'href="#doc-{index}"' in page and f'id="doc-{index}"' in page
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL).group(0)
    assert "<title>SAFE error: 2</title>" in svg and "<title>EVI info: 1</title>" in svg
    for family in ("SAFE", "EVI", "DISC"):
        assert f'name="family" value="{family}"' in page
    for severity in ("error", "warning", "info"):
        assert f'name="severity" value="{severity}"' in page
    assert "Could not be read: IN101 binary file" in page
    assert "Found 5 findings (2 errors, 2 warnings, 1 info)" in page


def test_html_suggestions_have_copy_buttons(page, page_findings):
    for number, finding in enumerate(page_findings):
        if finding.suggestion:
            assert f'data-copy="s-0-{number}"' in page and f'id="s-0-{number}"' in page
