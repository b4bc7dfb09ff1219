"""robots.txt: fetched once per site, consulted before every request (RFC 9309).

Parsed by protego: `*` and `$` patterns, and the longest matching rule wins (Allow on a tie),
as RFC 9309 section 2.2.2 says; urllib.robotparser takes the first match and no wildcards.
"""

from __future__ import annotations

import threading

from protego import Protego

from claimaudit.scan.fetch import Fetcher, FetchError, decode_body
from claimaudit.scan.urls import origin_of


class RobotsRules:
    """Answers "may we fetch this URL?" per origin, caching each robots.txt."""

    def __init__(self, fetcher: Fetcher, user_agent: str) -> None:
        self._fetcher = fetcher
        self._agent = user_agent
        self._parsers: dict[str, Protego | str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def refusal(self, url: str) -> str | None:
        """None when `url` may be fetched, else the reason it may not."""
        parser = self._parser(origin_of(url))
        if isinstance(parser, str):
            return parser
        if parser.can_fetch(url, self._agent):
            return None
        return "disallowed by robots.txt"

    def crawl_delay(self, host: str) -> float:
        """The Crawl-delay robots.txt asks of our agent on `host` (0 when none or unknown)."""
        for scheme in ("https", "http"):
            parser = self._parsers.get(f"{scheme}://{host}")
            if parser is not None and not isinstance(parser, str):
                delay = parser.crawl_delay(self._agent)
                return float(delay) if delay else 0.0
        return 0.0

    def _parser(self, origin: str) -> Protego | str:
        with self._guard:
            cached = self._parsers.get(origin)
            if cached is not None:
                return cached
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            cached = self._parsers.get(origin)
            if cached is None:
                cached = self._load(origin)
                self._parsers[origin] = cached
            return cached

    def unreachable(self, url: str) -> str | None:
        """The connection error when the site refused even the robots.txt request, else None."""
        parser = self._parsers.get(origin_of(url))
        if isinstance(parser, str) and parser.startswith(_CONNECT_PREFIX):
            return parser.removeprefix(_CONNECT_PREFIX)
        return None

    def _load(self, origin: str) -> Protego | str:
        try:
            response = self._fetcher.get(origin + "/robots.txt", accept=None)
        except FetchError as error:
            status = error.http_status
            if status is not None and 400 <= status < 500:
                return Protego.parse("")  # no robots.txt (or forbidden): everything is allowed
            if status is None and "ConnectError" in error.reason:
                # nothing listens there: the page itself is unreachable, not "disallowed"
                return _CONNECT_PREFIX + f"cannot connect to {origin}: {error.reason}"
            # RFC 9309 2.3.1.3-4: an unreachable robots.txt means "assume complete disallow"
            return f"robots.txt unreachable ({error.reason}); not crawling this site"
        text, _ = decode_body(response.body, response.charset)
        return Protego.parse(text)


_CONNECT_PREFIX = "\0connect:"
