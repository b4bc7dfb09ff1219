"""`claimaudit scan` and `claimaudit scan report` through click's CliRunner."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimaudit.cli import main

from . import fakes

FAKE = ["--audit-factory", f"{fakes.__name__}:fake_factory"]


def _docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("Ketamine has no side effects.\n", encoding="utf-8")
    (docs / "b.md").write_text("Ask your doctor about the risks.\n", encoding="utf-8")
    return docs


def test_cli_scan_files_stores_results_and_exits_1_on_findings(tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    result = CliRunner().invoke(
        main, ["scan", str(_docs(tmp_path)), "--out", str(db), "--jobs", "1", *FAKE]
    )
    assert result.exit_code == 1, result.output
    assert "Scanned 2 pages" in result.stdout
    assert "2 ok, 0 errors, 0 skipped" in result.stdout
    assert "Findings: 1 error, 0 warning, 0 info" in result.stdout
    assert f"Results: {db} (run 1)" in result.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM pages").fetchone() == (2,)
        assert connection.execute("SELECT kb_version, status FROM runs").fetchone() == (
            "fake-1",
            "finished",
        )


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("error", 1), ("warning", 1)])
def test_cli_scan_fail_on_sets_exit_code(tmp_path: Path, fail_on: str, code: int) -> None:
    result = CliRunner().invoke(
        main,
        [
            "scan",
            str(_docs(tmp_path)),
            "--out",
            str(tmp_path / "r.db"),
            "--jobs",
            "1",
            "--fail-on",
            fail_on,
            *FAKE,
        ],
    )
    assert result.exit_code == code, result.output


def test_cli_scan_second_run_appends_to_the_database(tmp_path: Path) -> None:
    docs, db = _docs(tmp_path), tmp_path / "run.db"
    for _ in range(2):
        CliRunner().invoke(main, ["scan", str(docs), "--out", str(db), "--jobs", "1", *FAKE])
    with sqlite3.connect(db) as connection:
        assert connection.execute(
            "SELECT run_id, COUNT(*) FROM pages GROUP BY run_id"
        ).fetchall() == [
            (1, 2),
            (2, 2),
        ]


def test_cli_scan_report_regenerates_site_report(tmp_path: Path) -> None:
    db, out = tmp_path / "run.db", tmp_path / "report"
    CliRunner().invoke(main, ["scan", str(_docs(tmp_path)), "--out", str(db), "--jobs", "1", *FAKE])
    result = CliRunner().invoke(main, ["scan", "report", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Report: {out / 'index.html'} (2 page reports)"
    with (out / "pages.csv").open(encoding="utf-8") as handle:
        pages = list(csv.DictReader(handle))
    assert sorted(Path(p["url"]).name for p in pages) == ["a.md", "b.md"]
    assert all((out / p["report"]).is_file() for p in pages)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            "# clinic pages\nhttp://127.0.0.1:9/a\n\nnot a url\n",
            ":4: not an http(s) URL: 'not a url'",
        ),
        ("# only comments\n\n", "no URLs in the file"),
    ],
)
def test_cli_scan_bad_url_list_names_file_and_line(
    tmp_path: Path, lines: str, message: str
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(lines, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["scan", "--urls", str(urls), "--out", str(tmp_path / "r.db")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("US100 ")
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "US100 nothing to scan: give paths, --urls, --sitemap or --crawl"),
        (["--crawl", "ftp://x.example/"], "US100 --crawl 'ftp://x.example/': not an http(s) URL"),
        (
            ["--sitemap", "http://127.0.0.1:9/s.xml", "--scheduler", "tcp://127.0.0.1:9"],
            "US100 --scheduler needs --engine dask",
        ),
        (["--run-id", "3", "--crawl", "http://127.0.0.1:9/"], "US100 --run-id needs --resume"),
    ],
)
def test_cli_scan_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["scan", *args, "--out", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_cli_scan_resume_refuses_new_sources(tmp_path: Path) -> None:
    docs, db = _docs(tmp_path), tmp_path / "run.db"
    CliRunner().invoke(main, ["scan", str(docs), "--out", str(db), "--jobs", "1", *FAKE])
    result = CliRunner().invoke(main, ["scan", str(docs), "--resume", "--out", str(db)])
    assert result.exit_code == 2
    assert "--resume continues a stored run with its own sources; drop PATHS" in result.stderr


def test_cli_scan_resume_of_finished_run_changes_nothing(tmp_path: Path) -> None:
    docs, db = _docs(tmp_path), tmp_path / "run.db"
    CliRunner().invoke(main, ["scan", str(docs), "--out", str(db), "--jobs", "1", *FAKE])
    result = CliRunner().invoke(main, ["scan", "--resume", "--out", str(db), "--jobs", "1"])
    assert "Run 1" in result.stderr and "already finished" in result.stderr
    assert "Scanned 2 pages" in result.stdout
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM pages").fetchone() == (2,)


def test_cli_scan_report_on_missing_run(tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    CliRunner().invoke(main, ["scan", str(_docs(tmp_path)), "--out", str(db), "--jobs", "1", *FAKE])
    result = CliRunner().invoke(
        main, ["scan", "report", str(db), "--out", str(tmp_path / "o"), "--run", "9"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"US100 {db}: no run 9 in this database"


def test_cli_scan_help_mentions_report_subcommand() -> None:
    result = CliRunner().invoke(main, ["scan", "--help"])
    assert result.exit_code == 0
    assert "claimaudit scan report RUN.db --out DIR" in result.output
    assert "--engine [local|dask]" in result.output


@pytest.mark.slow
def test_cli_crawl_with_the_real_auditor_and_site_report(tmp_path: Path, site: Any) -> None:
    import json

    db, out = tmp_path / "run.db", tmp_path / "report"
    result = CliRunner().invoke(
        main,
        [
            "scan",
            "--crawl",
            site.url("/"),
            "--out",
            str(db),
            "--jobs",
            "1",
            "--rate",
            "100",
            "--timeout",
            "0.5",
            "--retries",
            "1",
            "--backoff",
            "0.01",
            "--max-bytes",
            "200000",
            "--report-dir",
            str(out),
            "--no-progress",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "Scanned 17 pages" in result.stdout and "11 ok, 3 errors, 3 skipped" in result.stdout
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        pages = {
            row["url"].replace(site.base, ""): row
            for row in connection.execute("SELECT * FROM pages")
        }
        (kb_version,) = connection.execute("SELECT kb_version FROM runs").fetchone()
    assert kb_version and kb_version != "fake-1"
    for row in pages.values():
        for finding in json.loads(row["findings_json"]):
            assert row["text"][finding["start"] : finding["end"]] == finding["text"]
    home = json.loads(pages["/"]["findings_json"])
    assert any(f["family"] == "REG" and "anxiety" in f["text"] for f in home)
    report = (out / "index.html").read_text(encoding="utf-8")
    assert site.base.split("//")[1] in report and "Worst pages" in report
    page_reports = list((out / "pages").glob("*.html"))
    assert len(page_reports) == 11
    assert all("Content-Security-Policy" in p.read_text(encoding="utf-8") for p in page_reports)
