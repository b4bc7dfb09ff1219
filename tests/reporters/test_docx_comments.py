"""Annotated Word documents: comments anchored on exactly the flagged words, checked by reopening."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from claimaudit.cli import main
from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
from claimaudit.ingest.docx_runs import load_docx, read_docx
from claimaudit.reporters.docx_comments import (
    annotated_bytes,
    comment_anchors,
    comment_text,
    text_document,
)


def _draft() -> bytes:
    """Runs split mid-word, bold, a tab, a hyperlink, a table cell and an empty paragraph."""
    document = docx.Document()
    document.add_heading("Ketamine clinic", 1)
    paragraph = document.add_paragraph("Our infusions are pro")
    paragraph.add_run("ven sa").bold = True
    paragraph.add_run("fe for everyone.\tNo waiting.")
    document.add_paragraph("")
    linked = document.add_paragraph("Read the ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), "top")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "FDA-approved label"
    run.append(text)
    link.append(run)
    linked._p.append(link)
    linked.add_run(" today.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Relief within minutes"
    table.cell(0, 1).text = "Lasting results"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _finding(text: str, source: str, code: str = "SAFE001", occurrence: str | None = None) -> Finding:
    start = source.index(occurrence or text)
    return Finding(code, Family.SAFE, Severity.ERROR, SourceSpan(start, start + len(text), 1, 1, 1, 1), text,
                   f"{code} reason", evidence=(EvidenceRef("s1", "A study", "https://pubmed.ncbi.nlm.nih.gov/1/"),),
                   suggestion="a better wording")


def test_read_docx_keeps_reading_order_and_run_offsets() -> None:
    extracted = read_docx(load_docx(_draft(), "draft.docx"))
    assert extracted.text == ("Ketamine clinic\nOur infusions are proven safe for everyone.\tNo waiting.\n"
                              "Read the FDA-approved label today.\nRelief within minutes\nLasting results")
    for piece in extracted.pieces:
        assert extracted.text[piece.start:piece.end] == piece.run.text


def test_comments_land_on_the_exact_words_and_the_text_is_unchanged() -> None:
    extracted = read_docx(load_docx(_draft(), "draft.docx"))
    source = extracted.text
    findings = [
        _finding("proven safe", source),                      # crosses three runs, split mid-word
        _finding("infusions are proven safe for everyone", source, "EVI001"),  # overlaps the first
        _finding("FDA-approved", source, "REG001"),            # inside a hyperlink run
        _finding("within minutes", source, "DUR001"),          # in a table cell
        _finding("clinic\nOur infusions", source, "MECH001"),  # spans two paragraphs
    ]
    data = annotated_bytes(extracted, findings, {"SAFE001": "absolute-safety"})
    anchors = comment_anchors(data)
    assert len(anchors) == len(findings)
    by_code = {a.text.split(" ", 1)[0]: a for a in anchors}
    for finding in findings:
        anchor = by_code[finding.code]
        assert anchor.anchor == source[finding.span.start:finding.span.end]
        assert anchor.author == "claimaudit"
    assert by_code["SAFE001"].text.startswith("SAFE001 absolute-safety (error, SAFE): SAFE001 reason")
    assert "Evidence: A study - https://pubmed.ncbi.nlm.nih.gov/1/" in by_code["SAFE001"].text
    assert by_code["SAFE001"].text.endswith("Suggested rewrite: a better wording")
    reopened = read_docx(load_docx(data, "out.docx"))
    assert reopened.text == source  # splitting runs changed no character
    bold = [r.text for p in reopened.document.paragraphs for r in p.runs if r.bold]
    assert "".join(bold) == "ven sa"  # formatting kept across the splits


def test_a_draft_that_is_not_word_becomes_a_new_document() -> None:
    text = "Heading\n\nKetamine is proven safe."
    extracted = text_document(text)
    finding = _finding("proven safe", extracted.text)
    anchors = comment_anchors(annotated_bytes(extracted, [finding]))
    assert [a.anchor for a in anchors] == ["proven safe"]
    assert comment_text(finding).count("\n") == 2


PAGE_PARAGRAPHS = (
    "Ketamine for anxiety",
    "Our ketamine infusions are proven safe and FDA-approved for generalized anxiety disorder.",
    "Most patients feel relief within minutes, and the results are permanent.",
)


def test_check_docx_round_trip_with_the_real_auditor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = docx.Document()
    document.add_heading(PAGE_PARAGRAPHS[0], 1)
    for text in PAGE_PARAGRAPHS[1:]:
        paragraph = document.add_paragraph()
        for word in text.split(" "):  # one run per word, as Word often stores edited text
            paragraph.add_run(word + " ")
    document.save("draft.docx")
    runner = CliRunner()
    report = runner.invoke(main, ["check", "draft.docx", "--format", "json", "--no-config"])
    findings = json.loads(report.stdout)["documents"][0]["findings"]
    assert {f["code"] for f in findings} >= {"SAFE001", "REG001", "DUR001"}
    result = runner.invoke(main, ["check", "draft.docx", "--format", "docx", "-o", "reviewed.docx", "--no-config"])
    assert result.exit_code == 1, result.output
    assert f"{len(findings)} comments" in result.output
    data = Path("reviewed.docx").read_bytes()
    anchors = comment_anchors(data)
    source = read_docx(load_docx(Path("draft.docx").read_bytes(), "draft.docx")).text
    assert sorted((a.anchor, a.text.split(" ", 1)[0]) for a in anchors) == sorted(
        (f["trigger"]["text"], f["code"]) for f in findings)  # anchored on the words that triggered it
    assert all(source[f["trigger"]["start"]:f["trigger"]["end"]] == f["trigger"]["text"] for f in findings)
    for anchor, finding in zip(sorted(anchors, key=lambda a: a.text), sorted(findings, key=lambda f: f["code"])):
        assert finding["message"] in anchor.text
    assert read_docx(load_docx(data, "reviewed.docx")).text == source


def test_docx_format_needs_one_output_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text("Ketamine is proven safe.\n", "utf-8")
    Path("b.md").write_text("Ketamine cures anxiety.\n", "utf-8")
    result = CliRunner().invoke(main, ["check", "a.md", "--format", "docx"])
    assert result.exit_code == 2 and "US105" in result.output
    result = CliRunner().invoke(main, ["check", "a.md", "b.md", "--format", "docx", "-o", "x.docx"])
    assert result.exit_code == 2 and "US105" in result.output
    Path("bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["check", "bad.docx"])
    assert result.exit_code == 2 and "IN109" in result.output
