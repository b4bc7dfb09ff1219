"""Markdown reader: CommonMark/GFM structure to blocks, syntax stripped, offsets exact.

A small two-pass reader rather than a Markdown library, because the pipeline needs the
source offset of every character it keeps, which renderers do not report. Pass one groups
lines into blocks (headings, paragraphs, list items, quotes, table cells) and collects
front matter, link reference definitions and comments; pass two parses inline syntax
(emphasis, code spans, links, images, escapes, inline HTML, entities) into the builder.

Dropped: front matter (dates and scalars go to `meta`), fenced code, images, HTML
comments and tags, <script>/<style> blocks, thematic breaks, link reference definitions.
Not supported: indented code blocks (indented lines read as text), nested containers
beyond one quote level, setext headings inside quotes.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

import yaml

from claimaudit.ingest.builder import BuiltText, TextBuilder, unescape_strict
from claimaudit.ingest.meta import add_meta, date_key
from claimaudit.ingest.plain import iter_lines
from claimaudit.ingest.source import SourceDocument
from claimaudit.nlp.analysis_cache import compiled

_FENCE = compiled(r" {0,3}(`{3,}|~{3,})")
_ATX = compiled(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_ATX_CLOSE = compiled(r"(?:^|[ \t]+)#+[ \t]*$")
_QUOTE = compiled(r"(?: {0,3}>[ \t]?)+")
_LIST = compiled(r"[ \t]*([-+*\u2022]|(\d{1,9})[.)])(?:[ \t]+|$)")
_TASK = compiled(r"\[[ xX]\][ \t]+")
_THEMATIC = compiled(r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})")
_SETEXT = compiled(r" {0,3}(=+|-+)[ \t]*")
_TABLE_DELIM = compiled(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_REF_DEF = compiled(
    r" {0,3}\[([^\]\^][^\]]*)\]:[ \t]*(<[^>\n]*>|\S+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*"
)
_RAW_BLOCK = compiled(r"[ \t]*<(script|style)\b", re.IGNORECASE)
_SPECIAL = compiled(r"[\\`*_~\[!<\n]")
_COMMENT = compiled(r"<!--(.*?)-->", re.DOTALL)
_AUTOLINK = compiled(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_EMAIL = compiled(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)>")
_TAG = compiled(r"</?([A-Za-z][A-Za-z0-9\-]*)(?:\s[^<>]*)?/?>")
_BREAK_TAGS = frozenset((
    "br", "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "section", "article", "hr",
))  # fmt: skip
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_LINK_TITLE = compiled(r"[ \t\n]*(?:\"[^\"]*\"|'[^']*'|\([^)]*\))?[ \t\n]*\)")


@dataclass(slots=True)
class _Spec:
    """A block found by pass one: kind and the source range its inline content spans."""

    kind: str
    start: int
    end: int
    level: int = 0
    skips: dict[int, int] = field(default_factory=dict)  # line start -> content start


@dataclass(frozen=True, slots=True)
class MarkdownResult:
    built: BuiltText
    title: str
    meta: tuple[tuple[str, str], ...]


def normalize_markdown(source: SourceDocument) -> MarkdownResult:
    """Normalize a Markdown document."""
    text = source.text
    lines = list(iter_lines(text))
    meta: list[tuple[str, str]] = []
    first, title = _front_matter(text, lines, meta)
    builder = TextBuilder(text, legacy_entities=False)  # CommonMark: only "&name;" decodes
    specs, refs = _BlockParser(text, lines, builder).parse(first)
    inline = _InlineParser(text, refs, builder)
    for spec in specs:
        builder.block(spec.kind, spec.level)
        inline.emit(inline.tokens(spec.start, spec.end, spec.skips))
    built = builder.finish()
    if not title:
        title = next(
            (
                built.text[b.start : b.end]
                for b in built.blocks
                if b.kind == "heading" and b.level == 1
            ),
            "",
        )
    return MarkdownResult(built, title, tuple(meta))


# front matter ---------------------------------------------------------------------------
def _front_matter(
    text: str, lines: list[tuple[int, int]], meta: list[tuple[str, str]]
) -> tuple[int, str]:
    """Skip a leading YAML (---) or TOML (+++) block; record its dates and scalars."""
    if not lines:
        return 0, ""
    opener = text[lines[0][0] : lines[0][1]].rstrip()
    if opener not in ("---", "+++"):
        return 0, ""
    closers = ("---", "...") if opener == "---" else ("+++",)
    for index in range(1, len(lines)):
        start, end = lines[index]
        if text[start:end].rstrip() in closers:
            body = text[lines[1][0] : start] if index > 1 else ""
            return index + 1, _front_matter_values(body, opener, meta)
    return 0, ""


def _front_matter_values(body: str, opener: str, meta: list[tuple[str, str]]) -> str:
    try:
        data = yaml.safe_load(body) if opener == "---" else tomllib.loads(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    title = ""
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
            continue
        name = str(key).strip().lower()
        value_text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if name == "title":
            title = " ".join(value_text.split())
            continue
        add_meta(meta, date_key(name) or name, value_text)
    return title


# pass one: blocks ------------------------------------------------------------------------
class _BlockParser:
    def __init__(self, text: str, lines: list[tuple[int, int]], builder: TextBuilder) -> None:
        self.text = text
        self.lines = lines
        self.builder = builder
        self.specs: list[_Spec] = []
        self.refs: dict[str, str] = {}
        self.open: _Spec | None = None
        self.open_quoted = False

    def parse(self, first: int) -> tuple[list[_Spec], dict[str, str]]:
        lines = self.lines
        index = first
        start_override = -1
        while index < len(lines):
            start, end = lines[index]
            if start_override >= 0:
                start, start_override = start_override, -1
            skip_to = self._line(index, start, end)
            if isinstance(skip_to, tuple):
                index, start_override = skip_to
            else:
                index = skip_to
        self._close()
        return self.specs, self.refs

    # Each handler returns the next line index, or (index, start) to resume mid-line.
    def _line(self, index: int, start: int, end: int) -> int | tuple[int, int]:
        text = self.text
        quote = _QUOTE.match(text, start, end)
        content = quote.end() if quote else start
        line = text[content:end]
        if not line.strip():
            self._close()
            return index + 1
        lazy = self.open is not None and self.open_quoted and quote is None
        fence = _FENCE.match(line)
        if fence:
            self._close()
            return self._skip_fence(index, fence.group(1))
        stripped = line.lstrip()
        if stripped.startswith("<!--"):
            self._close()
            return self._comment(content + len(line) - len(stripped))
        raw = _RAW_BLOCK.match(line)
        if raw:
            self._close()
            return self._skip_raw(index, raw.group(1))
        setext = _SETEXT.fullmatch(line)
        if setext and self.open is not None and self.open.kind == "paragraph" and not quote:
            self.open.kind, self.open.level = "heading", 1 if setext.group(1)[0] == "=" else 2
            self._close()
            return index + 1
        if _THEMATIC.fullmatch(line):
            self._close()
            return index + 1
        atx = _ATX.match(line)
        if atx:
            self._close()
            self._heading(content, end, atx)
            return index + 1
        marker = _LIST.match(line)
        if marker and (self._can_interrupt(marker) or self.open is None):
            self._close()
            item_start = content + marker.end()
            task = _TASK.match(text, item_start, end)
            self._open("list_item", task.end() if task else item_start, end, bool(quote))
            return index + 1
        if not quote and "|" in line and index + 1 < len(self.lines):
            next_start, next_end = self.lines[index + 1]
            delimiter = text[next_start:next_end]
            if "-" in delimiter and "|" in delimiter and _TABLE_DELIM.fullmatch(delimiter):
                self._close()
                return self._table(index)
        if self.open is None:
            ref = _REF_DEF.fullmatch(line)
            if ref and not quote:
                self.refs.setdefault(_ref_key(ref.group(1)), _clean_url(ref.group(2)))
                return index + 1
        if (
            self.open is not None
            and (lazy or self.open_quoted == bool(quote))
            and self.open.kind != "heading"
        ):
            self.open.end = end
            if quote:
                self.open.skips[start] = content
            return index + 1
        self._close()
        self._open("quote" if quote else "paragraph", content, end, bool(quote))
        return index + 1

    def _can_interrupt(self, marker: re.Match[str]) -> bool:
        # an ordered list interrupts a paragraph only when it starts at 1
        return self.open is None or self.open.kind != "paragraph" or marker.group(2) in (None, "1")

    def _open(self, kind: str, start: int, end: int, quoted: bool) -> None:
        self.open = _Spec(kind, start, end)
        self.open_quoted = quoted

    def _close(self) -> None:
        if self.open is not None:
            self.specs.append(self.open)
        self.open = None
        self.open_quoted = False

    def _heading(self, content: int, end: int, atx: re.Match[str]) -> None:
        head_start = content + atx.end()
        line = self.text[head_start:end]
        closing = _ATX_CLOSE.search(line)
        head_end = head_start + closing.start() if closing else end
        self.specs.append(_Spec("heading", head_start, head_end, len(atx.group(1))))

    def _skip_fence(self, index: int, fence: str) -> int:
        closing = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        for later in range(index + 1, len(self.lines)):
            start, end = self.lines[later]
            quote = _QUOTE.match(self.text, start, end)
            if closing.fullmatch(self.text, quote.end() if quote else start, end):
                return later + 1
        return len(self.lines)

    def _skip_raw(self, index: int, tag: str) -> int:
        closing = f"</{tag.lower()}"
        for later in range(index, len(self.lines)):
            start, end = self.lines[later]
            if closing in self.text[start:end].lower():
                return later + 1
        return len(self.lines)

    def _comment(self, open_at: int) -> int | tuple[int, int]:
        close_at = self.text.find("-->", open_at + 4)
        if close_at < 0:
            self.builder.comment(self.text[open_at + 4 :], open_at, len(self.text))
            return len(self.lines)
        after = close_at + 3
        self.builder.comment(self.text[open_at + 4 : close_at], open_at, after)
        index = self._line_of(after)
        end = self.lines[index][1]
        if self.text[after:end].strip():
            return index, after
        return index + 1

    def _line_of(self, offset: int) -> int:
        low, high = 0, len(self.lines) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.lines[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        return low

    def _table(self, index: int) -> int:
        self._row(*self.lines[index])
        later = index + 2
        while later < len(self.lines):
            start, end = self.lines[later]
            line = self.text[start:end]
            if not line.strip() or "|" not in line or _ATX.match(line) or _FENCE.match(line):
                break
            self._row(start, end)
            later += 1
        return later

    def _row(self, start: int, end: int) -> None:
        text = self.text
        cells: list[tuple[int, int]] = []
        cell_start = start
        position = start
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char == "|":
                cells.append((cell_start, position))
                cell_start = position + 1
            position += 1
        cells.append((cell_start, end))
        if cells and not text[cells[0][0] : cells[0][1]].strip():
            cells.pop(0)  # leading pipe
        if cells and not text[cells[-1][0] : cells[-1][1]].strip():
            cells.pop()  # trailing pipe
        for cell_start, cell_end in cells:
            if text[cell_start:cell_end].strip():
                self.specs.append(_Spec("table_cell", cell_start, cell_end))


def _ref_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def _clean_url(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return unescape_strict(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw))


# pass two: inline ------------------------------------------------------------------------
@dataclass(slots=True)
class _Delim:
    """A run of *, _ or ~: [low, high) is what is left as literal text after matching."""

    char: str
    low: int
    high: int
    can_open: bool
    can_close: bool
    length: int
    active: bool = True


_Token = tuple[object, ...]


class _InlineParser:
    def __init__(self, text: str, refs: dict[str, str], builder: TextBuilder) -> None:
        self.text = text
        self.refs = refs
        self.builder = builder

    def tokens(self, start: int, end: int, skips: dict[int, int]) -> list[_Token]:
        """Inline tokens of source[start:end]; `skips` jumps over quote markers after newlines."""
        text = self.text
        tokens: list[_Token] = []
        delims: list[_Delim] = []
        pending = start  # start of literal text not yet tokenized
        position = start
        while position < end:
            match = _SPECIAL.search(text, position, end)
            if match is None:
                break
            at = match.start()
            char = text[at]
            step = self._special(char, at, end, skips, tokens, delims, pending)
            if step is None:
                position = at + 1
                continue
            position = pending = step
        _literal(tokens, pending, end)
        _match_emphasis(delims)
        return tokens

    def _special(
        self,
        char: str,
        at: int,
        end: int,
        skips: dict[int, int],
        tokens: list[_Token],
        delims: list[_Delim],
        pending: int,
    ) -> int | None:
        """Tokenize the construct at `at`; return where to continue, or None if literal."""
        text = self.text
        if char == "\n":
            _literal(tokens, pending, at)
            tokens.append(("space",))
            return skips.get(at + 1, at + 1)
        if char == "\\":
            following = text[at + 1 : at + 2]
            if following == "\n" or (following == "\r" and text[at + 2 : at + 3] == "\n"):
                _literal(tokens, pending, at)
                tokens.append(("break",))
                after = at + 2 + (following == "\r")
                return skips.get(after, after)
            if following and following in _ASCII_PUNCT and at + 1 < end:
                _literal(tokens, pending, at)
                tokens.append(("escape", at + 1, at + 2))
                return at + 2
            return None
        if char == "`":
            run = _run_length(text, at, end, "`")
            closing = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(text, at + run, end)
            if closing is None:
                _literal(tokens, pending, at + run)
                return at + run
            _literal(tokens, pending, at)
            tokens.append(("code", at + run, closing.start()))
            return closing.end()
        if char in "*_~":
            run = _run_length(text, at, end, char)
            if char == "~" and run != 2:  # only ~~ strikes through; "~70%" means about
                _literal(tokens, pending, at + run)
                return at + run
            _literal(tokens, pending, at)
            delim = _flanking(text, char, at, run, end)
            delims.append(delim)
            tokens.append(("delim", delim))
            return at + run
        if char == "<":
            return self._angle(at, end, tokens, pending)
        if char == "!":
            if text[at + 1 : at + 2] != "[":
                return None
            link = self._link(at + 1, end)
            if link is None:
                return None
            _literal(tokens, pending, at)  # an image: dropped with its alt text
            return link[2]
        if char == "[":
            link = self._link(at, end)
            if link is None:
                return None
            url, (label_start, label_end), after = link
            _literal(tokens, pending, at)
            tokens.append(("link", url, self.tokens(label_start, label_end, skips)))
            return after
        return None

    def _angle(self, at: int, end: int, tokens: list[_Token], pending: int) -> int | None:
        text = self.text
        comment = _COMMENT.match(text, at, end)
        if comment:
            _literal(tokens, pending, at)
            self.builder.comment(comment.group(1), at, comment.end())
            return comment.end()
        for pattern, prefix in ((_AUTOLINK, ""), (_EMAIL, "mailto:")):
            auto = pattern.match(text, at, end)
            if auto:
                _literal(tokens, pending, at)
                tokens.append(("link", prefix + auto.group(1), [("text", at + 1, auto.end() - 1)]))
                return auto.end()
        tag = _TAG.match(text, at, end)
        if tag:
            _literal(tokens, pending, at)
            if tag.group(1).lower() in _BREAK_TAGS:
                tokens.append(("break",))
            return tag.end()
        return None

    def _link(self, at: int, end: int) -> tuple[str, tuple[int, int], int] | None:
        """(url, label range, end) for a link whose label opens at `at`, else None."""
        text = self.text
        close = _label_end(text, at, end)
        if close is None or close == at + 1:
            return None
        label = (at + 1, close)
        after = close + 1
        if text[after : after + 1] == "(":
            inline = _inline_destination(text, after, end)
            if inline is not None:
                return inline[0], label, inline[1]
        if text[after : after + 1] == "[":
            ref_close = _label_end(text, after, end)
            if ref_close is not None:
                key = text[after + 1 : ref_close] or text[label[0] : label[1]]
                url = self.refs.get(_ref_key(key))
                if url is not None:
                    return url, label, ref_close + 1
                return None
        url = self.refs.get(_ref_key(text[label[0] : label[1]]))
        return (url, label, after) if url is not None else None

    def emit(self, tokens: list[_Token]) -> None:
        builder = self.builder
        for token in tokens:
            kind = token[0]
            if kind == "text":
                builder.text(token[1], token[2], entities=True)  # type: ignore[arg-type]
            elif kind == "space":
                builder.space()
            elif kind == "break":
                builder.line_break()
            elif kind == "escape":
                builder.verbatim(token[1], token[2])  # type: ignore[arg-type]
            elif kind == "code":
                builder.text(token[1], token[2])  # type: ignore[arg-type]
            elif kind == "delim":
                delim = token[1]
                assert isinstance(delim, _Delim)
                builder.verbatim(delim.low, delim.high)
            elif kind == "link":
                builder.begin_link()
                self.emit(token[2])  # type: ignore[arg-type]
                builder.end_link(str(token[1]))


def _literal(tokens: list[_Token], start: int, end: int) -> None:
    if start < end:
        tokens.append(("text", start, end))


def _run_length(text: str, at: int, end: int, char: str) -> int:
    position = at
    while position < end and text[position] == char:
        position += 1
    return position - at


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanking(text: str, char: str, at: int, run: int, end: int) -> _Delim:
    """CommonMark's left/right-flanking rules decide whether a run can open or close."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + run] if at + run < end else " "
    left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
    right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
    if char == "_":
        can_open = left and (not right or _is_punct(before))
        can_close = right and (not left or _is_punct(after))
    else:
        can_open, can_close = left, right
    return _Delim(char, at, at + run, can_open, can_close, run)


