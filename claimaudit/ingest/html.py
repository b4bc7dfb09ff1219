"""HTML reader: the article text of a page as saved from a browser, offsets exact.

Uses the standard library's `html.parser` in its position-reporting mode: every start tag,
text run, character reference and comment is reported with `getpos()`, which we turn into
an absolute offset, so each kept character maps back to its place in the file (a decoded
reference maps to the whole reference). lxml and html5lib build better trees but report
only line numbers; trafilatura (used for crawled pages) returns text without offsets.

From the event stream we build a light tree that tolerates broken markup (implicit closes
for p/li/td/..., stray end tags ignored, a truncated final tag dropped), pick the main
content (the largest <article>/<main>/role=main holding at least a quarter of the page's
text, otherwise <body> minus header/footer), and drop boilerplate: navigation, asides,
scripts, styles, forms, hidden elements, and elements whose id/class names a boilerplate
part (nav, menu, cookie, sidebar, share, related, newsletter, ...). Headings, paragraphs,
list items, table cells and blockquotes become blocks; <br> starts a new block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from claimaudit.ingest.builder import BuiltText, TextBuilder, clean_inline, unescape_strict
from claimaudit.ingest.meta import add_meta, date_key
from claimaudit.ingest.offsets import LineIndex
from claimaudit.ingest.source import SourceDocument

_VOID = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
))  # fmt: skip
_DROP = frozenset((
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "button", "select", "textarea", "input", "nav", "aside", "dialog", "head", "title",
    "meta", "link", "img", "picture", "video", "audio", "map", "area", "source", "track",
    "option", "datalist", "frame", "frameset",
))  # fmt: skip
_DROP_ROLES = frozenset((
    "navigation", "complementary", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar",
))  # fmt: skip
_PAGE_CHROME = frozenset(("header", "footer"))  # dropped unless inside the chosen article
_CHROME_ROLES = frozenset(("banner", "contentinfo"))
_BOILERPLATE = (
    "nav", "menu", "cookie", "sidebar", "breadcrumb", "share", "social", "comment",
    "related", "newsletter", "banner", "promo",
)  # fmt: skip
_CHROME_WORDS = ("header", "footer")
_BLOCK = frozenset((
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "caption", "tbody", "thead",
    "tfoot", "tr", "td", "th", "ul",
))  # fmt: skip
_INLINE = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
))  # fmt: skip
# start tag -> (open elements it closes, elements that stop the search)
_IMPLICIT_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_MAIN_SHARE = 0.25  # an <article>/<main> must hold this share of the body text to be chosen
_WRAPPER_SHARE = 0.5  # a boilerplate-looking element holding this share is a page wrapper
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_REFERENCE_AT = re.compile(r"&#?[A-Za-z0-9]+;?")
_NAME_PARTS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FOOTNOTE = re.compile(r"[\d\s,\u2013\-]+")
_FALLBACK_TOKEN = re.compile(r"<!--.*?(?:-->|$)|<[^>]*>|<|[^<]+", re.DOTALL)
_HREF = re.compile(r"""\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_JSON_LD_DATES = ("datePublished", "dateModified", "lastReviewed", "dateReviewed")


class _Node:
    """An element: tag, attributes, and children (elements or (start, end) text runs)."""

    __slots__ = ("attrs", "children", "parent", "size", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | tuple[int, int]] = []
        self.parent = parent
        self.size = 0  # characters of text inside, set by _measure


@dataclass(frozen=True, slots=True)
class HtmlResult:
    built: BuiltText
    title: str
    meta: tuple[tuple[str, str], ...]


def normalize_html(source: SourceDocument) -> HtmlResult:
    """Normalize an HTML document."""
    text = source.text
    tree = _TreeParser(text)
    root = tree.parse()
    builder = TextBuilder(text)
    for body, start, end in tree.comments:
        builder.comment(body, start, end)
    _measure(root)
    main, in_article = _main_content(root)
    _Walker(text, builder, main, in_article).walk()
    built = builder.finish()
    title = _title(text, root)
    if not title:
        title = next(
            (
                built.text[b.start : b.end]
                for b in built.blocks
                if b.kind == "heading" and b.level == 1
            ),
            "",
        )
    return HtmlResult(built, title, tuple(_metadata(text, root)))


