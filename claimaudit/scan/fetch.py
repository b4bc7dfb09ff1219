"""Polite HTTP fetching: per-host rate limit, bounded retries, redirects, size and type caps."""

from __future__ import annotations

import codecs
import email.utils
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from claimaudit import __version__
from claimaudit.scan.urls import host_of, normalize_url

DEFAULT_USER_AGENT = f"claimaudit/{__version__} (health-claim audit)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how patiently to fetch."""

    timeout: float = 10.0  # seconds per attempt (connect, each read, and the whole body)
    retries: int = 3  # extra attempts after a 429/5xx/timeout/connection error
    backoff: float = 0.5  # first retry delay; doubles each attempt
    max_backoff: float = 8.0  # cap for one delay, also for a server's Retry-After
    max_bytes: int = 5_000_000
    rate: float = 2.0  # requests per second per host
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        wanted = float(self.backoff * 2**attempt)
        if retry_after is not None:
            wanted = max(wanted, retry_after)
        return min(wanted, self.max_backoff)


@dataclass(frozen=True, slots=True)
class Response:
    """A successful fetch: the final response after redirects, with its body."""

    url: str
    final_url: str
    status: int
    content_type: str  # media type only, lower case
    charset: str | None
    body: bytes
    redirects: tuple[str, ...]  # every URL of the chain after the first, final included
    fetched_at: str
    elapsed_ms: int
    attempts: int


