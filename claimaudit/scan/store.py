"""The durable results store: one SQLite file (WAL) holding runs, pages and the frontier.

Each page is committed in one transaction together with its frontier entry, so a run
killed at any instant resumes without losing or repeating a page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from claimaudit.errors import InputError, UsageError
from claimaudit.scan.model import PageRecord, Task, TaskKind

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',      -- running | finished
    args TEXT NOT NULL,                           -- JSON of the scan options
    kb_version TEXT NOT NULL DEFAULT '',
    kb_hash TEXT NOT NULL DEFAULT '',
    tool_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,                            -- normalised URL or file path
    kind TEXT NOT NULL,
    final_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'skipped')),
    reason TEXT NOT NULL DEFAULT '',
    http_status INTEGER,
    fetched_at TEXT NOT NULL DEFAULT '',
    fetch_ms INTEGER,
    bytes INTEGER,
    content_type TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    redirects TEXT NOT NULL DEFAULT '[]',
    media_type TEXT NOT NULL DEFAULT '',
    extractor TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',                -- the audited text: finding offsets index into it
    findings_json TEXT NOT NULL DEFAULT '[]',
    n_findings INTEGER NOT NULL DEFAULT 0,
    n_error INTEGER NOT NULL DEFAULT 0,
    n_warning INTEGER NOT NULL DEFAULT 0,
    n_info INTEGER NOT NULL DEFAULT 0,
    kb_version TEXT NOT NULL DEFAULT '',
    audit_ms INTEGER,
    UNIQUE (run_id, url)
);
CREATE TABLE IF NOT EXISTS frontier (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,
    follow INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',        -- pending | done
    seq INTEGER NOT NULL,
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier (run_id, state, seq);
"""


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started: str
    finished: str | None
    status: str
    args: dict[str, Any]
    kb_version: str
    kb_hash: str
    tool_version: str


