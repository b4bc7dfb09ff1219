"""Records that cross the scan's stages: frontier tasks, fetched pages, audited pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class TaskKind(str, Enum):
    """What a frontier entry is."""

    FILE = "file"  # a local file path
    PAGE = "page"  # a web page
    SITEMAP = "sitemap"  # a sitemap.xml or sitemap index: expands into pages


class PageStatus(str, Enum):
    OK = "ok"
    ERROR = "error"  # could not be fetched or audited
    SKIPPED = "skipped"  # left out by policy: robots.txt, content type, size, other host


@dataclass(frozen=True, slots=True)
class Task:
    """One frontier entry. `key` is a normalised URL or a file path."""

    key: str
    kind: TaskKind
    depth: int = 0
    follow: bool = False  # crawl: queue the page's same-host links


@dataclass(frozen=True, slots=True)
class AuditInput:
    """A fetched page handed to an audit worker."""

    key: str
    path: str  # what findings name: final URL or file path
    media_type: str
    text: str  # decoded body (HTML for web pages) or a local file's text
    extract: bool = False  # web HTML: extract the main text first
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class AuditOutput:
    """A worker's answer for one page."""

    key: str
    text: str  # the audited text: finding offsets index into it
    media_type: str
    extractor: str  # trafilatura | html-reader | source
    findings_json: str  # JSON list of finding dicts (the JSON reporter's shape)
    counts: tuple[tuple[str, int], ...] = ()  # (severity, count)
    error: str | None = None
    kb_version: str = ""
    kb_hash: str = ""
    audit_ms: int = 0


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One row of the `pages` table."""

    key: str
    kind: TaskKind
    status: PageStatus
    reason: str = ""
    final_url: str = ""
    http_status: int | None = None
    fetched_at: str = ""
    fetch_ms: int | None = None
    bytes: int | None = None
    content_type: str = ""
    encoding: str = ""
    redirects: tuple[str, ...] = ()
    media_type: str = ""
    extractor: str = ""
    text: str = ""
    findings_json: str = "[]"
    counts: tuple[tuple[str, int], ...] = ()
    kb_version: str = ""
    audit_ms: int | None = None

    @property
    def n_findings(self) -> int:
        return sum(count for _, count in self.counts)

    def count(self, severity: str) -> int:
        return dict(self.counts).get(severity, 0)


@dataclass(frozen=True, slots=True)
class Fetched:
    """The driver's view of one fetched task, before (or instead of) auditing."""

    task: Task
    record: PageRecord  # status OK means "ready to audit"; otherwise final
    audit_input: AuditInput | None = None
    links: tuple[str, ...] = ()
    sitemap_pages: tuple[str, ...] = ()
    sitemap_children: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