class FetchError(Exception):
    """A page that could not be fetched (`skipped` when by policy rather than failure)."""

    def __init__(
        self,
        reason: str,
        *,
        skipped: bool = False,
        http_status: int | None = None,
        final_url: str | None = None,
        content_type: str = "",
        size: int | None = None,
        redirects: tuple[str, ...] = (),
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.skipped = skipped
        self.http_status = http_status
        self.final_url = final_url
        self.content_type = content_type
        self.size = size
        self.redirects = redirects


class RateLimiter:
    """Spaces requests to each host at least `interval(host)` seconds apart (thread-safe)."""

    def __init__(self, rate: float, interval_for: Callable[[str], float] | None = None) -> None:
        self._base = 1.0 / rate if rate > 0 else 0.0
        self._interval_for = interval_for
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        interval = self._base
        if self._interval_for is not None:
            interval = max(interval, self._interval_for(host))
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + interval
        if slot > now:
            time.sleep(slot - now)


class _Redirect(Exception):
    def __init__(self, location: str, status: int) -> None:
        super().__init__(location)
        self.location = location
        self.status = status


class Fetcher:
    """GETs pages with the policy's limits. Thread-safe; share one per scan."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        client: httpx.Client | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(policy.timeout),
            follow_redirects=False,
            headers={"User-Agent": policy.user_agent},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self.limiter = limiter or RateLimiter(policy.rate)
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        accept: tuple[str, ...] | None = PAGE_TYPES,
        check_redirect: Callable[[str], str | None] | None = None,
    ) -> Response:
        """Fetch `url`, following redirects. Raises FetchError with a plain reason.

        `accept` lists the media types wanted (None: any). `check_redirect(url)` may veto a
        redirect target by returning a reason (robots.txt, another host).
        """
        started = time.monotonic()
        current = url
        chain: list[str] = []
        for _ in range(self.policy.max_redirects + 1):
            try:
                response, used = self._attempts(current, accept, tuple(chain))
            except _Redirect as redirect:
                target = normalize_url(redirect.location, base=current)
                if target is None:
                    raise FetchError(
                        f"HTTP {redirect.status} redirect to unsupported location "
                        f"{redirect.location!r}",
                        http_status=redirect.status,
                        final_url=current,
                        redirects=tuple(chain),
                    ) from None
                if target in chain or target == url:
                    raise FetchError(
                        f"redirect loop at {target}",
                        http_status=redirect.status,
                        final_url=target,
                        redirects=tuple(chain),
                    ) from None
                chain.append(target)
                veto = check_redirect(target) if check_redirect else None
                if veto:
                    raise FetchError(
                        f"redirected to {target}: {veto}",
                        skipped=True,
                        http_status=redirect.status,
                        final_url=target,
                        redirects=tuple(chain),
                    ) from None
                current = target
                continue
            status, content_type, charset, body, fetched_at = response
            return Response(
                url=url,
                final_url=current,
                status=status,
                content_type=content_type,
                charset=charset,
                body=body,
                redirects=tuple(chain),
                fetched_at=fetched_at,
                elapsed_ms=int((time.monotonic() - started) * 1000),
                attempts=used,
            )
        raise FetchError(
            f"more than {self.policy.max_redirects} redirects",
            final_url=current,
            redirects=tuple(chain),
        )

    def _attempts(
        self, url: str, accept: tuple[str, ...] | None, chain: tuple[str, ...]
    ) -> tuple[tuple[int, str, str | None, bytes, str], int]:
        policy = self.policy
        last_reason = ""
        for attempt in range(policy.retries + 1):
            self.limiter.wait(host_of(url))
            try:
                return self._once(url, accept, chain), attempt + 1
            except _Retryable as problem:
                last_reason = problem.reason
                if attempt < policy.retries:
                    self._sleep(policy.delay(attempt, problem.retry_after))
                    continue
                raise FetchError(
                    f"{last_reason} (after {attempt + 1} attempts)",
                    http_status=problem.http_status,
                    final_url=url,
                    redirects=chain,
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, url: str, accept: tuple[str, ...] | None, chain: tuple[str, ...]
    ) -> tuple[int, str, str | None, bytes, str]:
        policy = self.policy
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        started = time.monotonic()
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES and "location" in response.headers:
                    raise _Redirect(response.headers["location"], status)
                if status in RETRY_STATUSES:
                    raise _Retryable(
                        f"HTTP {status}",
                        http_status=status,
                        retry_after=_retry_after(response.headers.get("retry-after")),
                    )
                content_type, charset = parse_content_type(response.headers.get("content-type"))
                if status >= 400:
                    raise FetchError(
                        f"HTTP {status}",
                        http_status=status,
                        final_url=url,
                        content_type=content_type,
                        redirects=chain,
                    )
                if accept is not None and content_type not in accept:
                    raise FetchError(
                        f"unsupported content type {content_type or '(none)'}",
                        skipped=True,
                        http_status=status,
                        final_url=url,
                        content_type=content_type,
                        redirects=chain,
                    )
                body = self._read_capped(response, url, status, content_type, chain, started)
                return status, content_type, charset, body, fetched_at
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {policy.timeout:g}s") from None
        except httpx.TransportError as error:
            raise _Retryable(f"connection error: {type(error).__name__}") from None

    def _read_capped(
        self,
        response: httpx.Response,
        url: str,
        status: int,
        content_type: str,
        chain: tuple[str, ...],
        started: float,
    ) -> bytes:
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise _too_large(int(declared), cap, status, url, content_type, chain)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise _too_large(size, cap, status, url, content_type, chain, at_least=True)
            if time.monotonic() - started > 2 * self.policy.timeout:
                raise httpx.ReadTimeout("body took too long")
            chunks.append(chunk)
        return b"".join(chunks)


class _Retryable(Exception):
    def __init__(
        self, reason: str, *, http_status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.retry_after = retry_after


def _too_large(
    size: int,
    cap: int,
    status: int,
    url: str,
    content_type: str,
    chain: tuple[str, ...],
    *,
    at_least: bool = False,
) -> FetchError:
    prefix = "more than " if at_least else ""
    return FetchError(
        f"page is {prefix}{size} bytes, over the --max-bytes limit of {cap}",
        skipped=True,
        http_status=status,
        final_url=url,
        content_type=content_type,
        size=size,
        redirects=chain,
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """("text/html", "windows-1252") from a Content-Type header."""
    if not header:
        return "", None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


# Labels that browsers decode as windows-1252 (WHATWG Encoding Standard).
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def decode_body(body: bytes, charset: str | None) -> tuple[str, str]:
    """Decode a page like a browser would: BOM, then header charset, then <meta>, then UTF-8."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name.replace("-sig", "")
    label = charset
    if label is None:
        match = _META_CHARSET.search(body[:4096])
        label = match.group(1).decode("ascii") if match else None
    encoding = _codec_for(label) if label else None
    if encoding is None:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return body.decode("windows-1252", errors="replace"), "windows-1252"
    return body.decode(encoding, errors="replace"), encoding


def _codec_for(label: str) -> str | None:
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        return "windows-1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if re.fullmatch(r"cp125\d", name):  # report the names pages use: windows-1252, ...
        return "windows-" + name[2:]
    return name
