"""Fabricated audit results for reporter tests (reporters are pure: no pipeline needed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
from claimaudit.ingest.offsets import LineIndex
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import Rule

# Untrusted text with everything a renderer must neutralise: markup, a script, quotes,
# ampersands, separators used by the github/csv formats, and a second line.
PAGE = (
    "Ketamine is proven safe, 100% \"guaranteed\" & <script>alert(1)</script> fast.\n"
    "It has no side effects: none, ever.\n"
    "Ask your doctor.\n"
)


def span_of(text: str, start: int, end: int) -> SourceSpan:
    lines = LineIndex.of(text)
    line, column = lines.line_column(start)
    end_line, end_column = lines.line_column(end)
    return SourceSpan(start, end, line, column, end_line, end_column)


def make_finding(text: str, needle: str, code: str, family: Family, severity: Severity, **extra: object) -> Finding:
    start = text.index(needle)
    return Finding(code=code, family=family, severity=severity, span=span_of(text, start, start + len(needle)),
                   text=needle, message=str(extra.pop("message", f"{code} message about {needle!r}")), **extra)  # type: ignore[arg-type]


@pytest.fixture
def rules() -> tuple[Rule, ...]:
    doc = "## What it flags\nAbsolute safety wording.\n\n## Why it matters\nEvery drug has adverse effects.\n"
    return (
        Rule("SAFE001", "absolute-safety", Family.SAFE, Severity.ERROR, "Absolute safety claim.", doc=doc),
        Rule("EVI001", "overstated-efficacy", Family.EVI, Severity.WARNING, "Certainty above the evidence."),
        Rule("DISC001", "off-label-omitted", Family.DISC, Severity.WARNING, "No off-label disclosure.", scope="document"),
    )


@pytest.fixture
def page_findings() -> tuple[Finding, ...]:
    outer = make_finding(
        PAGE, PAGE.split("\n")[0], "EVI001", Family.EVI, Severity.WARNING,
        message='"proven" overstates <b>early</b> evidence | ask @reviewer',
        suggestion="Early studies suggest ketamine may help; it is not proven.",
        evidence=(EvidenceRef("grade-1", "Evidence grade: low", "https://pubmed.ncbi.nlm.nih.gov/35000000/"),
                  EvidenceRef("bad-link", "Not a link", "javascript:alert(2)")),
    )
    inner = make_finding(
        PAGE, "proven safe, 100% \"guaranteed\" & <script>alert(1)</script>", "SAFE001", Family.SAFE, Severity.ERROR,
        message="'proven safe' contradicts 4 known adverse effects, e.g. dissociation",
        suggestion="Ketamine can cause side effects such as dissociation.",
        evidence=(EvidenceRef("ae-dissociation", "Dissociation (label)", "https://doi.org/10.1000/xyz"),),
    )
    second = make_finding(PAGE, "no side effects: none, ever", "SAFE001", Family.SAFE, Severity.ERROR,
                          message="'no side effects' contradicts known adverse effects, 100%\r\nsure")
    crossing = make_finding(PAGE, "</script> fast.\nIt has no side", "EVI001", Family.EVI, Severity.INFO,
                            message="speed claim crosses a line")
    whole = Finding("DISC001", Family.DISC, Severity.WARNING, span_of(PAGE, 0, 0), "",
                    "The page promotes ketamine for anxiety without saying it is off-label",
                    omits="off_label_status")
    return (whole, outer, inner, crossing, second)


@pytest.fixture
def make_result(page_findings: tuple[Finding, ...]) -> Callable[..., AuditResult]:
    def build(*, with_error: bool = True, clean: bool = True, path: str = "docs/page, one:2.md") -> AuditResult:
        documents = [DocumentResult(path, "text/markdown", PAGE, findings=page_findings)]
        if clean:
            documents.append(DocumentResult("docs/clean.md", "text/markdown", "Ask your doctor.\n"))
        if with_error:
            documents.append(DocumentResult("docs/binary.md", "", "", error="IN101 docs/binary.md: binary file",
                                            error_code="IN101"))
        return AuditResult(tuple(documents), kb_version="2024.06", kb_hash="abc123def456", tool_version="0.1.0",
                           meta={"suppressed": "2", "baselined": "1"})
    return build
