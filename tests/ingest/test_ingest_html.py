"""HTML reader: main content, boilerplate removal, entities, broken markup."""

from __future__ import annotations

import random
import time

import pytest

from claimaudit.ingest import normalize, read_text
from claimaudit.ingest.source import NormalizedDocument

ARTICLE_TEXT = " ".join(["Ketamine infusions are given under supervision."] * 8)


def _html(markup: str) -> NormalizedDocument:
    return normalize(read_text(markup, path="t.html", media_type="text/html"))


def test_html_prefers_the_largest_article() -> None:
    doc = _html(
        "<body><div class='menu-x'>Menu</div>"
        "<article><p>Teaser card</p></article>"
        f"<article><h1>Main</h1><p>{ARTICLE_TEXT}</p><footer>Reviewed by Dr. B.</footer></article>"
        "<p>Stray body text</p></body>"
    )
    assert doc.text == f"Main\n{ARTICLE_TEXT}\nReviewed by Dr. B."


def test_html_role_main_is_a_main_candidate() -> None:
    doc = _html(f"<body><div>Site intro</div><div role='main'><p>{ARTICLE_TEXT}</p></div></body>")
    assert doc.text == ARTICLE_TEXT


def test_html_small_article_is_ignored_for_the_body() -> None:
    doc = _html(
        f"<body><article><p>Card</p></article><div class='content'><p>{ARTICLE_TEXT}</p></div>"
        "<footer>Footer text</footer><header>Header text</header></body>"
    )
    assert doc.text == f"Card\n{ARTICLE_TEXT}"


@pytest.mark.parametrize(
    "boilerplate",
    [
        "<nav>Nav links</nav>",
        "<aside>Aside text</aside>",
        "<div id='cookieConsent'>We use cookies</div>",
        "<div class='c-breadcrumb'>Home</div>",
        "<div class='social-share'>Share</div>",
        "<section class='related-posts'>Related</section>",
        "<div class='newsletter'>Subscribe</div>",
        "<div class='promo-box'>Offer</div>",
        "<div class='comments'>A comment</div>",
        "<ul class='navbar'><li>Item</li></ul>",
        "<div role='navigation'>Nav role</div>",
        "<div role='complementary'>Complementary</div>",
        "<form><label>Email</label></form>",
        "<div hidden>Hidden</div>",
        "<div aria-hidden='true'>Aria hidden</div>",
        "<div style='display: none'>Display none</div>",
        "<noscript>Enable JavaScript</noscript>",
        "<template><p>Template</p></template>",
        "<svg><title>Icon</title><text>svg text</text></svg>",
        "<button>Click</button>",
        "<select><option>Choice</option></select>",
        "<iframe>Frame</iframe>",
        "<script>var text = 'script';</script>",
        "<style>p { color: red }</style>",
    ],
)
def test_html_boilerplate_is_dropped(boilerplate: str) -> None:
    doc = _html(f"<html><body><main><p>{ARTICLE_TEXT}</p>{boilerplate}</main></body></html>")
    assert doc.text == ARTICLE_TEXT


def test_html_wrapper_with_boilerplate_name_is_kept() -> None:
    doc = _html(
        f"<body><div class='page-with-sidebar'><p>{ARTICLE_TEXT}</p></div><div class='sidebar'>Side</div></body>"
    )
    assert doc.text == ARTICLE_TEXT
    form_page = _html(f"<body><form id='aspnetForm'><p>{ARTICLE_TEXT}</p></form></body>")
    assert form_page.text == ARTICLE_TEXT