# parsing ---------------------------------------------------------------------------------
class _TreeParser(HTMLParser):
    """Builds the tree from html.parser events, keeping absolute source offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = LineIndex.of(text).starts
        self.root = _Node("#document", {}, None)
        self.stack = [self.root]
        self.comments: list[tuple[str, int, int]] = []

    def parse(self) -> _Node:
        try:
            self.feed(self.text)
            while self.rawdata.startswith("<![") and ">" in self.rawdata:
                # An unclosed "<![CDATA[" is, in HTML, a bogus comment ending at the first ">"
                # (what browsers show); html.parser would wait for "]]>" and drop the rest.
                end = self.rawdata.find(">") + 1
                self.updatepos(0, end)
                self.rawdata = self.rawdata[end:]
                self.goahead(False)
            tail = self.rawdata
            if tail.startswith("<"):
                self.reset()  # a tag or comment cut off by truncation: drop it
            else:
                self.close()
        except Exception:  # noqa: BLE001 - html.parser gave up on some markup: keep the text
            self._fallback(self._offset())
        return self.root

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _fallback(self, start: int) -> None:
        for match in _FALLBACK_TOKEN.finditer(self.text, start):
            if match.group()[0] != "<":
                self._text(match.start(), match.end())

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        position = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # "<![foo[": not valid HTML; skip it like a bogus comment
            self.lineno, self.offset = position  # the failed scan already moved them
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        node = _Node(tag, {name: value or "" for name, value in attrs}, self.stack[-1])
        if tag == "a" and "href" in node.attrs:
            node.attrs["href"] = _raw_href(self.get_starttag_text() or "", node.attrs["href"])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and any(n.tag in ("svg", "math") for n in self.stack):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read </br> as <br>
            self.handle_starttag("br", [])
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._text(start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        if self.text.startswith("<!--", start):
            close = self.text.find("-->", start + 4)
            end = len(self.text) if close < 0 else close + 3
            self.comments.append((data, start, end))

    def _reference(self) -> None:
        start = self._offset()
        match = _REFERENCE_AT.match(self.text, start)
        self._text(start, match.end() if match else start + 1)

    def _text(self, start: int, end: int) -> None:
        end = min(end, len(self.text))
        if start >= end:
            return
        children = self.stack[-1].children
        if children and isinstance(children[-1], tuple) and children[-1][1] == start:
            children[-1] = (children[-1][0], end)
        else:
            children.append((start, end))

    def _close_implied(self, tag: str) -> None:
        stack = self.stack
        if tag in _IMPLICIT_CLOSE:
            targets, stops = _IMPLICIT_CLOSE[tag]
            for index in range(len(stack) - 1, 0, -1):
                open_tag = stack[index].tag
                if open_tag in targets:
                    del stack[index:]
                    break
                if open_tag in stops:
                    break
        if tag in _BLOCK or tag == "p":
            # a block start closes an open <p> (through any inline elements inside it)
            for index in range(len(stack) - 1, 0, -1):
                open_tag = stack[index].tag
                if open_tag == "p":
                    del stack[index:]
                    break
                if open_tag not in _INLINE:
                    break
        if tag in _HEADINGS and stack[-1].tag in _HEADINGS:
            stack.pop()


def _raw_href(start_tag: str, parsed: str) -> str:
    """The href as written, decoding only complete references (html.parser would turn the
    "&para" of "?a=1&param=2" into a pilcrow)."""
    match = _HREF.search(start_tag)
    if match is None:
        return parsed
    raw = next(group for group in match.groups()[1:] if group is not None)
    return unescape_strict(raw)


# choosing the content --------------------------------------------------------------------
def _measure(root: _Node) -> None:
    """Set `size` on every element: its text length, not counting dropped elements."""
    order: list[_Node] = []
    pending = [root]
    while pending:
        node = pending.pop()
        order.append(node)
        pending.extend(child for child in node.children if isinstance(child, _Node))
    for node in reversed(order):
        if node.tag in _DROP:
            node.size = 0
            continue
        node.size = sum(
            child.size if isinstance(child, _Node) else child[1] - child[0]
            for child in node.children
        )


def _iter_elements(root: _Node) -> Iterator[_Node]:
    """Elements in document order, not descending into dropped or hidden ones."""
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(
            child
            for child in reversed(node.children)
            if isinstance(child, _Node) and child.tag not in _DROP and not _hidden(child)
        )


def _main_content(root: _Node) -> tuple[_Node, bool]:
    """The element to read, and whether it is an article (so its header/footer count)."""
    body = next((node for node in _iter_elements(root) if node.tag == "body"), root)
    candidates = [
        node
        for node in _iter_elements(body)
        if node.tag in ("article", "main") or node.attrs.get("role", "").lower() == "main"
    ]
    if candidates:
        best = max(candidates, key=lambda node: node.size)
        if best.size > 0 and best.size >= _MAIN_SHARE * body.size:
            return best, True
    return body, False


def _hidden(node: _Node) -> bool:
    attrs = node.attrs
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden", "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(attrs.get("style", "")))
    )


def _name_parts(node: _Node) -> list[str]:
    names = f"{node.attrs.get('id', '')} {node.attrs.get('class', '')}"
    return [part for part in _NAME_PARTS.split(_CAMEL.sub(" ", names).lower()) if part]


def _boilerplate_name(node: _Node, in_article: bool) -> bool:
    words = _BOILERPLATE if in_article else _BOILERPLATE + _CHROME_WORDS
    return any(
        part.startswith(word) or part.endswith(word) for part in _name_parts(node) for word in words
    )


# walking ---------------------------------------------------------------------------------
class _Walker:
    """Emits the kept text of the chosen element into the builder."""

    def __init__(self, text: str, builder: TextBuilder, root: _Node, in_article: bool) -> None:
        self.text = text
        self.builder = builder
        self.root = root
        self.in_article = in_article
        self.bracketed: set[int] = set()  # ids of <sup> elements read as [n]

    def walk(self) -> None:
        builder = self.builder
        kinds: list[tuple[str, int]] = [("paragraph", 0)]
        # stack items: a node to enter, or ("exit", node) to leave one
        pending: list[Any] = [self.root]
        while pending:
            item = pending.pop()
            if isinstance(item, tuple) and item[0] == "exit":
                self._exit(item[1], kinds)
                continue
            if isinstance(item, tuple):
                builder.text(item[0], item[1], entities=True)
                continue
            node: _Node = item
            if node is not self.root and self._skip(node):
                continue
            self._enter(node, kinds)
            pending.append(("exit", node))
            pending.extend(reversed(node.children))

    def _skip(self, node: _Node) -> bool:
        tag = node.tag
        if tag in _DROP or _hidden(node):
            return True
        role = node.attrs.get("role", "").lower()
        if role in _DROP_ROLES:
            return True
        wrapper = node.size >= _WRAPPER_SHARE * self.root.size > 0
        if not self.in_article and (tag in _PAGE_CHROME or role in _CHROME_ROLES) and not wrapper:
            return True
        if tag == "form" and not wrapper:
            return True
        return _boilerplate_name(node, self.in_article) and not wrapper

    def _enter(self, node: _Node, kinds: list[tuple[str, int]]) -> None:
        builder = self.builder
        tag = node.tag
        if tag == "br":
            builder.line_break()
        elif tag == "hr":
            builder.block(*kinds[-1])
        elif tag in _BLOCK:
            kind = _block_kind(tag, kinds[-1])
            kinds.append(kind)
            builder.block(*kind)
        elif tag == "a":
            builder.begin_link()
        elif tag == "sup" and self._footnote(node):
            self.bracketed.add(id(node))
            builder.insert("[")

    def _exit(self, node: _Node, kinds: list[tuple[str, int]]) -> None:
        builder = self.builder
        tag = node.tag
        if tag in _BLOCK and tag != "hr":
            kinds.pop()
            builder.block(*kinds[-1])
        elif tag == "a":
            href = node.attrs.get("href", "").strip()
            builder.end_link("" if href.lower().startswith("javascript:") else href)
        elif tag == "sup" and id(node) in self.bracketed:
            builder.insert("]")
        elif tag in _INLINE or tag in _VOID:
            return
        else:  # unknown elements (custom tags) separate words
            builder.space()

    def _footnote(self, node: _Node) -> bool:
        """A numeric superscript after a word is a citation marker: read it as [n]."""
        content = "".join(self.text[s:e] for s, e in _text_runs(node))
        content = clean_inline(content)
        if not content or not _FOOTNOTE.fullmatch(content) or not any(c.isdigit() for c in content):
            return False
        previous = self.builder.last_char()
        return previous != "" and not previous.isdigit() and not previous.isspace()


def _block_kind(tag: str, inherited: tuple[str, int]) -> tuple[str, int]:
    if tag in _HEADINGS:
        return "heading", _HEADINGS[tag]
    if tag == "li":
        return "list_item", 0
    if tag in ("td", "th"):
        return "table_cell", 0
    if tag == "blockquote":
        return "quote", 0
    if inherited[0] in ("list_item", "table_cell", "quote"):
        return inherited[0], 0
    return "paragraph", 0


def _text_runs(node: _Node) -> Iterator[tuple[int, int]]:
    pending: list[_Node | tuple[int, int]] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, tuple):
            yield item
        elif item.tag not in _DROP:
            pending.extend(reversed(item.children))


# title and metadata -----------------------------------------------------------------------
def _title(text: str, root: _Node) -> str:
    pending: list[_Node] = [root]
    while pending:
        node = pending.pop()
        if node.tag == "title":
            return clean_inline("".join(text[s:e] for s, e in _text_runs_raw(node)))
        if node.tag in ("svg", "math", "body"):
            continue
        pending.extend(c for c in reversed(node.children) if isinstance(c, _Node))
    return ""


def _metadata(text: str, root: _Node) -> list[tuple[str, str]]:
    meta: list[tuple[str, str]] = []
    pending: list[_Node] = [root]
    while pending:
        node = pending.pop()
        attrs = node.attrs
        if node.tag == "meta":
            name = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            key = date_key(name)
            if key and attrs.get("content"):
                add_meta(meta, key, attrs["content"])
        elif "itemprop" in attrs and date_key(attrs["itemprop"]):
            runs = "".join(text[s:e] for s, e in _text_runs(node))
            value = attrs.get("datetime") or attrs.get("content") or clean_inline(runs)
            add_meta(meta, date_key(attrs["itemprop"]) or "", value)
        elif node.tag == "script" and attrs.get("type", "").lower() == "application/ld+json":
            _json_ld_dates("".join(text[s:e] for s, e in _text_runs_raw(node)), meta)
        pending.extend(c for c in reversed(node.children) if isinstance(c, _Node))
    return meta


def _text_runs_raw(node: _Node) -> Iterator[tuple[int, int]]:
    for child in node.children:
        if isinstance(child, tuple):
            yield child


def _json_ld_dates(raw: str, meta: list[tuple[str, str]]) -> None:
    try:
        data = json.loads(raw)
    except ValueError:
        return
    pending: list[Any] = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            for name in _JSON_LD_DATES:
                value = item.get(name)
                if isinstance(value, str):
                    add_meta(meta, date_key(name) or name, value)
            pending.extend(v for v in reversed(list(item.values())) if isinstance(v, (dict, list)))
