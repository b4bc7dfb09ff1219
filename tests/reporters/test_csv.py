import csv
import io

from claimaudit.reporters.csv_report import COLUMNS, render


def test_csv_header_and_one_row_per_finding(make_result, page_findings):
    rows = list(csv.DictReader(io.StringIO(render(make_result()), newline="")))
    assert list(rows[0].keys()) == list(COLUMNS)
    findings_rows = [r for r in rows if r["path"] == "docs/page, one:2.md"]
    assert len(findings_rows) == len(page_findings)
    for finding, row in zip(page_findings, findings_rows):
        assert row["code"] == finding.code
        assert row["message"] == finding.message  # commas, quotes and CRLF survive
        assert row["text"] == finding.text
        assert (int(row["line"]), int(row["column"]), int(row["start"]), int(row["end"])) == (
            finding.span.line, finding.span.column, finding.span.start, finding.span.end)
        assert row["evidence"].split() == [e.url or e.id for e in finding.evidence]


def test_csv_unreadable_document_row(make_result):
    rows = list(csv.DictReader(io.StringIO(render(make_result()), newline="")))
    [error] = [r for r in rows if r["path"] == "docs/binary.md"]
    assert (error["code"], error["severity"], error["message"]) == ("IN101", "error", "IN101 binary file")
