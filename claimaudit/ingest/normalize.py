"""normalize(): one entry point that hands a SourceDocument to its format's reader."""

from __future__ import annotations

from claimaudit.errors import InputError
from claimaudit.ingest.builder import BuiltText
from claimaudit.ingest.plain import normalize_plain
from claimaudit.ingest.read import HTML, MARKDOWN, MEDIA_TYPES, PLAIN
from claimaudit.ingest.source import NormalizedDocument, SourceDocument


def normalize(source: SourceDocument) -> NormalizedDocument:
    """Plain text of a document (blocks joined by one newline) with an exact OffsetMap."""
    title = ""
    meta: tuple[tuple[str, str], ...] = ()
    built: BuiltText
    if source.media_type == PLAIN:
        built = normalize_plain(source)
    elif source.media_type == MARKDOWN:
        # Imported on first use: plain-text runs need neither reader (start-up time).
        from claimaudit.ingest.markdown import normalize_markdown

        result = normalize_markdown(source)
        built, title, meta = result.built, result.title, result.meta
    elif source.media_type == HTML:
        from claimaudit.ingest.html import normalize_html

        page = normalize_html(source)
        built, title, meta = page.built, page.title, page.meta
    else:
        raise InputError(
            f"{source.path}: unsupported media type {source.media_type!r} "
            f"(expected one of: {', '.join(MEDIA_TYPES)})",
            code="IN108",
        )
    return NormalizedDocument(
        source=source,
        text=built.text,
        offsets=built.offsets,
        blocks=built.blocks,
        directives=built.directives,
        title=title,
        links=built.links,
        meta=meta,
    )
