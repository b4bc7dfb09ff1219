"""Main-text extraction of crawled pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.scan import extract
from claimaudit.scan.extract import extract_main_text, html_reader_text

SITE = Path(__file__).parent / "fixtures" / "site"
BOILERPLATE = (
    "We use cookies",
    "Accept all",
    "Patient login",
    "All rights reserved",
    "Partner network",
)


@pytest.mark.parametrize("page", ["index.html", "treatments/anxiety.html", "blog/clinic-news.html"])
def test_extract_drops_boilerplate_and_keeps_the_article(page: str) -> None:
    html = (SITE / page).read_text(encoding="utf-8")
    extracted = extract_main_text(html, "http://clinic.example/" + page)
    assert (extracted.extractor, extracted.media_type) == ("trafilatura", "text/markdown")
    assert not [marker for marker in BOILERPLATE if marker in extracted.text]
    body = extracted.text.split("---\n\n", 1)[1]
    assert body.strip()


def test_extract_keeps_div_soup_article_but_not_comments_or_sidebar() -> None:
    html = (SITE / "blog" / "clinic-news.html").read_text(encoding="utf-8")
    text = extract_main_text(html, "http://clinic.example/blog/clinic-news.html").text
    assert "works for almost everyone" in text
    assert "miracle drug" not in text  # a visitor's comment is not the clinic's claim
    assert "Recent posts" not in text and "Newsletter" not in text


def test_extract_front_matter_holds_declared_dates_but_never_guessed_ones() -> None:
    html = """<html><head><title>Ketamine FAQ</title>
    <meta property="article:modified_time" content="2025-02-01"></head>
    <body><article><h1>Ketamine FAQ</h1><p>Ketamine can raise blood pressure for a short
    time, so nurses check it during every infusion and again before you go home.</p>
    </article><footer>© 2019 Clinic</footer></body></html>"""
    text = extract_main_text(html, "http://clinic.example/faq").text
    assert text.startswith('---\ntitle: "Ketamine FAQ"\nmodified: "2025-02-01"\n---\n\n')
    undated = html.replace('<meta property="article:modified_time" content="2025-02-01">', "")
    front = extract_main_text(undated, "http://clinic.example/faq").text.split("---\n\n")[0]
    assert "2019" not in front and "date" not in front  # the footer's © is not a date


def test_extract_pages_with_suppression_comments_are_audited_as_html() -> None:
    html = """<html><body><p>Ketamine is used off-label for depression in many clinics,
    under medical supervision, with monitoring of blood pressure.</p>
    <!-- claimaudit-disable-next-line SAFE001 -- quoting a patient -->
    <p>"No side effects at all," one patient told us.</p></body></html>"""
    extracted = extract_main_text(html, "http://clinic.example/")
    assert (extracted.extractor, extracted.media_type, extracted.text) == (
        "html-source",
        "text/html",
        html,
    )


def test_extract_falls_back_to_the_html_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "_trafilatura", lambda html, url: "")
    html = "<html><body><h1>Title</h1><p>First paragraph.</p><p>Second paragraph.</p></body></html>"
    extracted = extract_main_text(html, "http://clinic.example/")
    assert extracted.extractor == "html-reader" and extracted.media_type == "text/plain"
    assert extracted.text == "Title\n\nFirst paragraph.\n\nSecond paragraph."


def test_html_reader_text_of_unreadable_markup_is_plain_text() -> None:
    assert html_reader_text("   ", "http://x/") == ""
    assert extract._plain_text("<p>a &amp; b</p><script>x()</script><div>c</div>") == "a & b\n\nc"


def test_paragraphs_separate_blocks_and_keep_lists_and_tables_together() -> None:
    text = "Title\nFirst para.\n- one\n- two\n| a | b |\n|---|---|\nLast para.\n"
    assert extract._paragraphs(text) == (
        "Title\n\nFirst para.\n\n- one\n- two\n\n| a | b |\n|---|---|\n\nLast para."
    )


def test_extract_text_has_no_markdown_escapes() -> None:
    html = (SITE / "blog" / "esketamine-explained.html").read_text(encoding="utf-8")
    text = extract_main_text(html, "http://clinic.example/blog/e.html").text
    assert "adults [1]." in text and "\\[" not in text
