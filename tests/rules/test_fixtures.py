"""Run each rule's fixture file through the real auditor.

A line ending `<!-- expect: CODE -->` must produce a CODE finding on that line; a line ending
`<!-- ok -->` must produce none of the fixture's rule. Other lines are context.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.md"))
EXPECT = re.compile(r"<!--\s*expect:\s*([A-Z]+\d{3}(?:\s*,\s*[A-Z]+\d{3})*)\s*-->")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_lines(path: Path, auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_source

    code = path.stem
    result = auditor.audit_source(read_source(path))
    assert result.error is None, result.error
    lines_with = {f.span.line for f in result.findings if f.code == code}
    document_level = any(f.code == code and f.omits for f in result.findings)
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        expected = EXPECT.search(line)
        if expected and code in expected.group(1) and number not in lines_with and not document_level:
            problems.append(f"line {number}: expected {code}: {line.strip()[:80]}")
        if "<!-- ok -->" in line and number in lines_with:
            problems.append(f"line {number}: unexpected {code}: {line.strip()[:80]}")
    assert not problems, "\n".join(problems)
