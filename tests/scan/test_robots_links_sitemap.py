"""robots.txt, link extraction and sitemaps."""

from __future__ import annotations

import gzip

import pytest

from claimaudit.scan.fetch import Fetcher, FetchPolicy
from claimaudit.scan.links import extract_links
from claimaudit.scan.robots import RobotsRules
from claimaudit.scan.sitemap import parse_sitemap

from .site_server import RunningSite


def test_robots_disallow_is_honoured_and_fetched_once(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    rules = RobotsRules(Fetcher(fast_policy), "claimaudit-test")
    assert rules.refusal(site.url("/private/staff.html")) == "disallowed by robots.txt"
    assert rules.refusal(site.url("/faq.html")) is None
    assert rules.refusal(site.url("/private/")) == "disallowed by robots.txt"
    assert site.state.seen("/robots.txt") == 1


def test_refused_connection_is_the_page_failing_not_robots(fast_policy: FetchPolicy) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rules = RobotsRules(Fetcher(FetchPolicy(timeout=0.3, retries=0, rate=100)), "agent")
    url = f"http://127.0.0.1:{port}/page"
    assert rules.refusal(url) is not None  # nothing is fetched from there ...
    reason = rules.unreachable(url)  # ... and the reason is the connection, not robots.txt
    assert reason is not None and reason.startswith(f"cannot connect to http://127.0.0.1:{port}")
    assert "robots" not in reason


class _FakeFetcher:
    def __init__(self, body: str = "", error: Exception | None = None) -> None:
        self.body, self.error = body, error

    def get(self, url: str, accept: object = None) -> object:
        if self.error is not None:
            raise self.error
        from types import SimpleNamespace

        return SimpleNamespace(body=self.body.encode(), charset="utf-8")


def test_robots_server_error_means_complete_disallow() -> None:
    from claimaudit.scan.fetch import FetchError

    rules = RobotsRules(_FakeFetcher(error=FetchError("HTTP 503 (after 3 attempts)", http_status=503)), "agent")  # type: ignore[arg-type]
    reason = rules.refusal("http://site.example/page")
    assert reason is not None and reason.startswith("robots.txt unreachable (HTTP 503")
    assert rules.unreachable("http://site.example/page") is None


def test_robots_wildcards_and_longest_match_rfc9309() -> None:
    robots = "User-agent: *\nDisallow: /blog/*.html$\nDisallow: /shop\nAllow: /shop/open\nDisallow: /*?session=\n"
    rules = RobotsRules(_FakeFetcher(robots), "claimaudit")  # type: ignore[arg-type]
    refused = "disallowed by robots.txt"
    assert rules.refusal("http://site.example/blog/2024/post.html") == refused  # `*` and `$`
    assert rules.refusal("http://site.example/blog/2024/post.html?x=1") is None  # `$` ends the match
    assert rules.refusal("http://site.example/blog/") is None
    assert rules.refusal("http://site.example/shop/open/item") is None  # the longer Allow wins
    assert rules.refusal("http://site.example/shop/closed") == refused
    assert rules.refusal("http://site.example/page?session=9") == refused


def test_robots_404_allows_everything(site: RunningSite, fast_policy: FetchPolicy) -> None:
    rules = RobotsRules(Fetcher(fast_policy), "agent")
    parser = rules._load(site.url("/no-such-dir"))  # robots.txt below it is a 404
    assert not isinstance(parser, str)
    assert parser.can_fetch(site.url("/anything"), "agent")


PAGE = """<html><head><base href="/docs/"><meta name="viewport" content="x"></head><body>
<a href="a.html">A</a> <a href="a.html#part">A again</a> <a href="/b.html?utm_source=n">B</a>
<a rel="nofollow noopener" href="/login.html">login</a> <a href="mailto:x@example.com">mail</a>
<a href="javascript:void(0)">js</a> <a href="https://other.example/x">other</a>
<area href="/map.html"> <a>no href</a> <a href="/file.pdf" download>pdf</a>
</body></html>"""


def test_extract_links_normalises_and_honours_nofollow() -> None:
    found = extract_links(PAGE, "http://site.example/index.html")
    assert not found.nofollow
    assert found.links == (
        "http://site.example/docs/a.html",
        "http://site.example/b.html",
        "https://other.example/x",
        "http://site.example/map.html",
    )


@pytest.mark.parametrize("content", ["nofollow", "noindex, nofollow", "none"])
def test_extract_links_meta_robots_nofollow_drops_all(content: str) -> None:
    html = f'<meta name="robots" content="{content}"><a href="/x">x</a>'
    found = extract_links(html, "http://site.example/")
    assert found.nofollow and found.links == ()


def test_extract_links_survives_broken_markup() -> None:
    found = extract_links('<a href="/ok">ok</a><a href="/x"<<<<div', "http://s.example/")
    assert "http://s.example/ok" in found.links


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc> http://s.example/a </loc></url><url><loc>http://s.example/b#frag</loc></url>
<url><loc>http://s.example/a</loc></url><url><lastmod>2024-01-01</lastmod></url>
<url><loc>mailto:x@s.example</loc></url>
</urlset>"""


def test_parse_sitemap_urlset() -> None:
    sitemap = parse_sitemap(URLSET, "http://s.example/sitemap.xml", max_bytes=10_000)
    assert sitemap.pages == ("http://s.example/a", "http://s.example/b")
    assert sitemap.sitemaps == ()


def test_parse_sitemap_index_and_gzip() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>http://s.example/one.xml</loc></sitemap>
    <sitemap><loc>http://s.example/two.xml.gz</loc></sitemap></sitemapindex>"""
    parsed = parse_sitemap(gzip.compress(index), "http://s.example/i.xml.gz", max_bytes=10_000)
    assert parsed.sitemaps == ("http://s.example/one.xml", "http://s.example/two.xml.gz")
    assert parsed.pages == ()


def test_parse_sitemap_does_not_expand_entities() -> None:
    evil = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://s.example/&xxe;</loc></url></urlset>"""
    parsed = parse_sitemap(evil, "http://s.example/", max_bytes=10_000)
    assert all("root:" not in url for url in parsed.pages)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>not a sitemap</body></html>", "not a sitemap: root element is <html>"),
        (b"<urlset><url>", "sitemap is not well-formed XML"),
        (b"\x1f\x8b\x08garbage", "sitemap is not valid gzip"),
    ],
)
def test_parse_sitemap_rejects_bad_input(body: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_sitemap(body, "http://s.example/", max_bytes=10_000)


def test_parse_sitemap_caps_gzip_expansion() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000 + b"</urlset>")
    with pytest.raises(ValueError, match="expands to more than 1000 bytes"):
        parse_sitemap(bomb, "http://s.example/", max_bytes=1000)


def test_binary_bodies_are_recognised_whatever_their_label() -> None:
    from claimaudit.scan.engine import binary_body

    assert binary_body(b"%PDF-1.7 ...") == "PDF document"
    assert binary_body(b"<html>\x00\x00\x01</html>") == "contains NUL bytes"
    assert binary_body("<p>Ketamine</p>".encode("utf-16")) is None  # UTF-16 text has NULs too
    assert binary_body(b"<p>Ketamine is proven safe.</p>") is None
