"""REG001/REG002 read an approval of a study as no approval of the drug, and "sanctioned" as an
approval word (end to end, on sentences of our own)."""

from __future__ import annotations

import pytest

from claimaudit.ingest import read_text


def reg_codes(auditor, sentence: str) -> list[str]:  # type: ignore[no-untyped-def]
    text = f"# Ketamine for PTSD\n\n{sentence}\n"
    result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
    return sorted(f.code for f in result.findings if f.code.startswith("REG"))


@pytest.mark.parametrize("sentence", [
    "An FDA-approved clinical trial of ketamine for PTSD is now recruiting veterans.",
    "A pilot study sanctioned by the FDA is testing ketamine for PTSD.",
    "The trial of ketamine for PTSD was approved by the FDA last spring.",
    "A study on ketamine for PTSD, approved by the university's review board, has begun.",
])
def test_an_approved_study_is_not_an_approved_drug(auditor, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert reg_codes(auditor, sentence) == []


@pytest.mark.parametrize("sentence", [
    "Ketamine is an FDA-sanctioned treatment for PTSD.",
    "Studies show ketamine is FDA-approved for PTSD.",
    "The research is clear: esketamine is approved for PTSD.",
    "Ketamine, tested in many trials, is FDA-approved for PTSD.",
    "Our ketamine infusion protocols are FDA-approved for PTSD.",  # a clinic's protocol is its treatment
    "We use FDA-approved protocols for ketamine infusions for PTSD.",
])
def test_the_drug_said_to_be_approved_or_sanctioned_is_still_judged(auditor, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert "REG001" in reg_codes(auditor, sentence)
