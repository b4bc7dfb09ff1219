"""Markdown reader: syntax stripped, structure kept as blocks."""

from __future__ import annotations

import pytest

from claimaudit.ingest import normalize, read_text
from claimaudit.ingest.source import NormalizedDocument


def _md(text: str) -> NormalizedDocument:
    return normalize(read_text(text, path="t.md", media_type="text/markdown"))


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "Some **bold**, *italic*, __strong__ and _em_ text.",
            "Some bold, italic, strong and em text.",
        ),
        ("***both*** and **nested *inner* emphasis**", "both and nested inner emphasis"),
        (
            "snake_case_name stays, intraword *em*phasis goes",
            "snake_case_name stays, intraword emphasis goes",
        ),
        ("5 * 3 = 15 and a_b", "5 * 3 = 15 and a_b"),
        ("Use `ketamine --dose` here", "Use ketamine --dose here"),
        ("``code with ` tick``", "code with ` tick"),
        ("Escaped \\*stars\\* and \\[brackets\\]", "Escaped *stars* and [brackets]"),
        ("~~struck~~ but ~70% and ~ 5 mg", "struck but ~70% and ~ 5 mg"),
        ("An unmatched *star and _underscore", "An unmatched *star and _underscore"),
        ("Cite [4] and [1, 2] and [^3]", "Cite [4] and [1, 2] and [^3]"),
        ('See ![alt text](img.png "t") here', "See here"),
        ('Inline <span class="x">html</span> tags', "Inline html tags"),
        ("A &amp; B &copy; &#169; &#xA9; &nosuch;", "A & B \u00a9 \u00a9 \u00a9 &nosuch;"),
        (
            "No semicolon: &copy2024 &amp AT&T ?a=1&copy=2",
            "No semicolon: &copy2024 &amp AT&T ?a=1&copy=2",
        ),
        ("Code keeps `&amp;` as written", "Code keeps &amp; as written"),
        ("A <!-- hidden --> comment", "A comment"),
        ("Spaces   and\ttabs  collapse", "Spaces and tabs collapse"),
    ],
)
def test_markdown_inline_syntax_is_stripped(markdown: str, expected: str) -> None:
    assert _md(markdown).text == expected


@pytest.mark.parametrize(
    ("markdown", "expected", "kinds"),
    [
        ("# One #\n## Two\n###### Six", "One\nTwo\nSix", ["heading1", "heading2", "heading6"]),
        ("#hashtag is text", "#hashtag is text", ["paragraph"]),
        (
            "Title\n=====\n\nSub\n---\n\nText",
            "Title\nSub\nText",
            ["heading1", "heading2", "paragraph"],
        ),
        ("Line one\nline two\n\nNext", "Line one line two\nNext", ["paragraph", "paragraph"]),
        ("Para\n- a\n- b", "Para\na\nb", ["paragraph", "list_item", "list_item"]),
        ("In 2019\n2. not a list", "In 2019 2. not a list", ["paragraph"]),
        ("Text\n1. starts a list", "Text\nstarts a list", ["paragraph", "list_item"]),
        ("- [x] done\n- [ ] todo", "done\ntodo", ["list_item", "list_item"]),
        ("> quoted\n> more\n>\n> again", "quoted more\nagain", ["quote", "quote"]),
        ("> lazy\ncontinuation", "lazy continuation", ["quote"]),
        ("a\n\n---\n\n***\n\nb", "a\nb", ["paragraph", "paragraph"]),
        ("a\n```\ncode\n```\nb", "a\nb", ["paragraph", "paragraph"]),
        ("a\n~~~~js\ncode\n~~~~\nb", "a\nb", ["paragraph", "paragraph"]),
        ("a\n```\nnever closed\n\nstill code", "a", ["paragraph"]),
        ("a\n<script>\nvar x = '<p>';\n</script>\nb", "a\nb", ["paragraph", "paragraph"]),
        ("first\\\nsecond", "first\nsecond", ["paragraph", "paragraph"]),
        ("first<br>second", "first\nsecond", ["paragraph", "paragraph"]),
        (
            "| a | b |\n|:--|--:|\n| 1 | x \\| y |\nafter",
            "a\nb\n1\nx | y\nafter",
            ["table_cell"] * 4 + ["paragraph"],
        ),
        ("<!--\nmulti\n\nline\n-->\ntext", "text", ["paragraph"]),
        ("<!-- c --> after", "after", ["paragraph"]),
    ],
)
def test_markdown_blocks(markdown: str, expected: str, kinds: list[str]) -> None:
    doc = _md(markdown)
    assert doc.text == expected
    assert [f"{b.kind}{b.level or ''}" for b in doc.blocks] == kinds


