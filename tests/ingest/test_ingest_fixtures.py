"""Each fixture in tests/fixtures/inputs normalizes to the hand-checked text below."""

from __future__ import annotations

from pathlib import Path

from claimaudit.ingest import Directive, normalize, read_source
from claimaudit.ingest.source import NormalizedDocument

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inputs"


def _doc(name: str) -> NormalizedDocument:
    return normalize(read_source(FIXTURES / name))


def _kinds(doc: NormalizedDocument) -> list[str]:
    return [f"{b.kind}{b.level or ''}" for b in doc.blocks]


def _links(doc: NormalizedDocument) -> list[tuple[str, str]]:
    return [(doc.text[link.text_start : link.text_end], link.url) for link in doc.links]


def _blocks_text(doc: NormalizedDocument) -> str:
    return "\n".join(doc.text[b.start : b.end] for b in doc.blocks)


def test_markdown_fixture_text() -> None:
    doc = _doc("clinic_page.md")
    assert doc.text.split("\n") == [
        "Ketamine Therapy: What to Expect",
        (
            "Ketamine is not a first-line treatment. Esketamine (Spravato) is FDA-approved for "
            "treatment-resistant depression in adults & is given under supervision."
        ),
        "Response rates of about 50% were reported in trials[^1].",
        "Common side effects",
        "Dissociation and mild dizziness",
        "Raised blood pressure for up to two hours",
        "Nausea, see the label",
        "Screening visit",
        "Supervised dosing",
        "Ketamine is not a cure. It may help some patients.",
        "Effect",
        "How often",
        "Nausea",
        "Common | frequent",
        "Sedation",
        "Very common",
        "Read more in https://example.org/guide. Last reviewed by Dr. A. Smith.",
        "[^1]: Example footnote text.",
    ]
    assert _blocks_text(doc) == doc.text
    assert _kinds(doc) == (
        ["heading1", "paragraph", "paragraph", "heading2"]
        + ["list_item"] * 5
        + ["quote"]
        + ["table_cell"] * 6
        + ["paragraph", "paragraph"]
    )


def test_markdown_fixture_front_matter_links_and_directive() -> None:
    doc = _doc("clinic_page.md")
    assert doc.title == "Ketamine Therapy: What to Expect"
    assert doc.meta == (
        ("published", "2024-03-01"),
        ("modified", "2024-06-15"),
        ("reviewed", "2024-06-20"),
        ("author", "Clinic Editorial Team"),
    )
    assert doc.meta_value("reviewed") == "2024-06-20"
    assert _links(doc) == [
        ("treatment-resistant depression", "https://www.fda.gov/spravato"),
        ("label", "https://www.accessdata.fda.gov/spravato.pdf"),
        ("https://example.org/guide", "https://example.org/guide"),
    ]
    (directive,) = doc.directives
    source = doc.source.text
    assert directive == Directive(
        "disable-next-line",
        ("EVI001", "STAT002"),
        "quoted from the product label",
        directive.start,
        directive.end,
        16,
    )
    assert source[directive.start : directive.end] == (
        "<!-- claimaudit-disable-next-line EVI001,STAT002 -- quoted from the product label -->"
    )


def test_saved_html_fixture_keeps_the_article_only() -> None:
    doc = _doc("saved_article.html")
    assert doc.text.split("\n") == [
        "Ketamine for Anxiety & Depression",
        "Medically reviewed on May 1, 2024",
        (
            "Ketamine\u2019s effects can begin within hours of an infusion \u2014 faster than most "
            "oral antidepressants.[1]"
        ),
        "Who may benefit?",
        "Adults with treatment-resistant depression",
        "Some people with anxiety",
        "after screening",
        "It is not a cure.",
        "Effect",
        "Frequency",
        "Nausea",
        "Common",
        "See the FDA label for details.",
    ]
    assert _kinds(doc) == [
        "heading1",
        "paragraph",
        "paragraph",
        "heading2",
        "list_item",
        "list_item",
        "list_item",
        "quote",
        "table_cell",
        "table_cell",
        "table_cell",
        "table_cell",
        "paragraph",
    ]
    for boilerplate in (
        "cookies",
        "Services",
        "Home",
        "Share",
        "Related",
        "newsletter",
        "Example Clinic",
        "dataLayer",
        "not text",
    ):
        assert boilerplate not in doc.text


