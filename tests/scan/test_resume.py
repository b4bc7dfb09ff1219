"""kill -9 in the middle of a real `claimaudit scan`, then --resume: no page lost, none twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import fakes
from .site_server import RunningSite

EXPECTED_PAGES = 17  # see test_engine.EXPECTED_CRAWL


def _env() -> dict[str, str]:
    """PYTHONPATH so the subprocess can import this test package's fake auditor."""
    root = Path(fakes.__file__).resolve().parents[len(fakes.__name__.split(".")) - 1]
    paths = [str(root), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _stored(db: Path) -> list[tuple[str, int]]:
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        try:
            return connection.execute(
                "SELECT url, COUNT(*) FROM pages WHERE run_id=1 GROUP BY url"
            ).fetchall()
        except sqlite3.OperationalError:  # tables not created yet
            return []


@pytest.mark.slow
def test_resume_after_kill_9_loses_no_page_and_duplicates_none(
    tmp_path: Path, site: RunningSite
) -> None:
    db = tmp_path / "run.db"
    command = [
        sys.executable,
        "-m",
        "claimaudit",
        "scan",
        "--crawl",
        site.url("/"),
        "--out",
        str(db),
        "--audit-factory",
        f"{fakes.__name__}:fake_factory",
        "--rate",
        "8",
        "--timeout",
        "0.5",
        "--retries",
        "1",
        "--backoff",
        "0.01",
        "--max-bytes",
        "200000",
        "--jobs",
        "2",
        "--batch-size",
        "2",
        "--no-progress",
    ]
    process = subprocess.Popen(
        command,
        env=_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    try:
        while len(_stored(db)) < 4:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "scan stored nothing within 60 s"
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the scan and its worker processes
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
    before = dict(_stored(db))
    assert 4 <= len(before) < EXPECTED_PAGES, "the kill must land mid-scan"
    requests_before = len(site.state.requests)

    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimaudit",
            "scan",
            "--resume",
            "--out",
            str(db),
            "--no-progress",
            "--jobs",
            "2",
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert resumed.returncode == 1, resumed.stderr  # findings at warning or above
    assert f"Scanned {EXPECTED_PAGES} pages" in resumed.stdout
    after = dict(_stored(db))
    assert len(after) == EXPECTED_PAGES
    assert set(after.values()) == {1}
    assert set(before) <= set(after)
    # pages stored before the kill were not fetched again
    again = [path for path in site.state.requests[requests_before:] if site.url(path) in before]
    assert again == []
    with sqlite3.connect(db) as connection:
        (status,) = connection.execute("SELECT status FROM runs WHERE id=1").fetchone()
        (pending,) = connection.execute(
            "SELECT COUNT(*) FROM frontier WHERE run_id=1 AND state='pending'"
        ).fetchone()
    assert (status, pending) == ("finished", 0)
