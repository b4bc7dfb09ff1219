"""OffsetMap: carries every position of the normalized text back to the original file."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from claimaudit.findings.model import SourceSpan
from claimaudit.slots import slot_maker


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Line starts of a text, for 1-based line/column look-ups."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        starts = [0]
        find = text.find
        index = find("\n")
        while index != -1:
            starts.append(index + 1)
            index = find("\n", index + 1)
        return cls(tuple(starts))

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


# A piece of the map: normalized [norm_start, norm_end) <- source [source_start, source_end).
# Verbatim pieces map character by character; replaced pieces (a decoded entity) map as a unit.
_Piece = tuple[int, int, int, int, bool]


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps normalized-text offsets to source-text offsets.

    `segments` is a sorted tuple of (norm_start, source_start, length): normalized
    characters [norm_start, norm_start+length) were copied verbatim from source
    [source_start, source_start+length). `replacements` holds (norm_start, norm_length,
    source_start, source_length): normalized text that stands for a different source text,
    such as "&" for "&amp;"; any offset inside maps to the whole source range. Characters
    the normalizer inserted (block separators, collapsed spaces) map to the source position
    of the next mapped character when they start a span, and just past the previous one
    when they end it.
    """

    segments: tuple[tuple[int, int, int], ...]
    source_text: str
    lines: LineIndex
    replacements: tuple[tuple[int, int, int, int], ...] = ()
    _pieces: tuple[_Piece, ...] = field(init=False, repr=False, compare=False)
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces: list[_Piece] = [
            (norm, norm + length, source, source + length, True)
            for norm, source, length in self.segments
        ]
        pieces.extend(
            (norm, norm + norm_len, source, source + source_len, False)
            for norm, norm_len, source, source_len in self.replacements
        )
        pieces.sort()
        object.__setattr__(self, "_pieces", tuple(pieces))
        object.__setattr__(self, "_starts", tuple(piece[0] for piece in pieces))

    @classmethod
    def identity(cls, text: str) -> OffsetMap:
        return cls(((0, 0, len(text)),), text, LineIndex.of(text))

    @classmethod
    def from_segments(
        cls,
        segments: list[tuple[int, int, int]],
        source_text: str,
        replacements: list[tuple[int, int, int, int]] | None = None,
    ) -> OffsetMap:
        merged: list[tuple[int, int, int]] = []
        for norm_start, source_start, length in sorted(segments):
            if length <= 0:
                continue
            if merged:
                prev_norm, prev_source, prev_len = merged[-1]
                if prev_norm + prev_len == norm_start and prev_source + prev_len == source_start:
                    merged[-1] = (prev_norm, prev_source, prev_len + length)
                    continue
            merged.append((norm_start, source_start, length))
        kept = tuple(sorted(r for r in replacements or () if r[1] > 0))
        return cls(tuple(merged), source_text, LineIndex.of(source_text), kept)

    def to_source(self, norm_offset: int, *, is_end: bool = False) -> int:
        """Source offset of a normalized offset. An end offset maps just past its last char."""
        pieces = self._pieces
        if not pieces:
            return 0
        if is_end and norm_offset <= 0:
            is_end = False
        probe = norm_offset - 1 if is_end else norm_offset
        index = bisect.bisect_right(self._starts, probe) - 1
        if index < 0:
            return pieces[0][2]
        norm_start, norm_end, source_start, source_end, verbatim = pieces[index]
        if probe < norm_end:
            if verbatim:
                mapped = source_start + (probe - norm_start)
                return mapped + 1 if is_end else mapped
            return source_end if is_end else source_start
        # inserted character: end offsets stick to the previous piece, starts to the next
        if is_end:
            return source_end
        if index + 1 < len(pieces):
            return pieces[index + 1][2]
        return source_end

    def span(self, norm_start: int, norm_end: int) -> SourceSpan:
        pieces = self._pieces
        start = end = -1
        if pieces and norm_end > norm_start >= 0:
            # both ends in one verbatim piece (most spans): one look-up for both
            index = bisect.bisect_right(self._starts, norm_start) - 1
            if index >= 0:
                piece_start, piece_end, source, _, verbatim = pieces[index]
                following = self._starts[index + 1] if index + 1 < len(pieces) else piece_end
                if verbatim and norm_end <= piece_end and norm_end <= following:
                    start, end = source + (norm_start - piece_start), source + (norm_end - piece_start)
        if start < 0:
            start = self.to_source(norm_start)
            end = max(start, self.to_source(norm_end, is_end=True))
        return self.source_span(start, end)

    def source_span(self, start: int, end: int) -> SourceSpan:
        """A SourceSpan for offsets already in the source text."""
        starts = self.lines.starts
        line = bisect.bisect_right(starts, start) - 1
        end_line = line
        if line + 1 < len(starts) and end >= starts[line + 1]:  # (most spans end on their first line)
            end_line = bisect.bisect_right(starts, end, line + 1) - 1
        return _source_span(start, end, line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1)


# `SourceSpan(...)` with its slots set directly: half the cost of a frozen dataclass's
# constructor (which sets each through `object.__setattr__`), and it has nothing more to do
_source_span = slot_maker(SourceSpan)