@dataclass(frozen=True, slots=True)
class Progress:
    done: int  # pages recorded
    total: int  # pages known (recorded + pending), sitemaps excluded
    errors: int  # pages that failed (status error); skipped pages are not errors
    skipped: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ScanStore:
    """All reads and writes of the results database. Use from one thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a killed process never loses a committed page;
            # only a power cut may drop the last commits (which a resume redoes).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path}: not a claimaudit scan database ({error})") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        elif int(row[0]) != SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: scan database schema {row[0]}, this claimaudit reads {SCHEMA_VERSION}"
            )

    # -- runs -----------------------------------------------------------------------------

    def create_run(self, args: dict[str, Any], tool_version: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO runs (started, args, tool_version) VALUES (?, ?, ?)",
            (_now(), json.dumps(args, sort_keys=True), tool_version),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def run(self, run_id: int | None = None) -> RunInfo:
        """A run by id, or the latest one. Raises UsageError when there is none."""
        if run_id is None:
            row = self._db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        else:
            row = self._db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            which = "no runs" if run_id is None else f"no run {run_id}"
            raise UsageError(f"{self.path}: {which} in this database")
        return RunInfo(
            id=row["id"],
            started=row["started"],
            finished=row["finished"],
            status=row["status"],
            args=json.loads(row["args"]),
            kb_version=row["kb_version"],
            kb_hash=row["kb_hash"],
            tool_version=row["tool_version"],
        )

    def runs(self) -> list[RunInfo]:
        ids = [row[0] for row in self._db.execute("SELECT id FROM runs ORDER BY id")]
        return [self.run(run_id) for run_id in ids]

    def set_kb(self, run_id: int, kb_version: str, kb_hash: str) -> None:
        self._db.execute(
            "UPDATE runs SET kb_version=?, kb_hash=? WHERE id=?", (kb_version, kb_hash, run_id)
        )

    def reopen_run(self, run_id: int) -> None:
        self._db.execute("UPDATE runs SET status='running', finished=NULL WHERE id=?", (run_id,))

    def finish_run(self, run_id: int) -> None:
        self._db.execute(
            "UPDATE runs SET status='finished', finished=? WHERE id=?", (_now(), run_id)
        )

    # -- frontier -------------------------------------------------------------------------

    def add_tasks(self, run_id: int, tasks: Iterable[Task], *, max_pages: int | None) -> int:
        """Queue tasks not seen before in this run, admitting pages up to `max_pages`."""
        with self._transaction():
            return self._add_tasks(run_id, tasks, max_pages)

    def _add_tasks(self, run_id: int, tasks: Iterable[Task], max_pages: int | None) -> int:
        pages = int(
            self._db.execute(
                "SELECT COUNT(*) FROM frontier WHERE run_id=? AND kind != ?",
                (run_id, TaskKind.SITEMAP.value),
            ).fetchone()[0]
        )
        seq = self._max_seq(run_id)
        added = 0
        for task in tasks:
            is_page = task.kind is not TaskKind.SITEMAP
            if is_page and max_pages is not None and pages >= max_pages:
                continue
            seq += 1
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO frontier (run_id, url, kind, depth, follow, seq) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, task.key, task.kind.value, task.depth, int(task.follow), seq),
            )
            if cursor.rowcount:
                added += 1
                pages += int(is_page)
        return added

    def pending(self, run_id: int, *, limit: int, exclude: set[str]) -> list[Task]:
        """The oldest pending tasks not already in flight (sitemaps first)."""
        rows = self._db.execute(
            "SELECT url, kind, depth, follow FROM frontier WHERE run_id=? AND state='pending' "
            "ORDER BY kind != 'sitemap', seq LIMIT ?",
            (run_id, limit + len(exclude)),
        ).fetchall()
        tasks = [
            Task(row["url"], TaskKind(row["kind"]), row["depth"], bool(row["follow"]))
            for row in rows
            if row["url"] not in exclude
        ]
        return tasks[:limit]

    def has_pending(self, run_id: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM frontier WHERE run_id=? AND state='pending' LIMIT 1", (run_id,)
        ).fetchone()
        return row is not None

    def complete_sitemap(
        self, run_id: int, key: str, children: Iterable[Task], *, max_pages: int | None
    ) -> None:
        """Mark a sitemap done and queue what it lists, in one transaction."""
        with self._transaction():
            self._add_tasks(run_id, children, max_pages)
            self._db.execute(
                "UPDATE frontier SET state='done' WHERE run_id=? AND url=?", (run_id, key)
            )

    # -- pages ----------------------------------------------------------------------------

    def record_page(
        self,
        run_id: int,
        record: PageRecord,
        *,
        aliases: Iterable[Task] = (),
    ) -> None:
        """Store one page and close its frontier entry, atomically.

        `aliases` (the final URL of a redirect chain) are marked done in the same
        transaction, queued or not, so they are not fetched again.
        """
        with self._transaction():
            self._db.execute(
                "INSERT INTO pages (run_id, url, kind, final_url, status, reason, http_status, "
                "fetched_at, fetch_ms, bytes, content_type, encoding, redirects, media_type, "
                "extractor, text, findings_json, n_findings, n_error, n_warning, n_info, "
                "kb_version, audit_ms) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    record.key,
                    record.kind.value,
                    record.final_url,
                    record.status.value,
                    record.reason,
                    record.http_status,
                    record.fetched_at,
                    record.fetch_ms,
                    record.bytes,
                    record.content_type,
                    record.encoding,
                    json.dumps(list(record.redirects)),
                    record.media_type,
                    record.extractor,
                    record.text,
                    record.findings_json,
                    record.n_findings,
                    record.count("error"),
                    record.count("warning"),
                    record.count("info"),
                    record.kb_version,
                    record.audit_ms,
                ),
            )
            self._db.execute(
                "UPDATE frontier SET state='done' WHERE run_id=? AND url=?", (run_id, record.key)
            )
            seq = self._max_seq(run_id)
            for alias in aliases:
                seq += 1
                self._db.execute(
                    "INSERT INTO frontier (run_id, url, kind, depth, follow, state, seq) "
                    "VALUES (?, ?, ?, ?, ?, 'done', ?) "
                    "ON CONFLICT (run_id, url) DO UPDATE SET state='done'",
                    (run_id, alias.key, alias.kind.value, alias.depth, int(alias.follow), seq),
                )

    def progress(self, run_id: int) -> Progress:
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(status = 'error'), 0), COALESCE(SUM(status = 'skipped'), 0) "
            "FROM pages WHERE run_id=?",
            (run_id,),
        ).fetchone()
        pending = self._db.execute(
            "SELECT COUNT(*) FROM frontier WHERE run_id=? AND state='pending' AND kind != ?",
            (run_id, TaskKind.SITEMAP.value),
        ).fetchone()[0]
        return Progress(done=int(row[0]), total=int(row[0]) + int(pending), errors=int(row[1]),
                        skipped=int(row[2]))

    def pages(self, run_id: int) -> Iterator[sqlite3.Row]:
        """Every stored page of a run, in URL order."""
        yield from self._db.execute("SELECT * FROM pages WHERE run_id=? ORDER BY url", (run_id,))

    def page_count(self, run_id: int) -> int:
        return int(
            self._db.execute("SELECT COUNT(*) FROM pages WHERE run_id=?", (run_id,)).fetchone()[0]
        )

    # -- helpers --------------------------------------------------------------------------

    def _max_seq(self, run_id: int) -> int:
        row = self._db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM frontier WHERE run_id=?", (run_id,)
        ).fetchone()
        return int(row[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
