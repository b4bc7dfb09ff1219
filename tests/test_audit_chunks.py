"""Texts longer than spaCy's max_length are audited in chunks with exact offsets."""

from __future__ import annotations

from claimaudit.audit import split_chunks
from claimaudit.ingest import read_text


def test_chunks_join_back_exactly_and_respect_the_limit() -> None:
    text = ("First paragraph here.\n\n" * 30) + ("one long line " * 50) + "x" * 500
    chunks = split_chunks(text, 200)
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= 200 for chunk in chunks)


def test_chunks_prefer_paragraph_boundaries() -> None:
    text = "a" * 120 + "\n\n" + "b" * 50 + "\nline\n" + "c" * 100
    assert split_chunks(text, 200)[0] == "a" * 120 + "\n\n"  # the blank line, not the later break
    text = "a" * 60 + "\n\n" + "b" * 80 + "\nline\n" + "c" * 100
    # the blank line is in the first half of the window: the last line break wins
    assert split_chunks(text, 200)[0] == "a" * 60 + "\n\n" + "b" * 80 + "\nline\n"


def test_short_text_is_one_chunk() -> None:
    assert split_chunks("short", 10) == ["short"]
    assert split_chunks("", 10) == [""]


def test_chunked_audit_finds_the_same_as_one_pass(auditor) -> None:  # type: ignore[no-untyped-def]
    paragraphs = [
        "Ketamine is proven safe for everyone.",
        "The clinic garden is open on Sundays and the parking is free.",
        "Ketamine cures depression in 100% of patients.",
        "Ketamine has no side effects at all.",
    ]
    text = "\n\n".join(paragraphs * 6) + "\n"
    source = read_text(text, path="long.txt", media_type="text/plain")
    whole = auditor.audit_source(source)
    limit = auditor.nlp.max_length
    try:
        auditor.nlp.max_length = 300  # forces several chunks
        assert len(split_chunks(text, 300)) > 3
        chunked = auditor.audit_source(source)
    finally:
        auditor.nlp.max_length = limit
    key = lambda result: [(f.code, f.span.start, f.span.end, f.span.line, f.text) for f in result.findings]  # noqa: E731
    assert whole.findings and key(chunked) == key(whole)
    for finding in chunked.findings:
        if not finding.is_document_level:
            assert text[finding.span.start : finding.span.end] == finding.text
