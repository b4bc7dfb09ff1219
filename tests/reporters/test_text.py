from claimaudit.reporters import ReportOptions
from claimaudit.reporters.text import render


def test_text_one_line_per_finding_with_location_severity_code(make_result, page_findings):
    result = make_result(clean=False, with_error=False)
    lines = render(result).splitlines()
    path = result.documents[0].path
    for finding, line in zip(page_findings, lines):
        assert line.startswith(f"{path}:{finding.span.line}:{finding.span.column}: "
                               f"{finding.severity.value} {finding.code} ")
    assert len([line for line in lines if line.startswith(path)]) == len(page_findings)


def test_text_message_is_one_line_without_control_characters(make_result):
    output = render(make_result())
    assert "contradicts known adverse effects, 100% sure" in output
    assert "\r" not in output


def test_text_unreadable_document_and_summary(make_result):
    lines = render(make_result()).splitlines()
    assert "docs/binary.md: error IN101 binary file" in lines
    assert lines[-2] == ("Found 5 findings (2 errors, 2 warnings, 1 info) in 1 of 3 documents; "
                         "1 could not be read, 2 suppressed inline, 1 in the baseline.")


def test_text_colour_only_when_asked(make_result):
    assert "\x1b[" not in render(make_result())
    coloured = render(make_result(), ReportOptions(color=True))
    assert "\x1b[31merror\x1b[0m" in coloured


def test_text_terminal_escapes_in_untrusted_text_are_dropped(make_result, page_findings):
    from dataclasses import replace

    result = make_result(clean=False, with_error=False)
    evil = replace(page_findings[1], message="\x1b[2J\x1b]0;owned\x07 overstated")
    result = replace(result, documents=(replace(result.documents[0], findings=(evil,)),))
    assert "\x1b" not in render(result) and "\x07" not in render(result)


def test_text_verbose_shows_suggestion_and_evidence(make_result, page_findings):
    verbose = render(make_result(), ReportOptions(verbose=True))
    assert f"  suggestion: {page_findings[1].suggestion}" in verbose
    assert "  evidence: Evidence grade: low <https://pubmed.ncbi.nlm.nih.gov/35000000/>" in verbose
    assert "suggestion:" not in render(make_result())


def test_text_quiet_has_no_summary(make_result):
    assert "Found" not in render(make_result(), ReportOptions(quiet=True))


def test_text_clean_run_says_so(make_result):
    from dataclasses import replace

    result = make_result(with_error=False)
    clean = replace(result, documents=result.documents[1:], meta={})
    assert render(clean) == (
        "No findings in 1 document.\n"
        "Knowledge base 2024.06 (hash abc123def456); no knowledge-base evidence cited.\n"
    )
