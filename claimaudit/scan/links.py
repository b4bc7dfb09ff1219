"""Links of an HTML page, honouring <base href>, rel="nofollow" and meta robots nofollow."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from claimaudit.scan.urls import normalize_url


@dataclass(frozen=True, slots=True)
class PageLinks:
    """Followable, normalised absolute links of one page, in document order, deduplicated."""

    links: tuple[str, ...]
    nofollow: bool  # <meta name="robots" content="nofollow">: the page asks not to be followed


def extract_links(html: str, page_url: str) -> PageLinks:
    """Collect <a href> / <area href> targets an honest crawler may follow."""
    collector = _LinkCollector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was read so far
        pass
    if collector.nofollow:
        return PageLinks((), True)
    base = page_url
    if collector.base_href:
        base = normalize_url(collector.base_href, base=page_url) or page_url
    seen: dict[str, None] = {}
    for href in collector.hrefs:
        url = normalize_url(href, base=base)
        if url is not None:
            seen.setdefault(url)
    return PageLinks(tuple(seen), False)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base_href: str | None = None
        self.nofollow = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("a", "area") and "href" in values:
            rel = values.get("rel", "").lower().split()
            if "nofollow" not in rel and "download" not in values:
                self.hrefs.append(values["href"])
        elif tag == "base" and "href" in values and self.base_href is None:
            self.base_href = values["href"]
        elif tag == "meta" and values.get("name", "").lower() in ("robots", "claimaudit"):
            directives = {d.strip() for d in values.get("content", "").lower().split(",")}
            if "nofollow" in directives or "none" in directives:
                self.nofollow = True

    handle_startendtag = handle_starttag