def test_saved_html_fixture_title_meta_links_directives() -> None:
    doc = _doc("saved_article.html")
    assert doc.title == "Ketamine for Anxiety & Depression | Example Clinic"
    assert doc.meta == (
        ("published", "2024-01-10T09:00:00Z"),
        ("modified", "2024-05-02T12:00:00Z"),
        ("reviewed", "2024-05-01"),
        ("published", "2024-01-10"),
    )
    assert _links(doc) == [("1", "#ref1"), ("FDA label", "https://www.fda.gov/drugs/spravato")]
    actions = [(d.action, d.codes, d.reason, d.line) for d in doc.directives]
    assert actions == [
        ("disable", ("STAT",), "figures quoted from the cited trial", 24),
        ("enable", ("STAT",), "", 27),
    ]
    source = doc.source.text
    assert all(source[d.start : d.end].startswith("<!-- claimaudit-") for d in doc.directives)
    assert all(source[d.start : d.end].endswith("-->") for d in doc.directives)


def test_saved_html_fixture_entities_map_to_their_source() -> None:
    doc = _doc("saved_article.html")
    source = doc.source.text
    for char, entity in (("&", "&amp;"), ("\u2019", "&#8217;"), ("\u2014", "&mdash;")):
        position = doc.text.index(char)
        span = doc.offsets.span(position, position + 1)
        assert source[span.start : span.end] == entity
    position = doc.text.index("hours of")
    span = doc.offsets.span(position, position + len("hours of"))
    assert source[span.start : span.end] == "hours&nbsp;of"


def test_broken_html_fixture_still_gives_text() -> None:
    doc = _doc("broken.html")
    assert doc.text.split("\n") == [
        "First paragraph bold text",
        "Second paragraph",
        "One",
        "Two",
        "A",
        "B",
        "Almost done & more italic",
        "Truncated at the end",
    ]
    assert doc.title == "Broken page"
    assert (
        _kinds(doc)
        == ["paragraph"] * 2 + ["list_item"] * 2 + ["table_cell"] * 2 + ["paragraph"] * 2
    )


def test_plain_fixture_text_and_directive() -> None:
    doc = _doc("plain_page.txt")
    assert doc.text.split("\n") == [
        "Ketamine Therapy for Anxiety",
        "Updated 2024-05-05",
        "Calm treatment room illustration",
        (
            "Ketamine for anxiety disorders is emerging-evidence, off-label medicine. Esketamine is "
            "approved only for treatment-resistant depression."
        ),
        "Spravato is NOT approved for any anxiety indication.",
        "The strongest data come from small trials with short follow-up.",
        "Side effects include dissociation and nausea.",
        "Screening",
        (
            "This paragraph was wrapped by an editor at seventy-two columns so that each line ends "
            "before the margin; the reader must join these lines into one block again."
        ),
        "A sentence broken in the middle continues here.",
    ]
    assert _kinds(doc) == ["paragraph"] * 4 + ["list_item"] * 4 + ["paragraph"] * 2
    (directive,) = doc.directives
    assert (directive.action, directive.codes, directive.reason, directive.line) == (
        "disable-file",
        ("SAFE001",),
        "patient testimonial page",
        10,
    )


def test_encoded_fixtures_normalize() -> None:
    assert _doc("windows1252.txt").text == (
        "Patients\u2019 \u201cfirst session\u201d costs \u20ac400 \u2014 caf\u00e9 consultations "
        "included.\nSecond line of the r\u00e9sum\u00e9."
    )
    assert _doc("utf16_bom.txt").text == (
        "Esketamine \u2014 approved for treatment-resistant depression.\n"
        "Second paragraph: \u00e9tude \u2264 5%."
    )
