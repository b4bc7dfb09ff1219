import xml.etree.ElementTree as ET
from dataclasses import replace

from claimaudit.reporters.junit import render


def test_junit_one_suite_per_document(make_result, page_findings):
    from claimaudit.findings.model import Severity
    from claimaudit.reporters import ReportOptions

    root = ET.fromstring(render(make_result(), ReportOptions(fail_on=Severity.INFO)))  # every finding fails
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["docs/page, one:2.md", "docs/clean.md", "docs/binary.md"]
    page, clean, broken = suites
    cases = page.findall("testcase")
    assert len(cases) == len(page_findings)
    for finding, case in zip(page_findings, cases):
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("type") == finding.code and failure.get("message") == finding.message
        assert case.get("name") == f"{finding.code} at {finding.span.line}:{finding.span.column}"
    [passing] = clean.findall("testcase")
    assert list(passing) == []
    assert broken.find("testcase/error").get("type") == "IN101"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (
        str(len(page_findings) + 2), str(len(page_findings)), "1")


def test_junit_stays_valid_xml_with_control_characters(make_result, page_findings):
    result = make_result(clean=False, with_error=False)
    evil = replace(page_findings[1], message="bad \x00\x1b char", text="x\x0by")
    result = replace(result, documents=(replace(result.documents[0], findings=(evil,)),))
    failure = ET.fromstring(render(result)).find("testsuite/testcase/failure")
    assert failure.get("message") == "bad \ufffd\ufffd char"
