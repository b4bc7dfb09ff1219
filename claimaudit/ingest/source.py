"""Source and normalized documents: what the reader hands to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from claimaudit.ingest.offsets import OffsetMap


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document as read: where from, what format, and its decoded original text."""

    path: str  # file path, URL, or "<stdin>"
    media_type: str  # text/plain, text/markdown, text/html
    text: str
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the normalized text: heading, paragraph, list_item, table_cell, quote."""

    kind: str
    start: int  # normalized offsets
    end: int
    level: int = 0  # heading level


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline suppression comment found in the source (Markdown/HTML comment)."""

    action: str  # disable-next-line, disable, enable, disable-file
    codes: tuple[str, ...]
    reason: str
    start: int  # source offsets of the comment
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: its visible text (normalized offsets) and its target."""

    text_start: int
    text_end: int
    url: str


@dataclass(frozen=True, slots=True)
class NormalizedDocument:
    """Plain text for the pipeline: blocks joined by newlines, with an OffsetMap to the source."""

    source: SourceDocument
    text: str
    offsets: OffsetMap
    blocks: tuple[Block, ...] = ()
    directives: tuple[Directive, ...] = field(default=())
    title: str = ""
    links: tuple[Link, ...] = ()
    # document metadata as (key, value): "published", "modified", "reviewed" dates from
    # front matter or HTML meta tags / JSON-LD, plus other front-matter scalars
    meta: tuple[tuple[str, str], ...] = ()

    def meta_value(self, key: str) -> str | None:
        """The first value recorded under `key`, or None."""
        for name, value in self.meta:
            if name == key:
                return value
        return None
