"""`check -j N` and the streamed reports: the same bytes and exit code as one process and as
rendering the collected result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.cli import main
from claimaudit.commands.check import CheckRequest, render_outcome, run_check
from tests.commands.test_check import fake, run, write  # noqa: F401  (fixture)

PHRASES = ("Ketamine works for everyone.", "It rewires the brain.", "Proven safe for all.",
           "Ketamine may help some people.", "Book now!")


def _folder(root: Path, count: int = 21) -> None:
    for index in range(count):
        lines = [f"# Page {index}", ""] + [PHRASES[(index + k) % len(PHRASES)] for k in range(index % 4)]
        if index == 5:
            lines.append("Ketamine works for everyone.  <!-- claimaudit: disable=EVI001 -->")
        write(root / "pages" / f"p{index:02d}.md", "\n".join(lines) + "\n")
    (root / "pages" / "p07.md").write_bytes(b"\x00\x01binary\x00")  # unreadable: IN1xx, exit 2


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "csv", "github"])
def test_jobs_give_the_output_and_exit_code_of_one_process(fake: Path, output_format: str) -> None:  # noqa: F811
    _folder(fake)
    one = run("pages", "--format", output_format, "-j", "1")
    assert one.exit_code == 2 and one.output
    for jobs in ("2", "3", "0"):
        many = run("pages", "--format", output_format, "-j", jobs)
        assert (many.exit_code, many.output) == (one.exit_code, one.output), jobs


@pytest.mark.parametrize("options", [(), ("-v",), ("-q",)])
def test_streamed_text_and_json_equal_the_rendered_result(fake: Path, options: tuple[str, ...]) -> None:  # noqa: F811
    _folder(fake)
    outcome = run_check(CheckRequest(paths=("pages",)))
    verbose, quiet = "-v" in options, "-q" in options
    for output_format in ("text", "json", "sarif"):
        expected = render_outcome(outcome, output_format, verbose=verbose, quiet=quiet)
        assert run("pages", "--format", output_format, "-j", "2", *options).output == expected


def test_streamed_json_of_no_documents_and_to_a_file(fake: Path) -> None:  # noqa: F811
    write(fake / "empty" / "notes.bin", "x")
    result = run("empty", "--format", "json", "--no-config")
    assert result.exit_code == 0
    assert json.loads(result.output)["documents"] == [] and result.output.endswith("[]\n}\n")
    _folder(fake)
    to_file = run("pages", "--format", "json", "-o", "report.json", "-j", "2")
    assert to_file.output == "" and to_file.exit_code == 2
    assert (fake / "report.json").read_text(encoding="utf-8") == run("pages", "--format", "json").output


def test_real_auditor_in_two_processes_matches_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    texts = [
        "Ketamine is a proven cure for depression with no side effects.",
        "Spravato is FDA approved for treatment-resistant depression.",
        "In a 2016 trial, 70% of patients improved within 24 hours.",
        "Ketamine rewires the brain and the benefits last for years.",
        "Our clinic offers infusions; results may vary.",
    ]
    for index in range(10):
        write(tmp_path / "d" / f"{index}.txt", f"{texts[index % 5]} {texts[(index * 2 + 1) % 5]}\n")
    runner = CliRunner()
    one = runner.invoke(main, ["check", "d", "--format", "json", "--no-config", "-j", "1"])
    two = runner.invoke(main, ["check", "d", "--format", "json", "--no-config", "-j", "2"])
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.output)["summary"]["findings"] > 0
    assert two.output == one.output


@pytest.mark.parametrize("options", [("--format", "text", "-v"), ("--format", "text", "-q"), ("--format", "json"),
                                     ("--format", "sarif")])
def test_real_reports_rendered_in_workers_equal_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            options: tuple[str, ...]) -> None:
    """Pages of varied sizes (tasks of several pages, pages alone, a tail of single pages) and
    an unreadable one: every report of -j 2 and -j 3 is the bytes and exit code of -j 1."""
    monkeypatch.chdir(tmp_path)
    sentences = [
        "Ketamine is a proven cure for depression with no side effects.",
        "Spravato is FDA approved for treatment-resistant depression.",
        "In a 2016 trial, 70% of patients improved within 24 hours.",
        "Ketamine rewires the brain and the benefits last for years.",
        "Our clinic offers infusions; results may vary.",
        "Esketamine nasal spray works in minutes for everyone.",
    ]
    for index in range(30):
        body = " ".join(sentences[(index + k) % len(sentences)] for k in range(1 + (index * 7) % 11))
        write(tmp_path / "site" / f"page{index:02d}.md", f"# Page {index}\n\n{body}\n")
    (tmp_path / "site" / "page13.md").write_bytes(b"\x00\x01binary\x00")
    runner = CliRunner()
    one = runner.invoke(main, ["check", "site", "--no-config", "-j", "1", *options])
    assert one.exit_code == 2 and one.output
    for jobs in ("2", "3"):
        many = runner.invoke(main, ["check", "site", "--no-config", "-j", jobs, *options])
        assert (many.exit_code, many.output) == (one.exit_code, one.output), jobs
