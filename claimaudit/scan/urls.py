"""URL normalisation and small helpers for naming pages and sites."""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset({"gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga", "yclid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Absolute, canonical form of an http(s) URL, or None for anything else.

    Resolves against `base`, lower-cases scheme and host, drops the default port, the
    fragment and tracking parameters (utm_*, gclid, ...), removes dot segments and sorts
    the query, so that equal pages get equal keys.
    """
    url = url.strip()
    if not url:
        return None
    if base is not None:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _remove_dot_segments(parts.path or "/")
    query = _normalize_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _remove_dot_segments(path: str) -> str:
    if "." not in path and "//" not in path:
        return path
    trailing = path.endswith(("/", "/.", "/.."))
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if trailing and not cleaned.endswith("/"):
        cleaned += "/"
    return cleaned


def _normalize_query(query: str) -> str:
    if not query:
        return ""
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    ]
    return urlencode(sorted(pairs))


def host_of(url: str) -> str:
    """`host[:port]` of a URL ("" for a local path)."""
    if "://" not in url:
        return ""
    return urlsplit(url).netloc.lower()


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def site_of(key: str) -> str:
    """The site a page belongs to: its host, or "local files" for paths."""
    return host_of(key) or "local files"


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def slugify(key: str, *, max_length: int = 80) -> str:
    """A file-name-safe, unique slug for a URL or path (readable part + short hash)."""
    readable = _SLUG_UNSAFE.sub("-", key.lower().split("://", 1)[-1]).strip("-")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{readable[:max_length].rstrip('-') or 'page'}-{digest}"
