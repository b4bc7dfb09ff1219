"""Presentation forms (Latin ligatures from PDF text, fullwidth ASCII) become their plain letters
in the normalized text, each mapped back to its own source character; nothing else changes."""

from __future__ import annotations

import random
import unicodedata

import pytest

from claimaudit.ingest import normalize, read_text

LIGATURES = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"


def _normalized(source: str, media_type: str = "text/plain"):  # type: ignore[no-untyped-def]
    return normalize(read_text(source, path="page", media_type=media_type))


def _source_of(doc, word: str) -> str:  # type: ignore[no-untyped-def]
    at = doc.text.index(word)
    span = doc.offsets.span(at, at + len(word))
    return str(doc.source.text[span.start:span.end])


@pytest.mark.parametrize(("media_type", "source"), [
    ("text/plain", "The eﬀect was signiﬁcant; no side eﬀects were ﬂagged in the oﬃce."),
    ("text/markdown", "# Results\n\nThe *eﬀect* was signiﬁcant; no side eﬀects were ﬂagged in the oﬃce.\n"),
    ("text/html", "<p>The <b>eﬀect</b> was signi&filig;cant; no side eﬀects were ﬂagged in the oﬃce.</p>"),
])
def test_ligatures_are_letters_mapped_to_their_source(media_type: str, source: str) -> None:
    doc = _normalized(source, media_type)
    assert not set(doc.text) & set(LIGATURES)
    assert doc.text.endswith("The effect was significant; no side effects were flagged in the office.")
    assert _source_of(doc, "side effects") == "side eﬀects"
    assert _source_of(doc, "office") == "oﬃce"
    assert _source_of(doc, "significant") in ("signiﬁcant", "signi&filig;cant")
    at = doc.text.index("office") + 2  # inside "ffi": the whole ligature
    span = doc.offsets.span(at, at + 1)
    assert doc.source.text[span.start:span.end] == "ﬃ"


def test_fullwidth_letters_and_signs_are_ascii() -> None:
    source = "ＫＥＴＡＭＩＮＥ ｉｓ ＦＤＡ－ａｐｐｒｏｖｅｄ， ７０％ respond."
    doc = _normalized(source)
    assert doc.text == "KETAMINE is FDA-approved, 70% respond."
    for position, char in enumerate(doc.text):
        if char == " ":
            continue  # a word boundary the builder inserts
        span = doc.offsets.span(position, position + 1)
        original = doc.source.text[span.start:span.end]
        assert unicodedata.normalize("NFKC", original) == char


def test_every_form_is_its_nfkc_and_nothing_else_is_touched() -> None:
    forms = LIGATURES + "".join(map(chr, range(0xFF01, 0xFF5F)))
    doc = _normalized(" ".join(forms))
    assert doc.text == " ".join(unicodedata.normalize("NFKC", form) for form in forms)
    kept = "café naïve Straße STRASSE ẞ µg x² ½ “quoted” – — … İstanbul ıi ſ \u212a ﬓ Ｉ\u3000"
    assert _normalized(kept).text == kept.replace("Ｉ\u3000", "I").rstrip()


def test_an_audit_reads_ligatures_as_letters(audit) -> None:  # type: ignore[no-untyped-def]
    plain = "Ketamine is FDA-approved for anxiety and has no side effects. Over 80% of patients feel significantly better."
    written = plain.replace("ff", "ﬀ").replace("fi", "ﬁ")
    assert written != plain
    expected, found = audit(plain), audit(written)
    assert [(f.code, f.message, f.text) for f in found.findings] == [(f.code, f.message, f.text) for f in expected.findings]
    assert {"REG001", "SAFE001"} <= {f.code for f in found.findings}
    for finding in found.findings:  # spans and triggers on the text as written
        assert written[finding.span.start:finding.span.end].replace("ﬀ", "ff").replace("ﬁ", "fi") == finding.text
        assert written[finding.trigger.start:finding.trigger.end] == finding.trigger_text
    assert "no side eﬀects" in {f.trigger_text for f in found.findings}


def test_random_text_reads_as_if_written_with_plain_letters() -> None:
    """The normalized text is what the same page written with the plain letters gives, and each
    of its characters maps back to itself or to the form it came from."""
    from claimaudit.ingest.builder import _COMPATIBLE_TABLE

    rng = random.Random(3)
    pieces = [*LIGATURES, "ＫＥＴ", "ｉｓ", "，", "７０％", "\uff06", "word", "é", "’", " ", "  ", "\t", "\n", "\n\n",
              "\u00ad", "\u200b", "- ", "ﬓ", "\ufe50"]
    for _ in range(300):
        source = "word " + "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        doc = _normalized(source)
        assert doc.text == _normalized(source.translate(_COMPATIBLE_TABLE)).text, source
        for position, char in enumerate(doc.text):
            if char.isspace():
                continue  # a word or block boundary
            span = doc.offsets.span(position, position + 1)
            original = source[span.start:span.end]
            assert len(original) == 1 and char in original.translate(_COMPATIBLE_TABLE), (source, position)
