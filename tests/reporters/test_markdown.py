from claimaudit.reporters.markdown import cell, render


def _table_rows(text: str, header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return rows


def test_markdown_counts_table_by_family_and_severity(make_result, page_findings):
    text = render(make_result())
    rows = _table_rows(text, "| Family | error | warning | info | total |")
    counts = {row[0]: [int(c) for c in row[1:]] for row in rows if not row[0].startswith("**")}
    for family, (errors, warnings, infos, total) in counts.items():
        mine = [f for f in page_findings if f.family.value == family]
        assert total == len(mine)
        assert (errors, warnings, infos) == tuple(
            sum(1 for f in mine if f.severity.value == s) for s in ("error", "warning", "info"))
    assert sum(c[3] for c in counts.values()) == len(page_findings)


def test_markdown_findings_per_file_with_line_code_and_suggestion(make_result, page_findings):
    text = render(make_result())
    assert "### docs/page, one:2.md (5 findings)" in text
    rows = _table_rows(text, "| Line | Code | Severity | Trigger | Message | Suggestion | Advice |")
    assert [(int(r[0]), r[1], r[2]) for r in rows] == [
        (f.span.line, f.code, f.severity.value) for f in page_findings]
    assert "### docs/binary.md: could not be read" in text
    assert "docs/clean.md" not in text.split("## claimaudit report")[1].split("|")[0]


def test_markdown_cells_neutralise_untrusted_text():
    escaped = cell("<script>alert(1)</script> | ask @reviewer [x](javascript:1)\nnext")
    assert "<script>" not in escaped and "\n" not in escaped
    assert " | " not in escaped.replace("\\|", "")
    assert "@reviewer" not in escaped
    assert "\\[x\\]" in escaped


def test_markdown_report_contains_no_raw_markup(make_result):
    text = render(make_result())
    assert "<script>" not in text and "<b>" not in text
