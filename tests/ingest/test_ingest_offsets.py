"""OffsetMap and LineIndex: normalized offsets back to the source, line and column."""

from __future__ import annotations

import random
import time

from claimaudit.ingest.offsets import LineIndex, OffsetMap


def test_line_index_line_column_is_one_based() -> None:
    lines = LineIndex.of("ab\ncd\n\nef")
    assert lines.starts == (0, 3, 6, 7)
    assert lines.line_column(0) == (1, 1)
    assert lines.line_column(4) == (2, 2)
    assert lines.line_column(6) == (3, 1)
    assert lines.line_column(8) == (4, 2)


def test_offset_map_identity_maps_every_offset_to_itself() -> None:
    offsets = OffsetMap.identity("hello world")
    assert [offsets.to_source(i) for i in range(11)] == list(range(11))
    assert offsets.to_source(11, is_end=True) == 11
    assert offsets.span(6, 11).start == 6 and offsets.span(6, 11).end == 11


def test_offset_map_segments_merge_and_inserted_chars_stick_to_neighbours() -> None:
    # source "ab  cd" normalized to "ab cd": the space is inserted, "cd" is copied from 4
    offsets = OffsetMap.from_segments([(0, 0, 1), (1, 1, 1), (3, 4, 2)], "ab  cd")
    assert offsets.segments == ((0, 0, 2), (3, 4, 2))
    assert offsets.to_source(2) == 4  # a span starting at the space starts at "c"
    assert offsets.to_source(3, is_end=True) == 2  # a span ending after the space ends after "b"
    span = offsets.span(0, 5)
    assert "ab  cd"[span.start : span.end] == "ab  cd"


def test_offset_map_replacement_maps_to_whole_source_range() -> None:
    source = "A &amp; B"
    # normalized "A & B": "A " copied, "&" stands for "&amp;", " B" copied
    offsets = OffsetMap.from_segments([(0, 0, 2), (3, 7, 2)], source, [(2, 1, 2, 5)])
    span = offsets.span(2, 3)
    assert source[span.start : span.end] == "&amp;"
    whole = offsets.span(0, 5)
    assert source[whole.start : whole.end] == source
    assert offsets.to_source(3) == 7


def test_offset_map_end_offset_zero_and_past_the_end() -> None:
    offsets = OffsetMap.from_segments([(0, 3, 4)], "xx\nabcd")
    assert offsets.to_source(0, is_end=True) == 3
    assert offsets.to_source(10) == 7
    assert offsets.to_source(10, is_end=True) == 7
    assert OffsetMap.from_segments([], "abc").to_source(2) == 0


def test_offset_map_span_reports_lines_and_columns() -> None:
    source = "first\nsecond line"
    offsets = OffsetMap.from_segments([(0, 0, 5), (6, 6, 11)], source)
    span = offsets.span(6, 12)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 1, 2, 7)
    assert offsets.source_span(0, 5).end_column == 6


def test_offset_map_random_segments_match_brute_force() -> None:
    rng = random.Random(11)
    for _ in range(50):
        segments: list[tuple[int, int, int]] = []
        mapping: dict[int, int] = {}
        norm = source = 0
        for _ in range(rng.randint(1, 30)):
            norm += rng.randint(0, 2)  # inserted characters
            source += rng.randint(0, 5)  # dropped characters
            length = rng.randint(1, 6)
            segments.append((norm, source, length))
            for step in range(length):
                mapping[norm + step] = source + step
            norm += length
            source += length
        offsets = OffsetMap.from_segments(segments, "x" * (source + 1))
        for position, expected in mapping.items():
            assert offsets.to_source(position) == expected
            assert offsets.to_source(position + 1, is_end=True) == expected + 1


def test_offset_map_to_source_is_fast_on_large_maps() -> None:
    segments = [(i * 3, i * 5, 2) for i in range(20_000)]
    offsets = OffsetMap.from_segments(segments, "x" * 100_005)
    started = time.perf_counter()
    for position in range(0, 60_000, 3):
        offsets.to_source(position)
        offsets.to_source(position + 2, is_end=True)
    assert time.perf_counter() - started < 1.0  # 40,000 look-ups; about 0.02 s of CPU time measured


def _span_by_look_ups(offsets: OffsetMap, norm_start: int, norm_end: int) -> tuple[int, ...]:
    """`span`, worked out from `to_source` and `line_column` one by one."""
    start = offsets.to_source(norm_start)
    end = max(start, offsets.to_source(norm_end, is_end=True))
    return (start, end, *offsets.lines.line_column(start), *offsets.lines.line_column(end))


def test_span_is_each_end_looked_up() -> None:
    from claimaudit.findings.model import SourceSpan

    rng = random.Random(5)
    for _ in range(60):
        segments: list[tuple[int, int, int]] = []
        replacements: list[tuple[int, int, int, int]] = []
        norm = source = 0
        for _ in range(rng.randint(1, 12)):
            norm += rng.randint(0, 2)
            source += rng.randint(0, 4)
            if rng.random() < 0.2:  # a decoded entity: one character for several
                replacements.append((norm, 1, source, 5))
                norm, source = norm + 1, source + 5
                continue
            length = rng.randint(1, 8)
            segments.append((norm, source, length))
            norm, source = norm + length, source + length
        text = "".join(rng.choice("ab \n") for _ in range(source + 2))
        offsets = OffsetMap.from_segments(segments, text, replacements)
        for norm_start in range(-1, norm + 2):
            for norm_end in range(norm_start - 1, norm + 3):
                span = offsets.span(norm_start, norm_end)
                expected = _span_by_look_ups(offsets, norm_start, norm_end)
                assert (span.start, span.end, span.line, span.column, span.end_line, span.end_column) == expected
                assert span == SourceSpan(*expected) and hash(span) == hash(SourceSpan(*expected))
    identity = OffsetMap.identity("one\ntwo\n\nthree")
    assert identity.span(4, 13) == SourceSpan(4, 13, 2, 1, 4, 5)
    assert identity.source_span(0, 3) == SourceSpan(0, 3, 1, 1, 1, 4)
