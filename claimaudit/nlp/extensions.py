"""Every custom Doc/Span attribute, declared once. Idempotent."""

from __future__ import annotations

from spacy.tokens import Doc


def register_extensions() -> None:
    if not Doc.has_extension("references"):
        Doc.set_extension("references", default=None)  # tuple[Reference, ...]
    if not Doc.has_extension("links"):
        Doc.set_extension("links", default=None)  # tuple[(start, end, url), ...]