def test_html_header_inside_article_is_kept_outside_dropped() -> None:
    doc = _html(
        "<body><header class='site-header'>Clinic name</header>"
        f"<article><header class='entry-header'><h1>Title</h1></header><p>{ARTICLE_TEXT}</p></article></body>"
    )
    assert doc.text == f"Title\n{ARTICLE_TEXT}"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>A&amp;B &lt;tag&gt; &quot;q&quot; &#39;s&#x27;</p>", "A&B <tag> \"q\" 's'"),
        ("<p>caf&eacute; &copy2024 AT&T &unknown; &</p>", "caf\u00e9 \u00a92024 AT&T &unknown; &"),
        ("<p>x&nbsp;&nbsp;y\u00a0z\u200bw\u00ad!</p>", "x y zw!"),
        ("<p>Two<br>lines<br/>here</p>", "Two\nlines\nhere"),
        ("<p>a</p><hr><p>b</p>", "a\nb"),
        ("<p><b>bold</b><i>italic</i> <span>span</span></p>", "bolditalic span"),
        ("<div>direct <p>para</p> tail</div>", "direct\npara\ntail"),
        ("<ul><li><p>one</p><p>two</p></li></ul>", "one\ntwo"),
        ("<dl><dt>Term</dt><dd>Definition</dd></dl>", "Term\nDefinition"),
        ("<p>Approved.<sup>3</sup> Dose 10<sup>5</sup> cells</p>", "Approved.[3] Dose 105 cells"),
        ("<p>Approved<sup><a href='#r1'>1,2</a></sup></p>", "Approved[1,2]"),
        ("<p>m<sup>th</sup></p>", "mth"),
        ("<my-widget>custom</my-widget><my-widget>tags</my-widget>", "custom tags"),
        ("<pre>keep   pre\ntext</pre>", "keep pre text"),
    ],
)
def test_html_inline_handling(markup: str, expected: str) -> None:
    assert _html(f"<body>{markup}</body>").text == expected


def test_html_block_kinds() -> None:
    doc = _html(
        "<h3>H</h3><p>P</p><ul><li>L</li></ul><table><tr><th>T</th><td>D</td></tr></table>"
        "<blockquote><p>Q1</p><p>Q2</p></blockquote><ol><li><h4>In item</h4>after</li></ol>"
    )
    assert doc.text == "H\nP\nL\nT\nD\nQ1\nQ2\nIn item\nafter"
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("heading", 3),
        ("paragraph", 0),
        ("list_item", 0),
        ("table_cell", 0),
        ("table_cell", 0),
        ("quote", 0),
        ("quote", 0),
        ("heading", 4),
        ("list_item", 0),
    ]


def test_html_title_and_meta() -> None:
    doc = _html(
        "<html><head><title> A &amp;  B </title>"
        "<meta name='dcterms.modified' content='2024-02-02'>"
        "<meta property='og:updated_time' content='2024-02-03'>"
        "<meta itemprop='dateModified' content='2024-02-04'>"
        "<meta name='description' content='ignored'>"
        '<script type="application/ld+json">{"@graph": [{"dateModified": "2024-02-05"}, '
        '{"lastReviewed": "2024-02-06"}]}</script>'
        "<script type='application/ld+json'>{not json</script></head>"
        "<body><svg><title>Icon</title></svg><p>Text <time itemprop='datePublished' "
        "datetime='2024-01-01'>Jan 1</time></p></body></html>"
    )
    assert doc.title == "A & B"
    assert doc.meta == (
        ("modified", "2024-02-02"),
        ("modified", "2024-02-03"),
        ("modified", "2024-02-04"),
        ("modified", "2024-02-05"),
        ("reviewed", "2024-02-06"),
        ("published", "2024-01-01"),
    )
    assert doc.text == "Text Jan 1"


def test_html_title_falls_back_to_h1() -> None:
    assert _html("<body><h1>Heading <em>one</em></h1><p>x</p></body>").title == "Heading one"


def test_html_link_urls_keep_query_ampersands() -> None:
    doc = _html(
        "<p><a href='/find?q=1&param=2&amp;x=&#51;&copy=4'>find</a> <a href=/bare?a&amp;b>bare</a></p>"
    )
    assert [link.url for link in doc.links] == ["/find?q=1&param=2&x=3&copy=4", "/bare?a&b"]