def _match_emphasis(delims: list[_Delim]) -> None:
    """Pair openers with closers (simplified CommonMark); matched characters are dropped."""
    for closer_index, closer in enumerate(delims):
        if not closer.can_close:
            continue
        opener_index = closer_index - 1
        while closer.low < closer.high and opener_index >= 0:
            opener = delims[opener_index]
            if (
                opener.active
                and opener.can_open
                and opener.char == closer.char
                and opener.low < opener.high
                and not _rule_of_three(opener, closer)
            ):
                used = 2 if opener.high - opener.low >= 2 and closer.high - closer.low >= 2 else 1
                opener.high -= used
                closer.low += used
                for between in delims[opener_index + 1 : closer_index]:
                    between.active = False
                if opener.low == opener.high:
                    opener.active = False
                continue
            opener_index -= 1


def _rule_of_three(opener: _Delim, closer: _Delim) -> bool:
    both = opener.can_close or closer.can_open
    total = opener.length + closer.length
    return both and total % 3 == 0 and not (opener.length % 3 == 0 and closer.length % 3 == 0)


def _label_end(text: str, at: int, end: int) -> int | None:
    """Index of the ']' that closes the '[' at `at`, honouring nesting, escapes and code."""
    depth = 0
    position = at
    while position < end:
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == "`":
            run = _run_length(text, position, end, "`")
            closing = text.find("`" * run, position + run, end)
            position = closing + run if closing >= 0 else position + run
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None


def _inline_destination(text: str, at: int, end: int) -> tuple[str, int] | None:
    """Parse `(url "title")` starting at the '(' at `at`: (url, end) or None."""
    position = at + 1
    while position < end and text[position] in " \t\n":
        position += 1
    if position < end and text[position] == "<":
        close = text.find(">", position, end)
        if close < 0:
            return None
        url = text[position + 1 : close]
        position = close + 1
    else:
        depth = 0
        url_start = position
        while position < end:
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char.isspace():
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            position += 1
        url = text[url_start:position]
    title = _LINK_TITLE.match(text, position, end)
    if title is None:
        return None
    return _clean_url(url), title.end()
