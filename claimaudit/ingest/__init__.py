"""Input layer: files and text in, NormalizedDocument (with an exact OffsetMap) out."""

from __future__ import annotations

from claimaudit.ingest.normalize import normalize
from claimaudit.ingest.offsets import LineIndex, OffsetMap
from claimaudit.ingest.read import MEDIA_TYPES, read_source, read_text, sniff_media_type
from claimaudit.ingest.source import Block, Directive, Link, NormalizedDocument, SourceDocument
from claimaudit.ingest.walk import STDIN, iter_paths

__all__ = [
    "MEDIA_TYPES",
    "STDIN",
    "Block",
    "Directive",
    "LineIndex",
    "Link",
    "NormalizedDocument",
    "OffsetMap",
    "SourceDocument",
    "iter_paths",
    "normalize",
    "read_source",
    "read_text",
    "sniff_media_type",
]
