"""Property-style checks: every normalized character and word span maps back to its source.

For each document, every kept character must come from the source slice it maps to (after
decoding character references), and random word spans must map to a source slice that
starts at the first word's first character, ends at the last word's last character, and
holds all the span's characters in order. Inside one block with no markup in between,
the slice must read exactly like the normalized words once whitespace is collapsed.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

import pytest

from claimaudit.ingest import normalize, read_source, read_text
from claimaudit.ingest.source import NormalizedDocument

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inputs"
READABLE = [
    "clinic_page.md",
    "saved_article.html",
    "broken.html",
    "plain_page.txt",
    "windows1252.txt",
    "utf16_bom.txt",
]
_MARKUP = set("<>*_`[]|\\~#!")
_INSERTED = set("[]")  # footnote brackets the HTML reader adds around <sup>n</sup>


def _random_html(rng: random.Random) -> str:
    words = [
        "ketamine",
        "dose",
        "AT&amp;T",
        "caf&eacute;",
        "it&#8217;s",
        "&mdash;",
        "50%",
        "trial",
        "&nbsp;",
    ]
    parts = ["<!doctype html><html><body><article>"]
    for _ in range(40):
        tag = rng.choice(["p", "li", "h2", "td", "blockquote"])
        inner = []
        for _ in range(rng.randint(1, 12)):
            word = rng.choice(words)
            wrapper = rng.choice(["", "", "b", "em", "a", "span"])
            inner.append(f"<{wrapper}>{word}</{wrapper}>" if wrapper else word)
            inner.append(rng.choice([" ", "  ", "\n   ", "", " <br> "]))
        parts.append(f"<{tag}>{''.join(inner)}</{tag}>")
    parts.append("</article></body></html>")
    return "".join(parts)


def _random_markdown(rng: random.Random) -> str:
    words = [
        "ketamine",
        "**dose**",
        "*may*",
        "_help_",
        "`code`",
        "[label](https://x.org)",
        "a&amp;b",
        "\\*",
        "snake_case",
        "5 * 3",
        "~~old~~",
        "~70%",
    ]
    lines = []
    for _ in range(40):
        prefix = rng.choice(["", "", "- ", "1. ", "## ", "> "])
        lines.append(prefix + " ".join(rng.choice(words) for _ in range(rng.randint(1, 10))))
        lines.append(rng.choice(["", "", "\n"]))
    return "\n".join(lines)


def _documents() -> list[tuple[str, NormalizedDocument]]:
    docs = [(name, normalize(read_source(FIXTURES / name))) for name in READABLE]
    rng = random.Random(2024)
    for index in range(3):
        docs.append(
            (
                f"random-{index}.html",
                normalize(read_text(_random_html(rng), media_type="text/html")),
            )
        )
        docs.append(
            (
                f"random-{index}.md",
                normalize(read_text(_random_markdown(rng), media_type="text/markdown")),
            )
        )
    return docs


DOCUMENTS = _documents()
IDS = [name for name, _ in DOCUMENTS]


def _decode(doc: NormalizedDocument, text: str) -> str:
    return text if doc.source.media_type == "text/plain" else html.unescape(text)


@pytest.mark.parametrize("doc", [doc for _, doc in DOCUMENTS], ids=IDS)
def test_every_character_maps_back_to_its_source(doc: NormalizedDocument) -> None:
    source = doc.source.text
    for position, char in enumerate(doc.text):
        if char.isspace():
            continue
        span = doc.offsets.span(position, position + 1)
        piece = source[span.start : span.end]
        if piece == "" and char in _INSERTED and doc.source.media_type == "text/html":
            continue
        assert char in _decode(doc, piece), (position, char, piece)


@pytest.mark.parametrize("doc", [doc for _, doc in DOCUMENTS], ids=IDS)
def test_random_word_spans_map_back_to_the_same_words(doc: NormalizedDocument) -> None:
    source = doc.source.text
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", doc.text)]
    assert words
    block_of = {}
    for index, block in enumerate(doc.blocks):
        for position in range(block.start, block.end):
            block_of[position] = index
    rng = random.Random(len(doc.text))
    for _ in range(300):
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randint(0, 6))
        start, end = words[first][0], words[last][1]
        span = doc.offsets.span(start, end)
        piece = source[span.start : span.end]
        kept = [
            i
            for i in range(start, end)
            if doc.text[i] not in _INSERTED or doc.source.media_type != "text/html"
        ]
        if not kept:
            continue
        head = doc.offsets.span(kept[0], kept[0] + 1)
        tail = doc.offsets.span(kept[-1], kept[-1] + 1)
        assert span.start == head.start and span.end == tail.end
        # the span's characters appear in order in the (decoded) source slice
        decoded = _decode(doc, piece)
        cursor = 0
        for char in doc.text[start:end]:
            if char.isspace() or char in _INSERTED:
                continue
            found = decoded.find(char, cursor)
            assert found >= 0, (doc.text[start:end], piece)
            cursor = found + 1
        # one block, no markup in between: the slice reads exactly like the words
        if block_of.get(start) == block_of.get(end - 1) and not (_MARKUP & set(piece)):
            assert " ".join(decoded.split()) == doc.text[start:end], (doc.text[start:end], piece)


@pytest.mark.parametrize("doc", [doc for _, doc in DOCUMENTS], ids=IDS)
def test_blocks_are_joined_by_exactly_one_newline(doc: NormalizedDocument) -> None:
    assert "\n".join(doc.text[b.start : b.end] for b in doc.blocks) == doc.text
    for block in doc.blocks:
        content = doc.text[block.start : block.end]
        assert (
            content and content == content.strip() and "  " not in content and "\n" not in content
        )


@pytest.mark.parametrize("doc", [doc for _, doc in DOCUMENTS], ids=IDS)
def test_links_lie_on_their_text(doc: NormalizedDocument) -> None:
    for link in doc.links:
        assert 0 <= link.text_start < link.text_end <= len(doc.text)
        span = doc.offsets.span(link.text_start, link.text_end)
        assert span.start < span.end
