"""`claimaudit check` on hostile input: every problem is one coded line, never a traceback.

Each test reproduces a crash seen in use; good files in the same run are still reported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.cli import main

CLAIM = "Ketamine is proven safe.\n"


@pytest.fixture
def run(auditor, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Invoke the CLI in-process with the session's real Auditor (built once)."""
    monkeypatch.setattr("claimaudit.audit.Auditor", lambda settings=None: auditor)

    def invoke(*args: str, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, ["check", "--no-config", *args], input=stdin)

    return invoke


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_text_longer_than_spacy_limit_is_audited_with_exact_offsets(run, auditor, tmp_path: Path) -> None:
    filler = "x" * 2000 + "\n\n"
    text = filler * (1_050_000 // len(filler)) + CLAIM
    assert len(text) > auditor.nlp.max_length
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    (tmp_path / "small.md").write_text(CLAIM, encoding="utf-8")
    result = run(str(tmp_path / "small.md"), str(tmp_path / "big.txt"), "--format", "json")
    _no_traceback(result)
    assert result.exit_code == 1  # findings, no error
    import json

    documents = {Path(d["path"]).name: d for d in json.loads(result.output)["documents"]}
    assert documents["big.txt"]["error"] is None
    (safe,) = [f for f in documents["big.txt"]["findings"] if f["code"] == "SAFE001"]
    assert safe["start"] > 1_000_000
    assert text[safe["start"] : safe["end"]] in CLAIM
    assert documents["small.md"]["findings"]


def test_latin1_stdin_is_decoded_like_a_file(run) -> None:
    result = run("-", stdin="Café: ketamine is proven safe.\n".encode("latin-1"))
    _no_traceback(result)
    assert result.exit_code == 1
    assert "Café" in result.output or "SAFE001" in result.output


def test_binary_stdin_is_an_input_error(run) -> None:
    result = run("-", stdin=b"\x00\x01\x02binary\xff\xfe")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "IN101" in result.output


def test_utf16_stdin_with_bom_is_read(run) -> None:
    result = run("-", stdin=CLAIM.encode("utf-16"))
    _no_traceback(result)
    assert result.exit_code == 1 and "SAFE001" in result.output


def test_non_utf8_file_name_in_a_walked_directory(run, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.md")
    (folder / name).write_text(CLAIM, encoding="utf-8")
    for output_format in ("text", "json", "sarif", "junit", "csv", "github"):
        result = run(str(folder), "--format", output_format)
        _no_traceback(result)
        assert result.exit_code == 1, (output_format, result.output)
        shown = "caf%EF%BF%BD.md" if output_format == "sarif" else "caf\ufffd.md"  # SARIF: a URI
        assert shown in result.output


def test_symlink_loop_in_a_walked_directory(run, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.md").write_text(CLAIM, encoding="utf-8")
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")
    (folder / "self").symlink_to(folder)
    result = run(str(folder))
    _no_traceback(result)
    assert result.exit_code == 2  # the looping names are reported, the good file audited
    assert "IN109" in result.output and "SAFE001" in result.output


def _deny(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Simulate a directory without read/search permission (the tests may run as root)."""
    real_stat, real_scandir = Path.stat, os.scandir

    def stat(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if locked in self.absolute().parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if Path(os.fsdecode(path)).absolute() == locked:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)


def test_explicit_path_in_an_unreadable_directory(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "page.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "good.md").write_text(CLAIM, encoding="utf-8")
    _deny(monkeypatch, locked)
    result = run(str(locked / "page.md"), str(tmp_path / "good.md"))
    _no_traceback(result)
    assert result.exit_code == 2
    assert "IN107" in result.output and "permission denied" in result.output
    assert "good.md" in result.output


def test_unreadable_subdirectory_is_reported_not_skipped(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "site" / "private"
    locked.mkdir(parents=True)
    (locked / "page.md").write_text(CLAIM, encoding="utf-8")
    (tmp_path / "site" / "good.md").write_text(CLAIM, encoding="utf-8")
    _deny(monkeypatch, locked)
    result = run(str(tmp_path / "site"))
    _no_traceback(result)
    assert result.exit_code == 2
    assert "private" in result.output and "IN107" in result.output
    assert "SAFE001" in result.output


def test_non_utf8_configuration_file_is_cf103(run, tmp_path: Path) -> None:
    (tmp_path / ".claimaudit.toml").write_bytes(b'fail_on = "\xff"\n')
    (tmp_path / "page.md").write_text(CLAIM, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "page.md")])
    _no_traceback(result)
    assert result.exit_code == 2
    assert "CF103" in result.output and "not UTF-8" in result.output


def test_ctrl_c_exits_130_not_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import claimaudit.commands.check as check_module

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(check_module, "stream_check", interrupted)
    (tmp_path / "page.md").write_text(CLAIM, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "page.md")])
    assert result.exit_code == 130
    assert "interrupted" in result.output and "Traceback" not in result.output


def test_csv_report_neutralises_formula_cells(run, tmp_path: Path) -> None:
    import csv
    import io

    page = tmp_path / "=cmd|' calc'!A1.md"
    page.write_text("=HYPERLINK(1) Ketamine is proven safe.\n", encoding="utf-8")
    result = run(str(page), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r", value
    assert any(row["text"].startswith("'=HYPERLINK") for row in rows)


def test_junit_fails_only_findings_at_or_above_fail_on(run, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    page = tmp_path / "page.md"
    page.write_text(CLAIM, encoding="utf-8")
    strict = ET.fromstring(run(str(page), "--format", "junit", "--fail-on", "info").output)
    lenient = ET.fromstring(run(str(page), "--format", "junit", "--fail-on", "error",
                                "--severity", "SAFE=warning").output)
    assert int(strict.get("failures")) >= 1
    assert strict.get("tests") == lenient.get("tests")
    assert lenient.get("failures") == "0"  # SAFE001 is only a warning now: reported, not failed
    assert lenient.find(".//system-out") is not None


def test_unknown_jurisdiction_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(CLAIM, encoding="utf-8")
    check = ["check", "--no-config", str(page), "--jurisdiction"]
    result = CliRunner().invoke(main, [*check, "XX"])  # the real Auditor: it checks the codes
    _no_traceback(result)
    assert result.exit_code == 2
    assert "CF106" in result.output and "'XX'" in result.output and "US" in result.output
    assert CliRunner().invoke(main, [*check, "uk,AU"]).exit_code == 1


def test_python_api_reads_docx_like_check(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serve"))
    from serve_fakes import build_docx

    from claimaudit.ingest.docx_runs import read_docx_file
    from claimaudit.ingest.read import read_source

    data = build_docx([("heading", "Ketamine for anxiety"), ("para", "Ketamine is proven safe.")])
    (tmp_path / "draft.docx").write_bytes(data)
    source = read_source(tmp_path / "draft.docx")
    assert source.media_type == "text/plain" and source.encoding == "docx"
    assert source.text == read_docx_file(tmp_path / "draft.docx").text


def test_force_exclude_applies_exclude_to_explicit_files(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".claimaudit.toml").write_text('exclude = ["drafts/*", "*.txt"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    for name in ("drafts/old.md", "notes.txt", "page.md"):
        (tmp_path / name).write_text(CLAIM, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    check = ["check", "drafts/old.md", "notes.txt", "page.md", "--format", "json"]
    import json

    plain = json.loads(CliRunner().invoke(main, check).output)
    forced = json.loads(CliRunner().invoke(main, [*check, "--force-exclude"]).output)
    assert len(plain["documents"]) == 3  # named files are always read ...
    assert [d["path"] for d in forced["documents"]] == ["page.md"]  # ... unless forced


def test_serve_help_names_the_discovered_file() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert ".claimaudit.toml" in result.output
