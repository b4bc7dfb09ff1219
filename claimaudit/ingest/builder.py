"""TextBuilder: assembles the normalized text block by block and records every edit.

Readers walk their source and call `block()`, `text()`, `space()` and the link methods;
the builder collapses whitespace, decodes character references when asked, joins blocks
with exactly one newline and keeps the OffsetMap exact.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from html.entities import html5

from claimaudit.ingest.directives import parse_directive
from claimaudit.ingest.offsets import OffsetMap
from claimaudit.ingest.source import Block, Directive, Link
from claimaudit.nlp.analysis_cache import compiled

_INVISIBLE = "\u200b\u2060\ufeff\u00ad"  # zero-width space, word joiner, BOM, soft hyphen
# Presentation forms no word matches through (neither `str.lower` nor `re.IGNORECASE` relates them
# to ASCII letters): the Latin ligatures of PDF text ("signiﬁcant", "eﬀective") and the fullwidth
# forms of ASCII ("ＫＥＴＡＭＩＮＥ"). Each becomes its compatibility form (NFKC: "fi", "K"), a
# replacement mapped to its own source character.
_COMPATIBLE = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFB00, 0xFB07), *range(0xFF01, 0xFF5F))}
_COMPATIBLE_TABLE = str.maketrans(_COMPATIBLE)
_COMPATIBLE_CLASS = "\ufb00-\ufb06\uff01-\uff5e"
_ENTITY = r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{0,31};?)"
# What interrupts verbatim copying: whitespace other than one plain space between words,
# invisible characters, and (when decoding) character references.
_SPACE = r"(?P<space> *[^\S ]\s*| {2,})"
_PLAIN_BREAK = compiled(rf"{_SPACE}|(?P<invisible>[{_INVISIBLE}]+)")
_ENTITY_BREAK = compiled(rf"{_SPACE}|(?P<invisible>[{_INVISIBLE}]+)|(?P<entity>{_ENTITY})")
_COMPATIBLE_FORM = compiled(f"[{_COMPATIBLE_CLASS}]")
_MAY_HOLD_FORM = compiled("[\ufb00-\uff5e]")  # one range: a quicker test than the two (most runs hold neither)
_WHITESPACE = compiled(r"\s+")
_COMPLETE_REFERENCE = compiled(
    r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});"
)


def _is_plain_run(segment: str, entities: bool) -> bool:
    """True when `segment` holds nothing the break patterns look for, so it is copied as one run.

    Every whitespace character but the plain space, and every invisible character, is
    non-printable (Unicode categories Cc, Cf, Z*), so a printable segment without a double space
    (and without "&" when references are decoded) has no break in it."""
    return segment.isprintable() and "  " not in segment and not (entities and "&" in segment)


def decode_entity(raw: str, *, legacy: bool = True) -> tuple[str, int] | None:
    """Decode a character reference at the start of `raw`: (value, characters used) or None.

    Follows HTML: numeric references and named ones with ';' decode whole; a legacy name
    without ';' ("&copy2024") decodes its longest known prefix. With `legacy=False`
    (CommonMark) only references ending in ';' decode.
    """
    if not legacy and not raw.endswith(";"):
        return None
    if raw.startswith("&#"):
        value = html.unescape(raw)
        return None if value == raw else (value, len(raw))
    name = raw[1:]
    if name.endswith(";") and name in html5:
        return html5[name], len(raw)
    bare = name.rstrip(";")
    for size in range(len(bare), 1, -1):
        if bare[:size] in html5:  # keys without ';' are exactly the legacy names
            return html5[bare[:size]], size + 1
    return None


def unescape_strict(text: str) -> str:
    """Decode only complete references ("&amp;", "&#38;"): for URLs, where "&para=1" is text."""
    return _COMPLETE_REFERENCE.sub(lambda match: html.unescape(match.group()), text)


def clean_inline(text: str) -> str:
    """Decode character references and collapse whitespace (for titles and metadata)."""
    return _WHITESPACE.sub(" ", html.unescape(text)).strip()


@dataclass(frozen=True, slots=True)
class BuiltText:
    """What a reader produced: the normalized text and everything mapped onto it."""

    text: str
    offsets: OffsetMap
    blocks: tuple[Block, ...]
    links: tuple[Link, ...]
    directives: tuple[Directive, ...]


class TextBuilder:
    """Accumulates normalized text with an exact map back to `source_text`."""

    def __init__(self, source_text: str, *, legacy_entities: bool = True) -> None:
        self.source_text = source_text
        self._legacy = legacy_entities
        self._parts: list[str] = []
        self._length = 0
        self._segments: list[tuple[int, int, int]] = []
        self._replacements: list[tuple[int, int, int, int]] = []
        self._blocks: list[Block] = []
        self._links: list[Link] = []
        self._open_links: list[list[int]] = []  # [first content offset or -1]
        self._comments: list[tuple[str, int, int]] = []
        self._kind = "paragraph"
        self._level = 0
        self._block_start = -1  # -1 while the current block has no content
        self._space = False

    # blocks -----------------------------------------------------------------
    def block(self, kind: str = "paragraph", level: int = 0) -> None:
        """End the current block; the next text starts a new block of `kind`."""
        if self._block_start >= 0:
            self._blocks.append(Block(self._kind, self._block_start, self._length, self._level))
        self._block_start = -1
        self._space = False
        self._kind = kind
        self._level = level

    def line_break(self) -> None:
        """A hard line break (<br>): a new block of the same kind."""
        self.block(self._kind, self._level)

    @property
    def kind(self) -> str:
        return self._kind

    # text -------------------------------------------------------------------
    def space(self) -> None:
        """A word boundary: emitted as one space before the next text in the same block."""
        if self._block_start >= 0:
            self._space = True

    def text(self, start: int, end: int, *, entities: bool = False) -> None:
        """Add source[start:end], collapsing whitespace and optionally decoding references."""
        if start >= end:
            return
        if _is_plain_run(self.source_text[start:end], entities):
            self._run(start, end)
            return
        pattern = _ENTITY_BREAK if entities else _PLAIN_BREAK
        position = start
        for match in pattern.finditer(self.source_text, start, end):
            if match.start() > position:
                self._run(position, match.start())
            group = match.lastgroup
            if group == "space":
                self.space()
            elif group == "entity":
                self._entity(match.group(), match.start())
            position = match.end()
        if position < end:
            self._run(position, end)

    def _run(self, start: int, end: int) -> None:
        """Copy a run whose only whitespace is single spaces (maybe at either end)."""
        source = self.source_text
        if source[start] == " ":
            self.space()
            start += 1
        trailing = end > start and source[end - 1] == " "
        if trailing:
            end -= 1
        if start < end:
            run = source[start:end]
            if run.isascii() or _MAY_HOLD_FORM.search(run) is None:
                self._emit(run, start, -1)
            else:
                self._forms(run, start)
        if trailing:
            self.space()

    def _forms(self, run: str, start: int) -> None:
        """Add a run holding presentation forms: each one as its compatibility form, standing for
        its source character; the text between copied verbatim."""
        position = 0
        for match in _COMPATIBLE_FORM.finditer(run):
            if match.start() > position:
                self._emit(run[position:match.start()], start + position, -1)
            self._emit(_COMPATIBLE[match.group()], start + match.start(), start + match.end())
            position = match.end()
        if position < len(run):
            self._emit(run[position:], start + position, -1)

    def verbatim(self, start: int, end: int) -> None:
        """Add source[start:end] as one word, without collapsing (an escaped character)."""
        if start < end:
            self._emit(self.source_text[start:end], start, -1)

    def insert(self, text: str) -> None:
        """Add characters with no source of their own (brackets around a footnote number)."""
        if text:
            self._emit(text, -1, -1)

    def last_char(self) -> str:
        """The character before the next text: "" at a block start, " " after a space."""
        if self._block_start < 0:
            return ""
        if self._space:
            return " "
        return self._parts[-1][-1]

    def replace(self, value: str, start: int, end: int) -> None:
        """Add `value` standing for source[start:end] as a unit (presentation forms in it
        replaced, as in `text`: "&filig;" gives "fi")."""
        if not value.isascii():
            value = value.translate(_COMPATIBLE_TABLE)
        value = _WHITESPACE.sub(" ", value)
        if value.isspace():
            self.space()
        elif value:
            self._emit(value, start, end)

    def _entity(self, raw: str, start: int) -> None:
        decoded = decode_entity(raw, legacy=self._legacy)
        if decoded is None:
            self._emit(raw, start, -1)
            return
        value, used = decoded
        self.replace(value, start, start + used)
        if used < len(raw):
            self._emit(raw[used:], start + used, -1)

    def _emit(self, text: str, source_start: int, source_end: int) -> None:
        if self._block_start < 0:
            if self._length:
                self._parts.append("\n")
                self._length += 1
            self._block_start = self._length
        elif self._space:
            self._parts.append(" ")
            self._length += 1
        self._space = False
        length = self._length
        for mark in self._open_links:
            if mark[0] < 0:
                mark[0] = length
        size = len(text)
        if source_start < 0:
            self._append(text, size)
            return
        if source_end < 0:
            segments = self._segments
            if segments:
                norm, src, seg_len = segments[-1]
                if norm + seg_len == length and src + seg_len == source_start:
                    segments[-1] = (norm, src, seg_len + size)
                    self._append(text, size)
                    return
            segments.append((length, source_start, size))
        else:
            self._replacements.append((length, size, source_start, source_end - source_start))
        self._append(text, size)

    def _append(self, text: str, size: int) -> None:
        self._parts.append(text)
        self._length += size

    # links and comments -----------------------------------------------------
    def begin_link(self) -> None:
        self._open_links.append([-1])

    def end_link(self, url: str) -> None:
        if not self._open_links:
            return
        start = self._open_links.pop()[0]
        if start >= 0 and self._length > start and url:
            self._links.append(Link(start, self._length, url))

    def comment(self, body: str, start: int, end: int) -> None:
        """Record a comment source[start:end] with inner text `body` (checked for directives)."""
        self._comments.append((body, start, end))

    # result -----------------------------------------------------------------
    def finish(self) -> BuiltText:
        self.block()
        while self._open_links:
            self._open_links.pop()
        offsets = OffsetMap.from_segments(self._segments, self.source_text, self._replacements)
        directives = []
        for body, start, end in sorted(self._comments, key=lambda comment: comment[1]):
            line = offsets.lines.line_column(start)[0]
            directive = parse_directive(body, start, end, line)
            if directive is not None:
                directives.append(directive)
        return BuiltText(
            text="".join(self._parts),
            offsets=offsets,
            blocks=tuple(self._blocks),
            links=tuple(sorted(self._links, key=lambda link: (link.text_start, link.text_end))),
            directives=tuple(directives),
        )
