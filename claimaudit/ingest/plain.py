"""Plain-text reader: lines and paragraphs become blocks.

Every non-blank line is its own block (web pages copied as text put one paragraph, heading
or caption per line), except where a line obviously continues the previous one: inside a
hard-wrapped paragraph (3+ lines of similar width, 50-100 characters, mostly ending
mid-sentence), after a bullet when indented, or when it starts in lower case and the
previous line has no closing punctuation. Bullet lines ("- ", "• ", "1. ") become
list items without their marker. A line that is exactly a claimaudit directive comment is
recorded as a directive and dropped from the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from claimaudit.ingest.builder import BuiltText, TextBuilder
from claimaudit.ingest.directives import comment_line_body, parse_directive
from claimaudit.ingest.source import SourceDocument
from claimaudit.nlp.analysis_cache import compiled

_BULLET = compiled(
    r"[ \t]*(?:[\u2022\u25cf\u25aa\u25e6\u2023\u2219\u00b7*+\-\u2013]|\d{1,3}[.)])[ \t]+(?=\S)"
)
_TERMINAL = compiled(r"[.!?:;][\"'\u201d\u2019)\]]*\s*$")
_WRAP_LINES = 3  # hard-wrapped text runs at least this many lines ...
_WRAP_MAX = 100  # ... keeps lines at most this long ...
_WRAP_MIN = 50  # ... with a longest line of at least this
_WRAP_FILL = 0.6  # ... and every line but the last at least this share of the longest,
# ... and at least half of those lines ending mid-sentence

_Line = tuple[
    str, int, int, int
]  # kind (blank, directive, bullet, text), start, end, content start


def normalize_plain(source: SourceDocument) -> BuiltText:
    """Normalize a plain-text document."""
    text = source.text
    builder = TextBuilder(text)
    lines = [_classify(text, start, end) for start, end in iter_lines(text)]
    wrapped = _wrapped_lines(text, lines)
    previous: _Line | None = None
    for index, line in enumerate(lines):
        kind, start, end, content = line
        if kind in ("blank", "directive"):
            if kind == "directive":
                _record_comment(builder, text, start, end)
            builder.block()
            previous = None
        elif kind == "bullet":
            builder.block("list_item")
            builder.text(content, end)
            previous = line
        elif previous is not None and (index in wrapped or _continues(text, previous, line)):
            builder.space()
            builder.text(content, end)
            previous = line
        else:
            builder.block("paragraph")
            builder.text(content, end)
            previous = line
    return builder.finish()


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break (\\n, \\r\\n or \\r)."""
    start = 0
    if "\r" not in text:  # "\n" breaks only: split in one call
        for line in text.split("\n"):
            end = start + len(line)
            yield start, end
            start = end + 1
        return
    for match in re.finditer(r"\r\n|\r|\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _classify(text: str, start: int, end: int) -> _Line:
    line = text[start:end]
    if not line.strip():
        return ("blank", start, end, end)
    body = comment_line_body(line) if "<!--" in line else None  # a comment line holds one
    if body is not None and parse_directive(body, 0, 0, 0) is not None:
        return ("directive", start, end, end)
    bullet = _BULLET.match(line)
    if bullet is not None:
        return ("bullet", start, end, start + bullet.end())
    return ("text", start, end, start)


def _record_comment(builder: TextBuilder, text: str, start: int, end: int) -> None:
    open_at = text.index("<!--", start, end)
    close_at = text.rindex("-->", start, end)
    builder.comment(text[open_at + 4 : close_at], open_at, close_at + 3)


def _wrapped_lines(text: str, lines: list[_Line]) -> set[int]:
    """Indexes of lines that continue a hard-wrapped paragraph (all but its first line)."""
    wrapped: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, ("blank", 0, 0, 0)]):
        if line[0] == "text":
            run.append(index)
            continue
        if len(run) >= _WRAP_LINES:
            contents = [text[lines[i][1] : lines[i][2]].rstrip() for i in run]
            widths = [len(content) for content in contents]
            longest = max(widths)
            open_ends = sum(1 for content in contents[:-1] if _TERMINAL.search(content) is None)
            if (
                _WRAP_MIN <= longest <= _WRAP_MAX
                and all(width >= _WRAP_FILL * longest for width in widths[:-1])
                and 2 * open_ends >= len(contents) - 1
            ):
                wrapped.update(run[1:])
        run = []
    return wrapped


def _continues(text: str, previous: _Line, line: _Line) -> bool:
    """Whether `line` carries on the sentence or bullet of `previous`."""
    _, start, end, _ = line
    content = text[start:end]
    first = content.lstrip()[:1]
    if previous[0] == "bullet" and content[:1] in (" ", "\t"):
        return True
    previous_text = text[previous[1] : previous[2]]
    return first.islower() and _TERMINAL.search(previous_text) is None
