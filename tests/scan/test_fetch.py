"""Fetching against the local fixture site: every failure mode ends in a clear record."""

from __future__ import annotations

import time

import pytest

from claimaudit.scan.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    RateLimiter,
    decode_body,
    parse_content_type,
)

from .site_server import RunningSite


def _fetcher(policy: FetchPolicy, sleeps: list[float] | None = None) -> Fetcher:
    if sleeps is None:
        return Fetcher(policy)
    return Fetcher(policy, sleep=sleeps.append)


def test_fetch_follows_redirect_chain_and_records_final_url(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    response = _fetcher(fast_policy).get(site.url("/old-pricing"))
    assert response.status == 200
    assert response.final_url == site.url("/pricing.html")
    assert response.redirects == (site.url("/moved-pricing"), site.url("/pricing.html"))
    assert b"Pricing" in response.body


def test_fetch_redirect_loop_is_an_error(site: RunningSite, fast_policy: FetchPolicy) -> None:
    with pytest.raises(FetchError, match="redirect loop") as caught:
        _fetcher(fast_policy).get(site.url("/loop-a"))
    assert not caught.value.skipped


def test_fetch_redirect_veto_stops_before_contacting_target(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    asked: list[str] = []

    def veto(url: str) -> str | None:
        asked.append(url)
        return "another host"

    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy).get(site.url("/offsite"), check_redirect=veto)
    assert asked == ["http://example.invalid/landing"]
    assert caught.value.skipped
    assert "another host" in caught.value.reason


def test_fetch_404_is_an_error_without_retries(site: RunningSite, fast_policy: FetchPolicy) -> None:
    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy).get(site.url("/missing.html"))
    assert caught.value.reason == "HTTP 404"
    assert caught.value.http_status == 404
    assert site.state.seen("/missing.html") == 1


def test_fetch_500_retries_with_exponential_backoff_then_fails(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    sleeps: list[float] = []
    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy, sleeps).get(site.url("/broken"))
    assert caught.value.reason == "HTTP 500 (after 3 attempts)"
    assert caught.value.http_status == 500
    assert site.state.seen("/broken") == 3  # 1 + retries
    assert sleeps == [0.01, 0.02]


def test_fetch_recovers_from_a_transient_503(site: RunningSite, fast_policy: FetchPolicy) -> None:
    response = _fetcher(fast_policy, []).get(site.url("/flaky"))
    assert response.status == 200
    assert response.attempts == 2


def test_fetch_429_honours_retry_after_within_the_cap(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    sleeps: list[float] = []
    policy = FetchPolicy(timeout=1, retries=2, backoff=0.01, max_backoff=5.0, rate=100)
    response = _fetcher(policy, sleeps).get(site.url("/rate-limited"))
    assert response.status == 200
    assert sleeps == [1.0]  # Retry-After: 1 beats the 0.01 s backoff


def test_fetch_slow_page_times_out_after_bounded_attempts(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    policy = FetchPolicy(timeout=0.3, retries=1, backoff=0.01, rate=100)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        _fetcher(policy, []).get(site.url("/slow"))
    assert caught.value.reason == "timed out after 0.3s (after 2 attempts)"
    assert time.monotonic() - started < 3.0  # two 0.3 s attempts, with room for a loaded machine


def test_fetch_skips_binary_content_without_reading_it(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy).get(site.url("/gallery/clinic.png"))
    assert caught.value.skipped
    assert caught.value.reason == "unsupported content type image/png"
    assert caught.value.content_type == "image/png"


def test_fetch_caps_streamed_body_without_content_length(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy).get(site.url("/big.html"))
    error = caught.value
    assert error.skipped
    assert error.size is not None and fast_policy.max_bytes < error.size < site.state.big_bytes
    assert "over the --max-bytes limit of 200000" in error.reason


def test_fetch_accept_none_takes_any_type(site: RunningSite, fast_policy: FetchPolicy) -> None:
    response = _fetcher(fast_policy).get(site.url("/sitemap-blog.xml.gz"), accept=None)
    assert response.content_type == "application/gzip"
    assert response.body[:2] == b"\x1f\x8b"


def test_fetch_connection_refused_is_retried_then_reported(fast_policy: FetchPolicy) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        _fetcher(fast_policy, []).get(f"http://127.0.0.1:{port}/")
    assert caught.value.reason == "connection error: ConnectError (after 3 attempts)"


def test_fetch_windows_1252_page_decodes_with_header_charset(
    site: RunningSite, fast_policy: FetchPolicy
) -> None:
    response = _fetcher(fast_policy).get(site.url("/legacy/testimonials.html"))
    assert response.charset == "windows-1252"
    text, encoding = decode_body(response.body, response.charset)
    assert encoding == "windows-1252"
    assert "“I felt better within minutes — no side effects at all!” – Renée" in text
    assert "results™" in text


@pytest.mark.parametrize(
    ("body", "charset", "text", "encoding"),
    [
        ("café".encode(), None, "café", "utf-8"),
        ("café".encode("cp1252"), "ISO-8859-1", "café", "windows-1252"),  # WHATWG label map
        ("“q”".encode("cp1252"), "latin1", "“q”", "windows-1252"),
        (
            b'<meta charset="windows-1252"><p>\x93hi\x94',
            None,
            '<meta charset="windows-1252"><p>“hi”',
            "windows-1252",
        ),
        (b"\xef\xbb\xbfhello", "windows-1252", "hello", "utf-8"),  # BOM wins
        ("naïve".encode("cp1252"), None, "naïve", "windows-1252"),  # not UTF-8: fall back
        (b"plain", "no-such-charset", "plain", "utf-8"),
    ],
)
def test_decode_body_like_a_browser(
    body: bytes, charset: str | None, text: str, encoding: str
) -> None:
    assert decode_body(body, charset) == (text, encoding)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
        ('Text/HTML;charset="windows-1252"', ("text/html", "windows-1252")),
        ("image/png", ("image/png", None)),
        (None, ("", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str, str | None]) -> None:
    assert parse_content_type(header) == expected


def test_rate_limiter_spaces_requests_per_host() -> None:
    limiter = RateLimiter(rate=20.0)  # 50 ms apart
    started = time.monotonic()
    for _ in range(4):
        limiter.wait("a.example")
    limiter.wait("b.example")  # another host is not delayed by a.example
    elapsed = time.monotonic() - started
    assert 0.14 <= elapsed < 0.5


def test_retry_delay_doubles_and_is_capped() -> None:
    policy = FetchPolicy(backoff=0.5, max_backoff=3.0)
    assert [policy.delay(n) for n in range(4)] == [0.5, 1.0, 2.0, 3.0]
    assert policy.delay(0, retry_after=120) == 3.0
