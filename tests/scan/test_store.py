"""The SQLite store: atomic page records, frontier admission, resumable state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimaudit.errors import InputError, UsageError
from claimaudit.scan.model import PageRecord, PageStatus, Task, TaskKind
from claimaudit.scan.store import ScanStore


def _page(key: str, status: PageStatus = PageStatus.OK, **extra: object) -> PageRecord:
    return PageRecord(key=key, kind=TaskKind.PAGE, status=status, **extra)  # type: ignore[arg-type]


def test_store_uses_wal_and_records_run(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({"urls": ["http://a.example/"]}, "0.1.0")
        store.set_kb(run_id, "2025.1", "abc")
        run = store.run()
        assert (run.id, run.status, run.kb_version, run.kb_hash) == (
            run_id,
            "running",
            "2025.1",
            "abc",
        )
        assert run.args == {"urls": ["http://a.example/"]}
    mode = sqlite3.connect(tmp_path / "run.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_record_page_closes_frontier_entry_atomically(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        store.add_tasks(run_id, [Task("http://a.example/", TaskKind.PAGE)], max_pages=None)
        assert [t.key for t in store.pending(run_id, limit=10, exclude=set())] == [
            "http://a.example/"
        ]
        store.record_page(
            run_id,
            _page(
                "http://a.example/",
                counts=(("error", 2), ("info", 1)),
                final_url="http://a.example/home",
            ),
            aliases=[Task("http://a.example/home", TaskKind.PAGE)],
        )
        assert store.pending(run_id, limit=10, exclude=set()) == []
        # the redirect target is known and done: discovering it again queues nothing
        assert (
            store.add_tasks(run_id, [Task("http://a.example/home", TaskKind.PAGE)], max_pages=None)
            == 0
        )
        row = next(store.pages(run_id))
        assert (row["n_findings"], row["n_error"], row["n_info"]) == (3, 2, 1)


def test_store_refuses_a_duplicate_page_and_rolls_back(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        store.add_tasks(
            run_id, [Task("u1", TaskKind.FILE), Task("u2", TaskKind.FILE)], max_pages=None
        )
        store.record_page(run_id, _page("u1"))
        with pytest.raises(sqlite3.IntegrityError):
            store.record_page(run_id, _page("u1", PageStatus.ERROR))
        assert store.page_count(run_id) == 1
        store.record_page(run_id, _page("u2"))  # the store is still usable
        assert store.progress(run_id).done == 2


def test_store_admits_pages_up_to_max_pages_but_always_sitemaps(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        tasks = [Task(f"http://a.example/{n}", TaskKind.PAGE) for n in range(5)]
        assert store.add_tasks(run_id, tasks, max_pages=3) == 3
        assert (
            store.add_tasks(run_id, [Task("http://a.example/s.xml", TaskKind.SITEMAP)], max_pages=3)
            == 1
        )
        pending = store.pending(run_id, limit=10, exclude=set())
        assert pending[0].kind is TaskKind.SITEMAP  # sitemaps first: they expand the frontier
        assert [t.key for t in pending[1:]] == [f"http://a.example/{n}" for n in range(3)]
        assert store.progress(run_id).total == 3


def test_store_pending_skips_in_flight_tasks(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        store.add_tasks(run_id, [Task(str(n), TaskKind.FILE) for n in range(4)], max_pages=None)
        assert [t.key for t in store.pending(run_id, limit=2, exclude={"0", "1"})] == ["2", "3"]


def test_store_complete_sitemap_queues_children_in_the_same_transaction(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        store.add_tasks(run_id, [Task("http://a.example/s.xml", TaskKind.SITEMAP)], max_pages=None)
        store.complete_sitemap(
            run_id,
            "http://a.example/s.xml",
            [Task("http://a.example/p", TaskKind.PAGE)],
            max_pages=None,
        )
        assert [t.key for t in store.pending(run_id, limit=5, exclude=set())] == [
            "http://a.example/p"
        ]


def test_store_rejects_non_database_file(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(InputError, match="not a claimaudit scan database"):
        ScanStore(bogus)


def test_store_run_lookup_errors_name_the_database(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "empty.db") as store:
        with pytest.raises(UsageError, match="empty.db: no runs in this database"):
            store.run()
        with pytest.raises(UsageError, match="no run 7"):
            store.run(7)


def test_store_redirect_target_already_queued_is_closed_with_the_page(tmp_path: Path) -> None:
    with ScanStore(tmp_path / "run.db") as store:
        run_id = store.create_run({}, "0.1.0")
        tasks = [
            Task("http://a.example/old", TaskKind.PAGE),
            Task("http://a.example/new", TaskKind.PAGE),
        ]
        store.add_tasks(run_id, tasks, max_pages=None)
        store.record_page(
            run_id,
            _page("http://a.example/old", final_url="http://a.example/new"),
            aliases=[Task("http://a.example/new", TaskKind.PAGE)],
        )
        assert store.pending(run_id, limit=5, exclude=set()) == []
        assert store.progress(run_id).total == 1
