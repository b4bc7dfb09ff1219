"""Plain-text reader and inline suppression directives."""

from __future__ import annotations

import pytest

from claimaudit.ingest import Directive, normalize, read_text
from claimaudit.ingest.directives import parse_directive
from claimaudit.ingest.source import NormalizedDocument


def _plain(text: str) -> NormalizedDocument:
    return normalize(read_text(text, path="t.txt", media_type="text/plain"))


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        (
            "Heading\nParagraph one.\n\nParagraph two.",
            "Heading\nParagraph one.\nParagraph two.",
            ["paragraph"] * 3,
        ),
        (
            "Intro:\n\u2022 first\n\u00b7 second\n* third\n+ fourth\n\u2013 fifth\n12) sixth",
            "Intro:\nfirst\nsecond\nthird\nfourth\nfifth\nsixth",
            ["paragraph"] + ["list_item"] * 6,
        ),
        (
            "- wrapped bullet\n  continues here\nNew paragraph",
            "wrapped bullet continues here\nNew paragraph",
            ["list_item", "paragraph"],
        ),
        (
            "Ends with a period.\nlowercase start stays separate",
            "Ends with a period.\nlowercase start stays separate",
            ["paragraph"] * 2,
        ),
        ("No stop here\nand so it continues", "No stop here and so it continues", ["paragraph"]),
        ("Tabs\tand   spaces\u00a0collapse", "Tabs and spaces collapse", ["paragraph"]),
        ("3.5 mg is a dose\n-5 is a number", "3.5 mg is a dose\n-5 is a number", ["paragraph"] * 2),
        (
            "Keeps &amp; and <b>tags</b> literally",
            "Keeps &amp; and <b>tags</b> literally",
            ["paragraph"],
        ),
        ("crlf line\r\nNext line\r\n", "crlf line\nNext line", ["paragraph"] * 2),
    ],
)
def test_plain_blocks(text: str, expected: str, kinds: list[str]) -> None:
    doc = _plain(text)
    assert doc.text == expected
    assert [b.kind for b in doc.blocks] == kinds


def test_plain_hard_wrapped_paragraph_is_joined_but_short_lines_are_not() -> None:
    wrapped = (
        "Ketamine was first used as an anaesthetic and later studied for\n"
        "depression in small randomized trials with short follow-up, which\n"
        "limits what can be said about durable effects."
    )
    assert _plain(wrapped).text == " ".join(wrapped.split("\n"))
    captions = "Reviewed by Dr. Example Person Here\nWritten by\nClinic Team"
    assert _plain(captions).text == captions


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (
            "claimaudit-disable-next-line SAFE001 -- quoted from the label",
            ("disable-next-line", ("SAFE001",), "quoted from the label"),
        ),
        (
            "claimaudit-disable-next-line SAFE001,REG002 EVI -- two  spaces ",
            ("disable-next-line", ("SAFE001", "REG002", "EVI"), "two spaces"),
        ),
        (
            " claimaudit-disable STAT, CITE003 -- table of trial results",
            ("disable", ("STAT", "CITE003"), "table of trial results"),
        ),
        ("claimaudit-enable STAT", ("enable", ("STAT",), "")),
        (
            "claimaudit-disable-file safe001 -- lower case codes",
            ("disable-file", ("SAFE001",), "lower case codes"),
        ),
        ("claimaudit-disable-next-line SAFE001", ("disable-next-line", ("SAFE001",), "")),
        ("claimaudit-disable -- no codes", ("disable", (), "no codes")),
    ],
)
def test_parse_directive(comment: str, expected: tuple[str, tuple[str, ...], str]) -> None:
    directive = parse_directive(comment, 3, 40, 2)
    assert directive == Directive(*expected, 3, 40, 2)


@pytest.mark.parametrize("comment", ["a note", "see claimaudit-disable X", "claimaudit runs in CI"])
def test_parse_directive_ignores_ordinary_comments(comment: str) -> None:
    assert parse_directive(comment, 0, 1, 1) is None