def test_markdown_links_inline_reference_and_autolink() -> None:
    doc = _md(
        "Read [the *label*](<https://a.org/x y> 'T') and [guide][g], [G][] or [g].\n"
        "Mail <info@clinic.org> or <https://b.org>. [missing][nope]\n\n"
        '[g]: https://g.org/\\_x  "Title"\n'
    )
    assert doc.text == (
        "Read the label and guide, G or g.\nMail info@clinic.org or https://b.org. [missing][nope]"
    ).replace("\n", " ")
    found = [(doc.text[link.text_start : link.text_end], link.url) for link in doc.links]
    assert found == [
        ("the label", "https://a.org/x y"),
        ("guide", "https://g.org/_x"),
        ("G", "https://g.org/_x"),
        ("g", "https://g.org/_x"),
        ("info@clinic.org", "mailto:info@clinic.org"),
        ("https://b.org", "https://b.org"),
    ]


def test_markdown_link_urls_keep_query_ampersands() -> None:
    doc = _md("[find](/find?q=1&param=2&amp;x=3)")
    assert doc.links[0].url == "/find?q=1&param=2&x=3"


def test_markdown_link_with_parentheses_in_url() -> None:
    doc = _md("See [wiki](https://en.wikipedia.org/wiki/Ketamine_(drug)) now")
    assert doc.text == "See wiki now"
    assert doc.links[0].url == "https://en.wikipedia.org/wiki/Ketamine_(drug)"


def test_markdown_front_matter_yaml_and_toml() -> None:
    yaml_doc = _md(
        "---\ntitle: Dosing\nlast_reviewed: 2024-02-03\nmodified: '2024-01-01'\ndraft: true\n---\n# Heading\n"
    )
    assert yaml_doc.text == "Heading"
    assert yaml_doc.title == "Dosing"
    assert yaml_doc.meta == (("reviewed", "2024-02-03"), ("modified", "2024-01-01"))
    toml_doc = _md('+++\ntitle = "T"\ndate = 2023-05-06\n+++\nBody')
    assert (toml_doc.text, toml_doc.title, toml_doc.meta) == (
        "Body",
        "T",
        (("published", "2023-05-06"),),
    )


def test_markdown_bad_front_matter_is_dropped_without_meta() -> None:
    doc = _md("---\ntitle: [unclosed\n---\nBody text")
    assert (doc.text, doc.meta, doc.title) == ("Body text", (), "")


def test_markdown_unclosed_front_matter_is_a_thematic_break() -> None:
    doc = _md("---\nJust text after a rule")
    assert doc.text == "Just text after a rule"


def test_markdown_title_falls_back_to_first_h1() -> None:
    assert _md("## Sub\n# Main title\ntext").title == "Main title"


def test_markdown_crlf_input_maps_exactly() -> None:
    doc = _md("# Head\r\n\r\nSome *text*\r\nhere\r\n")
    assert doc.text == "Head\nSome text here"
    span = doc.offsets.span(doc.text.index("text"), len(doc.text))
    assert doc.source.text[span.start : span.end] == "text*\r\nhere"
