"""Main text of a web page: trafilatura first, the ingest HTML reader as fallback.

trafilatura drops navigation, cookie banners, footers, sidebars and comments better than a
generic reader on real-world markup. Its plain-text output is laid out as Markdown
paragraphs (one per block, lists and tables kept together), so the audited text keeps the
page's structure and a finding's offsets select exactly its words (trafilatura's own
Markdown output backslash-escapes brackets, underscores and '<', which would then appear
in every report). The dates a page *declares* (meta tags, JSON-LD) come from claimaudit's
own HTML reader and go into front matter, where the Markdown reader finds them;
trafilatura's date guessing (it takes a footer's "© 2025" for a publication date) is not used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

TRAFILATURA = "trafilatura"
HTML_READER = "html-reader"
HTML_SOURCE = "html-source"
_DECLARED_DATES = ("published", "modified", "reviewed")


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str  # what is audited and stored: finding offsets index into it
    media_type: str  # text/markdown, text/plain or text/html
    extractor: str  # trafilatura | html-reader | html-source


def extract_main_text(html: str, url: str) -> Extracted:
    """The page's main content as an auditable document.

    - trafilatura's Markdown (plus front matter with the page's declared title and dates);
    - if trafilatura finds no main content: the HTML reader's text, blocks separated by
      blank lines;
    - if the page carries claimaudit suppression comments: the HTML itself, so that the
      suppressions apply exactly as in `claimaudit check page.html`.
    """
    page = _read_html(html, url)
    if page is not None and page.directives:
        return Extracted(html, "text/html", HTML_SOURCE)
    body = _trafilatura(html, url)
    if body:
        return Extracted(_front_matter(page) + _paragraphs(body), "text/markdown", TRAFILATURA)
    return Extracted(_reader_text(page, html), "text/plain", HTML_READER)


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
            with_metadata=False,
            output_format="txt",
        )
    except (ValueError, TypeError):  # markup trafilatura cannot parse
        return ""
    return (text or "").strip()


def _paragraphs(text: str) -> str:
    """trafilatura's one-line-per-block text as Markdown: a blank line between blocks,
    consecutive list items ("- ") and table rows ("|") kept together."""
    blocks: list[list[str]] = []
    previous = ""
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        kind = "list" if line.startswith("- ") else "table" if line.startswith("|") else ""
        if kind and kind == previous:
            blocks[-1].append(line)
        else:
            blocks.append([line])
        previous = kind
    return "\n\n".join("\n".join(block) for block in blocks)


def _read_html(html: str, url: str) -> Any:
    """The ingest reader's NormalizedDocument for the page, or None if it cannot read it."""
    from claimaudit.errors import ClaimAuditError
    from claimaudit.ingest import normalize, read_text

    try:
        return normalize(read_text(html, path=url, media_type="text/html"))
    except ClaimAuditError:
        return None


def _front_matter(page: Any) -> str:
    if page is None:
        return ""
    lines = []
    if page.title:
        lines.append(f"title: {json.dumps(page.title, ensure_ascii=False)}")
    for key, value in page.meta:
        if key in _DECLARED_DATES:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def html_reader_text(html: str, url: str) -> str:
    """Visible main text by the ingest HTML reader, one block per paragraph."""
    return _reader_text(_read_html(html, url), html)


def _reader_text(page: Any, html: str) -> str:
    if page is None:
        return _plain_text(html)
    if page.blocks:
        blocks = (page.text[block.start : block.end].strip() for block in page.blocks)
        return "\n\n".join(block for block in blocks if block)
    return str(page.text).strip()


_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(
    r"</?(p|div|h[1-6]|li|tr|br|section|article|header|footer|ul|ol|table)\b[^>]*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")


def _plain_text(html: str) -> str:
    """Last resort when even the HTML reader cannot read the page."""
    import html as html_module

    text = _BLOCK.sub("\n", _DROP.sub(" ", html))
    text = html_module.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)
