"""The HTML report shows a Markdown or HTML page as read: front matter and markup are hidden,
the words and the highlights stay, and offsets into the source are unchanged."""

from __future__ import annotations

import re

from claimaudit.audit import Auditor
from claimaudit.ingest import read_text
from claimaudit.reporters.html_report import render

MARKDOWN_PAGE = (
    "---\ntitle: Infusion therapy\nreviewed: never\n---\n\n"
    "## Our **infusion** service\n\n"
    "Ketamine infusions are **proven safe** for everyone, as [our team](https://example.org/team) says.\n"
)
HTML_PAGE = "<html><body><main><h1>Infusions</h1><p>Ketamine has <em>no side effects</em>.</p></main></body></html>\n"


def shown_text(report: str) -> str:
    source = report[report.index('<pre class="source">'):report.index("</pre>")]
    visible = re.sub(r'<span class="markup" hidden>.*?</span>', "", source, flags=re.S)
    return re.sub(r"<[^>]+>", "", visible)


def report_for(text: str, media_type: str) -> str:
    auditor = Auditor()
    document = auditor.audit_source(read_text(text, path="page", media_type=media_type))
    assert any(f.code == "SAFE001" for f in document.findings)
    return render(auditor.result([document]))


def test_markdown_front_matter_and_marks_are_hidden() -> None:
    shown = shown_text(report_for(MARKDOWN_PAGE, "text/markdown"))
    assert "title:" not in shown and "---" not in shown and "**" not in shown and "](" not in shown
    assert "Our infusion service" in shown
    assert "Ketamine infusions are proven safe for everyone, as our team says." in shown


def test_html_tags_are_hidden_and_the_finding_is_still_marked() -> None:
    report = report_for(HTML_PAGE, "text/html")
    shown = shown_text(report)
    assert "<p>" not in shown and "&lt;" not in shown
    assert "Ketamine has no side effects." in shown
    assert re.search(r'<mark class="hl sev-error[^>]*>.*no side effects', report, flags=re.S)


def test_plain_text_is_shown_whole() -> None:
    text = "Ketamine is proven safe. # not a heading in plain text **\n"
    shown = shown_text(report_for(text, "text/plain"))
    assert shown.startswith("Ketamine is proven safe. # not a heading in plain text **")
