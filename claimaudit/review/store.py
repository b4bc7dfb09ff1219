"""The review store: one SQLite file holding the decision trail and the drafts under review.

Decisions are appended, never updated or deleted, so the table is the audit trail; the current
decision for a finding is its latest entry. Drafts are saved per document name (the page's
editor keeps them across reloads).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from claimaudit.review.model import Decision, ReviewError, Status, check_decision

SCHEMA_VERSION = 1
DEFAULT_STORE = ".claimaudit-review.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    document TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('accepted', 'dismissed', 'escalated')),
    reason TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    kb_version TEXT NOT NULL DEFAULT '',
    kb_hash TEXT NOT NULL DEFAULT '',
    root TEXT NOT NULL DEFAULT '',
    finding_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS decisions_fingerprint ON decisions (fingerprint, id);
CREATE INDEX IF NOT EXISTS decisions_document ON decisions (document, id);
CREATE TABLE IF NOT EXISTS drafts (
    document TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    format TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Draft:
    """A document's last saved text in the editor page."""

    document: str
    text: str
    format: str
    updated_at: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewStore:
    """SQLite review store (WAL). Safe to share between threads of one process."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as error:
            raise ReviewError(f"{self.path}: not a claimaudit review store ({error})", code="RV105") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'review_schema'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('review_schema', ?)", (str(SCHEMA_VERSION),))
        elif row["value"] != str(SCHEMA_VERSION):
            raise ReviewError(f"{self.path}: review store schema {row['value']} is not supported "
                              f"(expected {SCHEMA_VERSION})", code="RV105")

    # ---- decisions ------------------------------------------------------------------------

    def decide(self, decision: Decision) -> Decision:
        """Append a decision to the trail (RV102-RV104 when it is incomplete); returns it with its id."""
        check_decision(decision.status, decision.reason, decision.reviewer, decision.fingerprint)
        stamped = decision if decision.decided_at else replace(decision, decided_at=now())
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO decisions (fingerprint, document, code, status, reason, reviewer, decided_at,"
                " kb_version, kb_hash, root, finding_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (stamped.fingerprint, stamped.document, stamped.code, stamped.status.value,
                 stamped.reason.strip(), stamped.reviewer.strip(), stamped.decided_at, stamped.kb_version,
                 stamped.kb_hash, stamped.root, json.dumps(dict(stamped.finding), ensure_ascii=False)),
            )
        return replace(stamped, id=int(cursor.lastrowid or 0), reason=stamped.reason.strip(),
                       reviewer=stamped.reviewer.strip())

    def log(self, *, document: str | None = None, fingerprint: str | None = None) -> list[Decision]:
        """Every decision, oldest first (optionally of one document or one finding)."""
        where, args = _filters(document, fingerprint)
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM decisions {where} ORDER BY id", args).fetchall()
        return [_decision(row) for row in rows]

    def current(self, *, document: str | None = None,
                fingerprints: Iterable[str] | None = None) -> dict[str, Decision]:
        """The latest decision per fingerprint (of one document, or of the given fingerprints)."""
        wanted = None if fingerprints is None else set(fingerprints)
        latest: dict[str, Decision] = {}
        for decision in self.log(document=document):
            if wanted is None or decision.fingerprint in wanted:
                latest[decision.fingerprint] = decision
        return latest

    # ---- drafts ---------------------------------------------------------------------------

    def save_draft(self, document: str, text: str, format: str = "") -> Draft:
        if not document.strip():
            raise ReviewError("a draft needs a document name", code="RV106")
        draft = Draft(document.strip(), text, format, now())
        with self._lock:
            self._db.execute(
                "INSERT INTO drafts (document, text, format, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(document) DO UPDATE SET text = excluded.text, format = excluded.format, "
                "updated_at = excluded.updated_at",
                (draft.document, draft.text, draft.format, draft.updated_at),
            )
        return draft

    def draft(self, document: str) -> Draft | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM drafts WHERE document = ?", (document,)).fetchone()
        return None if row is None else Draft(row["document"], row["text"], row["format"], row["updated_at"])

    def drafts(self) -> list[Draft]:
        """Saved drafts, most recently saved first."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM drafts ORDER BY updated_at DESC, rowid DESC").fetchall()
        return [Draft(r["document"], r["text"], r["format"], r["updated_at"]) for r in rows]


def _filters(document: str | None, fingerprint: str | None) -> tuple[str, tuple[Any, ...]]:
    clauses, args = [], []
    if document is not None:
        clauses.append("document = ?")
        args.append(document)
    if fingerprint is not None:
        clauses.append("fingerprint = ?")
        args.append(fingerprint)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(args)


def _decision(row: sqlite3.Row) -> Decision:
    try:
        finding = json.loads(row["finding_json"] or "{}")
    except json.JSONDecodeError:
        finding = {}
    return Decision(
        fingerprint=row["fingerprint"], document=row["document"], status=Status(row["status"]),
        reason=row["reason"], reviewer=row["reviewer"], decided_at=row["decided_at"],
        kb_version=row["kb_version"], kb_hash=row["kb_hash"], finding=finding, root=row["root"],
        id=int(row["id"]),
    )
