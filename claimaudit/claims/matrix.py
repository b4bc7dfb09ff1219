"""The claims matrix: one row per claim, the table an MLR reviewer works through.

Columns: where the claim is, its text, kinds, certainty, each substance x indication with its
evidence grade, the source it cites and the knowledge-base study that source resolves to, the
findings on it, and (with a review store) the reviewers' decisions on those findings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimaudit.claims.model import Claim
from claimaudit.findings.model import Finding

COLUMNS: tuple[tuple[str, str, int], ...] = (  # (key, header, xlsx width)
    ("path", "Document", 24),
    ("location", "Location (line:column)", 10),
    ("text", "Claim", 60),
    ("kinds", "Kind", 16),
    ("certainty", "Certainty", 11),
    ("substance_indications", "Substance x indication", 26),
    ("evidence_grade", "Evidence grade", 22),
    ("cited_source", "Cited source", 36),
    ("resolved_study", "Resolved study", 36),
    ("findings", "Findings", 48),
    ("decision", "Decision", 36),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

GradeFunction = Callable[[Claim], list[dict[str, str]]]
StudyLabel = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One claim, every cell already text."""

    path: str
    line: int
    column: int
    text: str
    kinds: str
    certainty: str
    substance_indications: str
    evidence_grade: str
    cited_source: str
    resolved_study: str
    findings: str
    decision: str

    @property
    def location(self) -> str:
        return f"{self.line}:{self.column}"

    def cells(self) -> list[str | int]:
        return [getattr(self, key) if key != "location" else self.location for key, _, _ in COLUMNS]


def claim_findings(claim: Claim, findings: Sequence[Finding]) -> list[Finding]:
    """Span findings on the claim: produced for it (claim id) or lying inside its span."""
    return [f for f in findings if not f.is_document_level and
            (f.claim_id == claim.id or (claim.span.start <= f.span.start and f.span.end <= claim.span.end))]


def matrix_rows(path: str, claims: Iterable[Claim], findings: Sequence[Finding], grades: GradeFunction,
                study_label: StudyLabel, decisions: Mapping[str, Any] | None = None) -> list[MatrixRow]:
    """One row per claim of a document, in document order."""
    rows = []
    for claim in claims:
        on_claim = claim_findings(claim, findings)
        graded = grades(claim)
        cited = [c.reference.text if c.reference else c.text for c in claim.citations]
        studies = [study_label(c.study_id or (c.reference.study_id if c.reference else None) or "")
                   for c in claim.citations]
        decided = [(f, decisions[f.fingerprint]) for f in on_claim if decisions and f.fingerprint in decisions]
        rows.append(MatrixRow(
            path=path, line=claim.span.line, column=claim.span.column, text=" ".join(claim.text.split()),
            kinds=", ".join(k.value for k in claim.kinds), certainty=claim.certainty.label,
            substance_indications="; ".join(f"{g['substance']} x {g['indication'] or '?'}" for g in graded),
            evidence_grade="; ".join(g["grade"] for g in graded),
            cited_source="; ".join(dict.fromkeys(" ".join(c.split()) for c in cited)),
            resolved_study="; ".join(dict.fromkeys(s for s in studies if s)),
            findings="; ".join(f"{f.code} ({f.severity.value}): {f.message}" for f in on_claim),
            decision="; ".join(f"{f.code} {d.status.value} by {d.reviewer}" + (f": {d.reason}" if d.reason else "")
                               for f, d in decided),
        ))
    return rows


def safe_text(value: str | int) -> str | int:
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render_csv(rows: Iterable[MatrixRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for _, header, _ in COLUMNS])
    for row in rows:
        writer.writerow([safe_text(cell) for cell in row.cells()])
    return out.getvalue()


def write_xlsx(rows: Iterable[MatrixRow], target: Path) -> None:
    """An .xlsx workbook (openpyxl): bold frozen header, filters, wrapped text, every cell a string."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Claims"
    sheet.append([header for _, header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row.cells())
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = wrap
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(target)
