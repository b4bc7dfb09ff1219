"""One document whose audit fails unexpectedly never sinks the others (AU100)."""

from __future__ import annotations

import pytest

from claimaudit import audit as audit_module
from claimaudit.ingest import read_text

PAGES = {
    "a.md": "Ketamine is FDA-approved for anxiety.\n",
    "boom.md": "Ketamine cures depression in 100% of patients. BOOM\n",
    "c.md": "Ketamine has no side effects at all.\n",
}


def _sources():  # type: ignore[no-untyped-def]
    return [read_text(text, path=path, media_type="text/markdown") for path, text in PAGES.items()]


@pytest.mark.parametrize("where", ["extract_claims", "coverage_notices"])
def test_a_failing_document_is_an_error_result_and_the_rest_are_audited(auditor, monkeypatch, caplog, where) -> None:  # type: ignore[no-untyped-def]
    expected = {r.path: r for r in auditor.audit_sources(_sources())}
    real = getattr(audit_module, where)

    def failing(document_or_doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        text = getattr(document_or_doc, "text", "")
        if "BOOM" in text:
            raise KeyError("no such label")
        return real(document_or_doc, *args, **kwargs)

    monkeypatch.setattr(audit_module, where, failing)
    results = list(auditor.audit_sources(_sources()))
    assert [r.path for r in results] == list(PAGES)  # every document, in order
    failed = results[1]
    assert failed.error_code == "AU100"
    assert failed.error is not None and "boom.md" in failed.error and "KeyError" in failed.error
    assert "other documents are not affected" in failed.error
    [logged] = [r for r in caplog.records if r.name == "claimaudit.audit"]  # the traceback, for the report
    assert "boom.md" in logged.getMessage() and logged.exc_info is not None and logged.exc_info[0] is KeyError
    for result in (results[0], results[2]):  # the others as if nothing had failed
        assert result.error is None
        assert [f.code for f in result.findings] == [f.code for f in expected[result.path].findings]
        assert result.findings


def test_the_check_command_reports_the_failure_and_exits_2(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from claimaudit.cli import main

    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    real = audit_module.extract_claims

    def failing(doc, document, lookup):  # type: ignore[no-untyped-def]
        if "BOOM" in document.text:
            raise RuntimeError("generator raised StopIteration")
        return real(doc, document, lookup)

    monkeypatch.setattr(audit_module, "extract_claims", failing)
    outcome = CliRunner().invoke(main, ["check", "--format", "text", "-j", "1", *(str(tmp_path / n) for n in PAGES)])
    assert outcome.exit_code == 2, outcome.output
    assert "AU100" in outcome.output and "boom.md" in outcome.output
    assert "REG001" in outcome.output and "SAFE001" in outcome.output  # the other pages' findings


def test_a_design_word_with_a_dotted_capital_i_is_read_as_the_design(auditor) -> None:  # type: ignore[no-untyped-def]
    """"trİal": `str.lower` makes the "İ" two characters, which no design pattern matched
    (StopIteration); the patterns ignore case, so the word is read as it is."""
    from claimaudit.claims.described import described_studies

    text = "Ketamine helped in a 2016 tr\u0130al of 60 patients."
    assert described_studies(text, 0, ["ketamine"], ["mdd"], auditor.lookup) == ()  # no 2016 trial fits
    result = auditor.audit_source(read_text(text, path="i.md", media_type="text/markdown"))
    assert result.error is None
