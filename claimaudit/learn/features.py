"""Sparse features of a sentence: word unigrams and bigrams over a placeholder-normalised text.

Knowledge-base terms (from `doc.spans["terms"]`) become `<substance>`, `<indication>`, ... and
numbers (from `doc.spans["quantities"]`) become `<percent>`, `<duration>`, ...: a model trained on
ketamine pages then reads "psilocybin has been found to ease anxiety" the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+|[%?!:$]")
_KEEP_LABELS = ("terms", "quantities")


class PlaceholderIndex:
    """Token index -> (end token, placeholder) for a doc's terms and quantities, built once."""

    def __init__(self, doc: Doc) -> None:
        self.starts: dict[int, tuple[int, str]] = {}
        for key in _KEEP_LABELS:
            if key not in doc.spans:
                continue
            for span in doc.spans[key]:
                current = self.starts.get(span.start)
                if current is None or span.end > current[0]:
                    self.starts[span.start] = (span.end, f"<{span.label_}>")


def span_tokens(span: Span, index: PlaceholderIndex | None = None) -> list[str]:
    """The span's lower-cased words with terms and numbers replaced by placeholders."""
    index = index or PlaceholderIndex(span.doc)
    tokens: list[str] = []
    position = span.start
    while position < span.end:
        hit = index.starts.get(position)
        if hit is not None and hit[0] <= span.end:
            tokens.append(hit[1])
            position = hit[0]
            continue
        token = span.doc[position]
        tokens.extend("0" if word.isdigit() else word for word in _WORD.findall(token.text.lower()))
        position += 1
    return tokens


def token_features(tokens: Sequence[str]) -> list[str]:
    """Unigrams, bigrams, the first word and a length bucket (sorted, without duplicates)."""
    features = {"bias"}
    features.update(f"w={token}" for token in tokens)
    padded = ["^", *tokens, "$"]
    features.update(f"b={a}|{b}" for a, b in zip(padded, padded[1:]))
    if tokens:
        features.add(f"first={tokens[0]}")
    features.add(f"len={min(len(tokens) // 8, 5)}")
    return sorted(features)


def span_features(span: Span, index: PlaceholderIndex | None = None) -> list[str]:
    return token_features(span_tokens(span, index))
