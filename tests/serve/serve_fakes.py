"""Test helpers for the web app: a fake auditor, a .docx builder, Starlette's TestClient.

`FakeAuditor` stands in for claimaudit.audit.Auditor: regex rules over the raw text that
produce genuine `Finding`/`DocumentResult`/`AuditResult` objects, so the app's JSON goes
through the real reporters; only the judging is fake. It tests the web layer without loading
spaCy or the knowledge base. (This module has a unique name: several test folders have a
conftest.py, so tests import helpers from here, never from `conftest`.)
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimaudit import __version__
from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
from claimaudit.ingest.offsets import LineIndex
from claimaudit.ingest.source import SourceDocument
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import Rule, RuleModule

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient but still supports httpx (a dependency).
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["FakeAuditor", "TestClient", "build_docx", "fake_findings"]


@dataclass(frozen=True)
class FakeRule:
    rule: Rule
    pattern: re.Pattern[str]
    message: str
    suggestion: str | None
    evidence: tuple[EvidenceRef, ...]


def _rule(
    code: str,
    family: Family,
    severity: Severity,
    pattern: str,
    message: str,
    suggestion: str | None,
    *evidence: EvidenceRef,
) -> FakeRule:
    return FakeRule(
        rule=Rule(
            code=code,
            name=f"fake-{code.lower()}",
            family=family,
            severity=severity,
            summary=f"fake rule {code}",
        ),
        pattern=re.compile(pattern, re.IGNORECASE),
        message=message,
        suggestion=suggestion,
        evidence=evidence,
    )


FAKE_RULES: tuple[FakeRule, ...] = (
    _rule(
        "SAFE001",
        Family.SAFE,
        Severity.ERROR,
        r"proven safe|no side effects",
        "absolute safety claim contradicts known adverse effects",
        "has a well-studied safety profile when given under medical supervision",
        EvidenceRef(
            "ae-dissociation",
            "Dissociation after ketamine",
            "https://pubmed.ncbi.nlm.nih.gov/31109201/",
            "common, transient",
        ),
        EvidenceRef("PMID:29945463", "Short-term adverse effects review"),
    ),
    _rule(
        "REG001",
        Family.REG,
        Severity.ERROR,
        r"FDA[- ]approved",
        "no FDA approval exists for this indication",
        "is used off-label; it is not FDA-approved for this use",
        EvidenceRef(
            "approval-spravato", "Spravato label", "https://www.accessdata.fda.gov/spravato"
        ),
    ),
    _rule(
        "EVI001",
        Family.EVI,
        Severity.WARNING,
        r"shown to work [^.\n]*",
        "certainty stronger than the evidence grade",
        "early studies suggest it may help",
        EvidenceRef("doi:10.1000/xyz123", "Evidence grade: low", "", "one small trial"),
    ),
    _rule(
        "DUR001",
        Family.DUR,
        Severity.WARNING,
        r"\brapid(?:ly)?\b|within minutes",
        "onset overstated",
        None,
    ),
    _rule(
        "MECH001",
        Family.MECH,
        Severity.INFO,
        r"rewires the brain",
        "mechanism stated with more certainty than the science has",
        "may affect brain signalling",
    ),
)
DISC_RULE = Rule(
    code="DISC001",
    name="fake-disc001",
    family=Family.DISC,
    severity=Severity.WARNING,
    summary="fake rule DISC001",
    scope="document",
)
CRASH_MARKER = "FAKE_CRASH"
INPUT_ERROR_MARKER = "FAKE_INPUT_ERROR"


@dataclass
class FakeAuditor:
    """Thread-safe counters let tests check that one auditor serves every request."""

    audits: int = 0
    sources: list[SourceDocument] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rules(self) -> list[RuleModule]:
        return [RuleModule(rule=fake.rule) for fake in FAKE_RULES] + [RuleModule(rule=DISC_RULE)]

    def audit_source(self, source: SourceDocument) -> DocumentResult:
        with self._lock:
            self.audits += 1
            self.sources.append(source)
        if CRASH_MARKER in source.text:
            raise RuntimeError("fake auditor crashed")
        if INPUT_ERROR_MARKER in source.text:
            return DocumentResult(
                path=source.path,
                media_type=source.media_type,
                source_text=source.text,
                error="IN104 the fake reader refused this text",
                error_code="IN104",
            )
        from claimaudit.ingest import normalize

        return DocumentResult(
            path=source.path,
            media_type=source.media_type,
            source_text=source.text,
            findings=tuple(fake_findings(source.text)),
            directives=normalize(source).directives,  # as the real Auditor reports them
        )

    def result(self, documents: Iterable[DocumentResult]) -> AuditResult:
        return AuditResult(
            documents=tuple(documents),
            kb_version="fake-kb-1",
            kb_hash="f00dfeed" * 2,
            tool_version=__version__,
            rules=tuple(module.rule.code for module in self.rules),
        )


def fake_findings(text: str) -> list[Finding]:
    lines = LineIndex.of(text)
    findings: list[Finding] = []
    for fake in FAKE_RULES:
        for match in fake.pattern.finditer(text):
            line, column = lines.line_column(match.start())
            end_line, end_column = lines.line_column(match.end())
            findings.append(
                Finding(
                    code=fake.rule.code,
                    family=fake.rule.family,
                    severity=fake.rule.severity,
                    span=SourceSpan(match.start(), match.end(), line, column, end_line, end_column),
                    text=match.group(0),
                    message=fake.message,
                    evidence=fake.evidence,
                    suggestion=fake.suggestion,
                )
            )
    if "side effect" not in text.lower():
        findings.append(
            Finding(
                code=DISC_RULE.code,
                family=DISC_RULE.family,
                severity=DISC_RULE.severity,
                span=SourceSpan(0, 0, 1, 1, 1, 1),
                text="",
                message="the page never mentions side effects",
                omits="side_effects",
            )
        )
    return sorted(findings, key=lambda f: (f.span.start, f.span.end, f.code))


def build_docx(paragraphs: list[tuple[str, str]], table: list[list[str]] | None = None) -> bytes:
    """A .docx with ("heading"|"para", text) blocks and an optional table, as bytes."""
    import docx

    document = docx.Document()
    for kind, text in paragraphs:
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