@pytest.mark.parametrize("comment", ["claimaudit-disabled X", "claimaudit-disable-line X", "claimaudit-disabel-next-line X"])
def test_misspelt_directives_are_kept_to_be_reported(comment: str) -> None:
    directive = parse_directive(comment, 0, 1, 1)
    assert directive is not None and directive.action == "invalid"
    assert directive.reason == comment.split()[0]  # the word written, for the SUP004 message


def test_directives_in_plain_text_need_a_whole_line() -> None:
    text = (
        "Intro.\n"
        "  <!-- claimaudit-disable-next-line SAFE001 -- testimonial -->\n"
        "It is completely safe.\n"
        "Text <!-- claimaudit-disable X -- not alone on its line --> stays.\n"
    )
    doc = _plain(text)
    assert (
        doc.text
        == "Intro.\nIt is completely safe.\nText <!-- claimaudit-disable X -- not alone on its line --> stays."
    )
    (directive,) = doc.directives
    assert (directive.action, directive.codes, directive.reason, directive.line) == (
        "disable-next-line",
        ("SAFE001",),
        "testimonial",
        2,
    )
    assert (
        text[directive.start : directive.end]
        == "<!-- claimaudit-disable-next-line SAFE001 -- testimonial -->"
    )


def test_directives_in_markdown_blocks_inline_and_not_in_code() -> None:
    text = (
        "<!-- claimaudit-disable-file DISC -- landing page -->\n"
        "Para <!-- claimaudit-disable-next-line EVI001 -- inline --> text\n\n"
        "```\n<!-- claimaudit-disable REG -- inside code: ignored -->\n```\n"
        "`<!-- claimaudit-disable REG -- code span: ignored -->`\n\n"
        "<!--\nclaimaudit-disable SAFE\n-- spans lines\n-->\n"
        "<!-- claimaudit-enable SAFE -->"
    )
    doc = normalize(read_text(text, media_type="text/markdown"))
    found = [(d.action, d.codes, d.reason, d.line) for d in doc.directives]
    assert found == [
        ("disable-file", ("DISC",), "landing page", 1),
        ("disable-next-line", ("EVI001",), "inline", 2),
        ("disable", ("SAFE",), "spans lines", 9),
        ("enable", ("SAFE",), "", 13),
    ]
    for directive in doc.directives:
        assert text[directive.start : directive.end].startswith("<!--")
        assert text[directive.start : directive.end].endswith("-->")


def test_directives_in_html_anywhere_but_scripts() -> None:
    text = (
        "<!doctype html>\n<!-- claimaudit-disable-file STAT -- archive page -->\n<html><head>"
        "<script>// <!-- claimaudit-disable REG -- in a script --></script></head>\n"
        "<body><nav><!-- claimaudit-disable CITE001 -- in nav --></nav><p>x</p></body></html>"
    )
    doc = normalize(read_text(text))
    assert [(d.action, d.codes, d.line) for d in doc.directives] == [
        ("disable-file", ("STAT",), 2),
        ("disable", ("CITE001",), 4),
    ]


def test_iter_lines_split_fast_path_is_the_break_scan() -> None:
    """Without "\\r", lines come from one `split`; they are the line-break scan's."""
    import re

    from claimaudit.ingest.plain import iter_lines

    def scanned(text: str) -> list[tuple[int, int]]:
        found, start = [], 0
        for match in re.finditer(r"\r\n|\r|\n", text):
            found.append((start, match.start()))
            start = match.end()
        return [*found, (start, len(text))]

    for text in ["", "\n", "a", "a\n", "\na", "a\n\nb\n", "one\ntwo\n\n\nthree", "x\u2028y\x0bz\n"]:
        assert list(iter_lines(text)) == scanned(text)
        assert list(iter_lines(text.replace("\n", "\r\n"))) == scanned(text.replace("\n", "\r\n"))


def test_comment_lines_are_read_only_when_they_open_a_comment() -> None:
    from claimaudit.ingest.directives import comment_line_body

    for line in ["plain text", "a --> b", "  -- x --", "<!- not ->", "<!---->", "  <!-- claimaudit-disable STAT001 -->  "]:
        if "<!--" not in line:
            assert comment_line_body(line) is None
