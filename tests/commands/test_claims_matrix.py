"""The claims matrix (`claims --format csv|xlsx`): one row per claim with grade, source, findings, decision."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.claims.matrix import COLUMNS, MatrixRow, render_csv, write_xlsx
from claimaudit.cli import main

PAGE = (
    "# Ketamine for anxiety\n\n"
    "In a small open-label study, ketamine reduced anxiety in most of the 12 patients (Glue et al., 2017).\n\n"
    "Ketamine is proven safe and cures anxiety.\n\n"
    "Call us today to book a consultation.\n"
)
HEADERS = [header for _, header, _ in COLUMNS]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout  # click >= 8.2: stdout without the stderr lines


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "page.md"
    path.write_text(PAGE, "utf-8")
    return path


def test_csv_matrix_has_one_row_per_claim_with_grade_source_study_and_findings(page: Path) -> None:
    code, output = _run("claims", "page.md", "--format", "csv")
    assert code == 0, output
    rows = list(csv.DictReader(io.StringIO(output)))
    assert list(rows[0]) == HEADERS
    code, listing = _run("claims", "page.md", "--format", "json")
    claims = json.loads(listing)[0]["claims"]
    assert [r["Claim"] for r in rows] == [" ".join(c["text"].split()) for c in claims]
    cited = next(r for r in rows if "Glue" in r["Claim"])
    assert cited["Cited source"] == "(Glue et al., 2017)"
    assert cited["Resolved study"].startswith("Glue") and "2017" in cited["Resolved study"]
    assert "ketamine x anxiety_disorders" in cited["Substance x indication"]
    assert cited["Evidence grade"] == "preliminary"
    absolute = next(r for r in rows if "proven safe" in r["Claim"])
    assert absolute["Location (line:column)"] == "5:1"
    assert "SAFE001 (error)" in absolute["Findings"] and "EVI001" in absolute["Findings"]
    assert absolute["Certainty"] == "absolute" and absolute["Decision"] == ""


def test_xlsx_matrix_reopens_with_the_same_rows_and_decisions(page: Path) -> None:
    from openpyxl import load_workbook

    _run("check", "page.md", "--format", "json", "-o", "report.json", "--no-config")
    report = json.loads(Path("report.json").read_text("utf-8"))
    safe = next(f for d in report["documents"] for f in d["findings"] if f["code"] == "SAFE001")
    code, _ = _run("review", "decide", "report.json", safe["fingerprint"], "--status", "escalated",
                   "--reviewer", "ana", "--db", "review.db")
    assert code == 0
    code, _ = _run("claims", "page.md", "--format", "xlsx", "-o", "matrix.xlsx", "--review-db", "review.db")
    assert code == 0
    sheet = load_workbook("matrix.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    _, output = _run("claims", "page.md", "--format", "csv", "--review-db", "review.db")
    expected = [[cell or None for cell in row] for row in csv.reader(io.StringIO(output))][1:]
    assert [[str(v) if v is not None else None for v in row] for row in values[1:]] == expected
    decided = [row for row in values[1:] if row[-1]]
    assert len(decided) == 1 and decided[0][-1] == "SAFE001 escalated by ana" and "proven safe" in decided[0][2]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_cells_never_become_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    row = MatrixRow(path="p.md", line=1, column=1, text="=HYPERLINK(\"http://x\")", kinds="efficacy",
                    certainty="asserted", substance_indications="", evidence_grade="", cited_source="+1",
                    resolved_study="", findings="-2", decision="@me")
    write_xlsx([row], tmp_path / "m.xlsx")
    cells = next(load_workbook(tmp_path / "m.xlsx").active.iter_rows(min_row=2))
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    assert cells[2].value == "=HYPERLINK(\"http://x\")"
    line = render_csv([row]).splitlines()[1]
    assert "'=HYPERLINK" in line and ",'+1," in line and ",'-2,'@me" in line


def test_xlsx_needs_an_output_file(page: Path) -> None:
    result = CliRunner().invoke(main, ["claims", "page.md", "--format", "xlsx"])
    assert result.exit_code == 2 and "US104" in result.output