def test_html_links_skip_javascript_and_empty() -> None:
    doc = _html(
        "<p><a href='https://a.org'>A</a> <a href='javascript:void(0)'>B</a> <a href='https://c.org'><img src=x></a> <a>D</a></p>"
    )
    assert [(doc.text[link.text_start : link.text_end], link.url) for link in doc.links] == [
        ("A", "https://a.org")
    ]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>unclosed <b>bold <i>both", "unclosed bold both"),
        ("</div></div></p>stray end tags<p>ok", "stray end tags\nok"),
        ("<p>text <!-- unterminated comment", "text"),
        ("<![foo[ marked ]]><p>after marked", "after marked"),
        ("<![]]><p>empty marked", "empty marked"),
        ("<![CDATA[ cdata ]]><p>after cdata", "after cdata"),
        ("<p>a < b and c > d</p>", "a < b and c > d"),
        ("<?xml version='1.0'?><p>pi</p>", "pi"),
        ("<!DOCTYPE html><p>doctype</p><!bogus>", "doctype"),
        ("<table><td>cell<tr>row<td>x</table>", "cell\nrow\nx"),
        ("<p>" * 3000 + "deep", "deep"),
        ("<div>" * 3000 + "deeper", "deeper"),
        ("<b>" * 3000 + "bold", "bold"),
        ("<p>before<script>unterminated script", "before"),
        ("&#0; &#xD800; &#99999999; ok", "\ufffd \ufffd \ufffd ok"),
    ],
)
def test_html_broken_markup_never_crashes(markup: str, expected: str) -> None:
    assert _html(markup).text == expected


def test_html_truncated_tag_is_dropped() -> None:
    assert _html('<p>Truncated at the end <a href="x').text == "Truncated at the end"
    assert _html("<p>Ends in a reference &am").text == "Ends in a reference &am"


def test_html_random_tag_soup_never_crashes() -> None:
    rng = random.Random(5)
    pieces = ["<p>", "</p>", "<div class='nav'>", "</div>", "<li>", "<td>", "<br>", "&amp;", "&", "<", ">",
              "<!--", "-->", "<![", "]]>", "<a href='x'>", "</a>", "text", " ", "\n", "<sup>1</sup>", "<script>", "</script>",
              "<!doctype", "<?", "&#", "&#x", ";", "\"", "'", "="]  # fmt: skip
    for _ in range(300):
        markup = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        doc = _html(markup)
        for position, char in enumerate(doc.text):
            if not char.isspace() and char not in "[]":
                span = doc.offsets.span(position, position + 1)
                assert span.start < span.end


def test_html_normalizes_a_2000_word_page_quickly() -> None:
    rng = random.Random(1)
    vocabulary = [
        "ketamine",
        "esketamine",
        "depression",
        "anxiety",
        "trial",
        "response",
        "infusion",
        "dose",
        "clinic",
        "evidence",
    ]
    paragraphs = []
    for _ in range(50):
        words = " ".join(rng.choice(vocabulary) for _ in range(40))
        paragraphs.append(
            f"<h2>Section</h2><p>{words} <a href='https://x.org'>link</a> &amp; <em>more</em></p>"
        )
    page = (
        "<!doctype html><html><head><title>T</title><script>"
        + "var a = 1;" * 2000
        + "</script></head>"
        "<body><nav>"
        + "<a href='/x'>menu</a>" * 50
        + "</nav><article>"
        + "".join(paragraphs)
        + "</article></body></html>"
    )
    source = read_text(page, media_type="text/html")
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        doc = normalize(source)
        timings.append(time.perf_counter() - started)
    assert len(doc.text.split()) > 2000
    assert min(timings) < 0.1  # about 0.008 s of CPU time measured


def test_unclosed_cdata_does_not_swallow_the_rest_of_the_page() -> None:
    source = "<p>Before.</p><![CDATA[ stray <p>Ketamine is proven safe.</p>\n<p>After.</p>"
    document = normalize(read_text(source, path="x.html", media_type="text/html"))
    assert document.text.split("\n") == ["Before.", "Ketamine is proven safe.", "After."]
    start = document.text.index("Ketamine")
    span = document.offsets.span(start, start + len("Ketamine is proven safe."))
    assert source[span.start : span.end] == "Ketamine is proven safe."  # offsets stay exact
