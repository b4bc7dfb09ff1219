from __future__ import annotations

import pytest

from claimaudit.scan.urls import host_of, normalize_url, site_of, slugify


@pytest.mark.parametrize(
    ("raw", "base", "expected"),
    [
        ("HTTP://Example.COM", None, "http://example.com/"),
        ("https://example.com:443/a", None, "https://example.com/a"),
        ("http://example.com:8080/a", None, "http://example.com:8080/a"),
        ("/faq.html#dosing", "http://example.com/a/b.html", "http://example.com/faq.html"),
        ("../c.html", "http://example.com/a/b/index.html", "http://example.com/a/c.html"),
        ("http://example.com/a/./b/../c", None, "http://example.com/a/c"),
        ("http://example.com/dir/", None, "http://example.com/dir/"),
        ("/p?b=2&a=1&utm_source=x&fbclid=y", "http://example.com/", "http://example.com/p?a=1&b=2"),
        ("?utm_medium=menu", "http://example.com/blog.html", "http://example.com/blog.html"),
        ("mailto:hello@example.com", "http://example.com/", None),
        ("javascript:void(0)", "http://example.com/", None),
        ("ftp://example.com/file", None, None),
        ("", "http://example.com/", None),
        ("http://[::1]:8000/x", None, "http://[::1]:8000/x"),
        ("http://example.com:99999/", None, None),
    ],
)
def test_normalize_url_canonical_forms(raw: str, base: str | None, expected: str | None) -> None:
    assert normalize_url(raw, base=base) == expected


def test_normalize_url_is_idempotent() -> None:
    once = normalize_url("HTTP://Example.com:80/a/../b?z=1&a=2#x")
    assert once == "http://example.com/b?a=2&z=1"
    assert normalize_url(once) == once


def test_site_of_names_host_or_local_files() -> None:
    assert site_of("http://127.0.0.1:8000/a") == "127.0.0.1:8000"
    assert site_of("docs/page.md") == "local files"
    assert host_of("docs/page.md") == ""


def test_slugify_is_safe_and_distinguishes_similar_urls() -> None:
    a = slugify("http://example.com/a?b=1")
    b = slugify("http://example.com/a-b-1")
    assert a != b
    for slug in (a, b, slugify("x" * 500), slugify("../../etc/passwd")):
        assert all(ch.isalnum() or ch == "-" for ch in slug)
        assert len(slug) <= 91
