"""Fast character-offset -> token-span conversion (doc.char_span is slow on long documents)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc, Span, SpanGroup

INDEX_KEY = "claimaudit.char_index"


class CharIndex:
    """Token starts of a doc, for turning regex matches into spans (expanding to whole tokens)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = doc.to_array(IDX).tolist() if len(doc) else []

    @classmethod
    def of(cls, doc: Doc) -> "CharIndex":
        """The doc's index, built once and kept in `doc.user_data`."""
        index = doc.user_data.get(INDEX_KEY)
        if index is None:
            index = cls(doc)
            doc.user_data[INDEX_KEY] = index
        return index

    def span(self, start: int, end: int, label: str | int = "", kb_id: str | int = "") -> Span | None:
        if end <= start or not self.starts:
            return None
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_left(self.starts, end)
        first = max(first, 0)
        if last <= first:
            last = first + 1
        return Span(self.doc, first, last, label=label, kb_id=kb_id)


TEXT_KEY = "claimaudit.text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per doc (spaCy rebuilds it from the tokens on every access).

    The tokenizer stores the text it was given; docs made otherwise (`Doc.from_docs`) fall back
    to `doc.text`."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


SPACES_KEY = "claimaudit.token_spaces"


def token_spaces(doc: Doc) -> list[int]:
    """1 where a space follows the token (`whitespace_`), else 0 (`doc.to_array(SPACY)`), read
    once per doc and kept in `doc.user_data`."""
    spaces: list[int] | None = doc.user_data.get(SPACES_KEY)
    if spaces is None:
        spaces = doc.to_array(SPACY).tolist() if len(doc) else []
        doc.user_data[SPACES_KEY] = spaces
    return spaces


def token_end(starts: Sequence[int], spaces: Sequence[int], text_end: int, token: int) -> int:
    """Where the token ends (`token.idx + len(token)`), given every token's start
    (`CharIndex.starts`), trailing space (`token_spaces`) and the text's length: where the next
    token starts (the text's end after the last) less its trailing space, as the tokens and
    their spaces make up the text."""
    return (starts[token + 1] if token + 1 < len(starts) else text_end) - spaces[token]


GROUPS_KEY = "claimaudit.span_lists"


def set_group(doc: Doc, key: str, spans: list[Span]) -> None:
    """`doc.spans[key] = spans`, keeping the Span objects in `doc.user_data` too, so readers of
    the group (`group_spans`) reuse them: spaCy makes a new Span for every span it yields."""
    doc.spans[key] = spans
    kept = doc.user_data.get(GROUPS_KEY)
    if kept is None:
        kept = doc.user_data[GROUPS_KEY] = {}
    kept[key] = (doc.spans[key], spans)


def extend_group(doc: Doc, key: str, spans: list[Span]) -> None:
    """`doc.spans[key].extend(spans)`, keeping the kept Span objects in step (`set_group`)."""
    group = doc.spans[key]
    group.extend(spans)
    kept = doc.user_data.get(GROUPS_KEY, {}).get(key)
    if kept is not None and kept[0] is group:
        kept[1].extend(spans)


def group_spans(doc: Doc, key: str) -> list[Span]:
    """The spans of `doc.spans[key]` in the group's order: the Span objects `set_group` kept
    while the group is the one it set and holds as many spans, else read from the group. The
    list is the one kept: a caller copies it before changing it."""
    group: SpanGroup = doc.spans[key]
    kept: tuple[SpanGroup, list[Span]] | None = doc.user_data.get(GROUPS_KEY, {}).get(key)
    if kept is not None and kept[0] is group and len(kept[1]) == len(group):
        return kept[1]
    return list(group)
