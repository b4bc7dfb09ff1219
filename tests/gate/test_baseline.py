import json
from pathlib import Path

import pytest

from claimaudit.gate.baseline import (
    BaselineError,
    build_baseline,
    dump_baseline,
    filter_baselined,
    load_baseline,
    normalize_text,
    stamp_fingerprints,
)
from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.ingest import LineIndex


def findings_in(text: str, needle: str, code: str = "SAFE001") -> list[Finding]:
    lines, found, start = LineIndex.of(text), [], text.find(needle)
    while start >= 0:
        end = start + len(needle)
        span = SourceSpan(start, end, *lines.line_column(start), *lines.line_column(end))
        found.append(Finding(code, Family.SAFE, Severity.ERROR, span, text[start:end], "absolute safety"))
        start = text.find(needle, end)
    return found


def test_normalize_text_lowercases_and_collapses_whitespace():
    assert normalize_text("  Ketamine is\n  SAFE. ") == "ketamine is safe."


def test_fingerprints_survive_edits_elsewhere_in_the_file(tmp_path: Path):
    page = str(tmp_path / "docs" / "page.md")
    before = "Ketamine is safe.\n"
    after = "# New heading\n\nA new paragraph.\n\nKetamine  is\nSAFE.\n"
    first = stamp_fingerprints(findings_in(before, "Ketamine is safe"), page, tmp_path)
    second = stamp_fingerprints(findings_in(after, "Ketamine  is\nSAFE"), page, tmp_path)
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    assert first[0].fingerprint.endswith(":0")


def test_fingerprints_depend_on_path_relative_to_the_base_and_code(tmp_path: Path):
    text = "Ketamine is safe.\n"
    here = stamp_fingerprints(findings_in(text, "safe"), str(tmp_path / "a.md"), tmp_path)
    moved = stamp_fingerprints(findings_in(text, "safe"), str(tmp_path / "sub" / "a.md"), tmp_path)
    other = stamp_fingerprints(findings_in(text, "safe", code="SAFE002"), str(tmp_path / "a.md"), tmp_path)
    assert len({here[0].fingerprint, moved[0].fingerprint, other[0].fingerprint}) == 3
    relocated = stamp_fingerprints(findings_in(text, "safe"), str(tmp_path / "x" / "a.md"), tmp_path / "x")
    assert relocated[0].fingerprint == here[0].fingerprint  # same relative path, same fingerprint


def test_duplicates_get_occurrence_indices_and_a_new_copy_is_new(tmp_path: Path):
    page = str(tmp_path / "page.md")
    old = stamp_fingerprints(findings_in("Safe. Safe.\n", "Safe"), page, tmp_path)
    assert [f.fingerprint.rsplit(":", 1)[1] for f in old] == ["0", "1"]
    baseline = build_baseline([(page, old)], tmp_path)
    new = stamp_fingerprints(findings_in("Safe. Safe. Safe.\n", "Safe"), page, tmp_path)
    kept, dropped = filter_baselined(new, baseline)
    assert dropped == 2 and [f.span.start for f in kept] == [12]


def test_baseline_file_round_trip(tmp_path: Path):
    page = str(tmp_path / "docs" / "page.md")
    stamped = stamp_fingerprints(findings_in("Ketamine is safe.\n", "safe"), page, tmp_path)
    path = tmp_path / ".claimaudit-baseline.json"
    path.write_text(dump_baseline(build_baseline([(page, stamped)], tmp_path), "0.1.0"), encoding="utf-8")
    data = json.loads(path.read_text("utf-8"))
    assert data["tool"] == "claimaudit" and data["version"] == 1
    assert data["findings"][0]["path"] == "docs/page.md"
    loaded = load_baseline(path)
    assert loaded.base_dir == tmp_path and loaded.fingerprints == {stamped[0].fingerprint}
    assert filter_baselined(stamped, loaded) == ((), 1)


@pytest.mark.parametrize(("content", "code", "message"), [
    ("{not json", "BL102", "baseline is not valid JSON"),
    ('{"tool": "other", "findings": []}', "BL102", "not a claimaudit baseline"),
    ('{"tool": "claimaudit", "version": 9, "findings": []}', "BL102", "unsupported baseline version 9"),
    ('{"tool": "claimaudit", "version": 1, "findings": [{"path": "x"}]}', "BL102", "/findings/0: expected an object"),
])
def test_bad_baseline_files_are_clear_errors(tmp_path: Path, content, code, message):
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert caught.value.code == code and message in caught.value.message
    assert caught.value.exit_code == 2


def test_missing_baseline_file(tmp_path: Path):
    with pytest.raises(BaselineError) as caught:
        load_baseline(tmp_path / "none.json")
    assert caught.value.format_message() == f"BL101 {tmp_path / 'none.json'}: cannot read baseline: No such file or directory"
