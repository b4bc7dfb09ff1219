"""sitemap.xml and sitemap index parsing (plain or gzip), safe against entity tricks."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from lxml import etree

from claimaudit.scan.urls import normalize_url


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What a sitemap lists: page URLs (a urlset) or further sitemaps (an index)."""

    pages: tuple[str, ...]
    sitemaps: tuple[str, ...]


def parse_sitemap(body: bytes, url: str, *, max_bytes: int) -> Sitemap:
    """Parse a <urlset> or <sitemapindex>. Raises ValueError with a plain reason."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, max_bytes)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"sitemap is not well-formed XML: {error}") from None
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap: root element is <{kind}>")
    child = "url" if kind == "urlset" else "sitemap"
    locations: dict[str, None] = {}
    for entry in root:
        if not isinstance(entry.tag, str) or etree.QName(entry).localname != child:
            continue
        for field in entry:
            if isinstance(field.tag, str) and etree.QName(field).localname == "loc":
                loc = normalize_url((field.text or "").strip(), base=url)
                if loc is not None:
                    locations.setdefault(loc)
    found = tuple(locations)
    return Sitemap(found, ()) if kind == "urlset" else Sitemap((), found)


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as error:
        raise ValueError(f"sitemap is not valid gzip: {error}") from None
    if len(data) > max_bytes:
        raise ValueError(f"sitemap expands to more than {max_bytes} bytes")
    return data
