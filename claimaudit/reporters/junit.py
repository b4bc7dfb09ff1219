"""JUnit XML: one testsuite per document, one testcase per finding, one passing for clean files.

A finding fails its testcase only at or above --fail-on (ReportOptions.fail_on), as the exit
code does; findings below it are passing testcases that carry their details in system-out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from claimaudit.findings.model import Finding
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import display_path, error_text
from claimaudit.result import AuditResult, DocumentResult

# Characters XML 1.0 cannot hold, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    root = ET.Element("testsuites", name="claimaudit")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for document in result.documents:
        suite = _suite(document, display_path(document.path, options.root), options)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(document: DocumentResult, path: str, options: ReportOptions = DEFAULT_OPTIONS) -> ET.Element:
    suite = ET.Element("testsuite", name=_xml_text(path))
    if document.error:
        case = ET.SubElement(suite, "testcase", classname=_xml_text(path), name="read", file=_xml_text(path))
        ET.SubElement(case, "error", type=document.error_code or "IN100",
                      message=_xml_text(error_text(document)))
        suite.attrib.update(tests="1", failures="0", errors="1")
        return suite
    failures = 0
    for finding in document.findings:
        failing = finding.severity.rank >= options.fail_on.rank
        failures += failing
        suite.append(_case(finding, path, failing=failing))
    if not document.findings:
        ET.SubElement(suite, "testcase", classname=_xml_text(path), name="claimaudit", file=_xml_text(path))
    count = max(1, len(document.findings))
    suite.attrib.update(tests=str(count), failures=str(failures), errors="0")
    return suite


def _case(finding: Finding, path: str, *, failing: bool = True) -> ET.Element:
    span = finding.span
    case = ET.Element("testcase", classname=_xml_text(path),
                      name=f"{finding.code} at {span.line}:{span.column}",
                      file=_xml_text(path), line=str(span.line))
    if failing:
        detail = ET.SubElement(case, "failure", type=finding.code, message=_xml_text(finding.message))
    else:
        detail = ET.SubElement(case, "system-out")
    details = [
        f"{path}:{span.line}:{span.column}: {finding.severity.value} {finding.code} ({finding.family.value})",
        f"text: {finding.text}",
    ]
    if finding.trigger_text and finding.trigger_text != finding.text:
        details.append(f"trigger: {finding.trigger_text}")
    for label in ("suggestion", "advice", "note"):
        value = getattr(finding, label)
        if value:
            details.append(f"{label}: {value}")
    details += [f"evidence: {e.label} {e.url}".rstrip() for e in finding.evidence]
    detail.text = _xml_text("\n".join(details))
    return case
