"""A local test web site on 127.0.0.1: the fixture pages plus misbehaving routes."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "fixtures" / "site"

REDIRECTS = {
    "/old-pricing": (301, "/moved-pricing"),
    "/moved-pricing": (302, "/pricing.html"),
    "/loop-a": (302, "/loop-b"),
    "/loop-b": (302, "/loop-a"),
    "/offsite": (302, "http://example.invalid/landing"),
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".xml": "application/xml",
}


@dataclass
class SiteState:
    """What the server saw, and knobs the tests turn."""

    slow_seconds: float = 3.0
    big_bytes: int = 300_000
    flaky_failures: int = 1  # /flaky answers 503 this many times, then 200
    requests: list[str] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, path: str) -> int:
        with self.lock:
            return self.hits[path]


@dataclass(frozen=True)
class RunningSite:
    base: str  # http://127.0.0.1:PORT
    state: SiteState

    def url(self, path: str) -> str:
        return self.base + path


def _handler(state: SiteState, base: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "FixtureSite/1.0"

        def log_message(self, *_: object) -> None:  # keep test output quiet
            return None

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with state.lock:
                state.requests.append(self.path)
                state.hits[path] += 1
                hits = state.hits[path]
            try:
                self._route(path, hits)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeouts, size caps): expected

        def _route(self, path: str, hits: int) -> None:
            if path in REDIRECTS:
                status, target = REDIRECTS[path]
                self.send_response(status)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path == "/to-ip-host":  # e.g. http://localhost:PORT/ -> http://127.0.0.1:PORT/
                self.send_response(302)
                self.send_header("Location", base[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/broken":
                return self._send(500, b"<h1>Internal error</h1>", "text/html")
            if path == "/flaky":
                if hits <= state.flaky_failures:
                    return self._send(503, b"busy", "text/plain")
                return self._send(200, _page("Flaky page", "It works now."), "text/html")
            if path == "/rate-limited":
                if hits == 1:
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                return self._send(200, _page("Rate limited", "Second try."), "text/html")
            if path == "/slow":
                time.sleep(state.slow_seconds)
                return self._send(200, _page("Slow", "Finally."), "text/html")
            if path == "/big.html":
                return self._send_streamed(state.big_bytes)
            if path == "/sitemap-blog.xml.gz":
                xml = (SITE / "sitemap-blog.xml").read_text(encoding="utf-8")
                body = gzip.compress(xml.replace("{base}", base[0]).encode("utf-8"))
                return self._send(200, body, "application/gzip")
            file = SITE / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.resolve().is_relative_to(SITE.resolve()) or not file.is_file():
                return self._send(404, b"<h1>Not found</h1>", "text/html")
            body = file.read_bytes()
            content_type = TYPES.get(file.suffix, "application/octet-stream")
            if file.suffix == ".xml":
                body = body.replace(b"{base}", base[0].encode("ascii"))
            if path.startswith("/legacy/"):
                content_type = "text/html; charset=windows-1252"
            self._send(200, body, content_type)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send_streamed(self, size: int) -> None:
            """No Content-Length: the client must cap the body while reading."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"Ketamine research summary. " * 40 + b"</p>\n"
            sent = 0
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
            self.close_connection = True

    return Handler


def _page(title: str, text: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


@contextmanager
def serve_site(state: SiteState | None = None) -> Iterator[RunningSite]:
    """Serve the fixture site on a free port of 127.0.0.1 for the duration of the block."""
    state = state or SiteState()
    base: list[str] = [""]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, base))
    server.daemon_threads = True
    base[0] = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield RunningSite(base[0], state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":  # manual use: python tests/scan/site_server.py
    with serve_site() as site:
        print(f"serving {SITE} at {site.base} (Ctrl-C stops)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
