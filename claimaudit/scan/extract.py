"""Main text of a web page: trafilatura first, the ingest HTML reader as fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

TRAFILATURA = "trafilatura"
HTML_READER = "html-reader"


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    media_type: str  # what the text is: text/plain or text/markdown
    extractor: str


def extract_main_text(html: str, url: str) -> Extracted:
    """The page's main content without navigation, footers and cookie banners.

    Falls back to claimaudit's own HTML reader (whole page text) when trafilatura finds
    no main content, e.g. on very short pages.
    """
    text = _trafilatura(html, url)
    if text:
        return Extracted(text, "text/plain", TRAFILATURA)
    return Extracted(html_reader_text(html, url), "text/plain", HTML_READER)


def _trafilatura(html: str, url: str) -> str:
    import trafilatura  # heavy: imported in audit workers only

    try:
        text = trafilatura.extract(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_precision=True,
            deduplicate=False,
            output_format="txt",
        )
    except (ValueError, TypeError):  # malformed input trafilatura cannot parse
        return ""
    return (text or "").strip()


def html_reader_text(html: str, url: str) -> str:
    """Visible text of the whole page by the ingest HTML reader (block per line)."""
    try:
        from claimaudit.ingest import normalize, read_text
    except ImportError:
        return _plain_text(html)
    source = read_text(html, path=url, media_type="text/html")
    return str(normalize(source).text).strip()


_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_BLOCK = re.compile(r"</?(p|div|h[1-6]|li|tr|br|section|article|header|footer|ul|ol|table)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def _plain_text(html: str) -> str:
    """Last-resort visible text when the ingest package is unavailable."""
    import html as html_module

    text = _BLOCK.sub("\n", _DROP.sub(" ", html))
    text = html_module.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
