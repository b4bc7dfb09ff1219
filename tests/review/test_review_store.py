"""The review store: an append-only decision trail, current decisions, drafts per document."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimaudit.review.model import Decision, ReviewError, Status
from claimaudit.review.store import ReviewStore


def _decision(fingerprint: str = "aa:0", status: Status = Status.DISMISSED, reason: str = "quoted label",
              reviewer: str = "maria", document: str = "page.md") -> Decision:
    finding = {"code": "SAFE001", "text": "proven safe", "line": 3, "path": document, "fingerprint": fingerprint}
    return Decision(fingerprint=fingerprint, document=document, status=status, reason=reason, reviewer=reviewer,
                    decided_at="", kb_version="core@1", kb_hash="abc123", finding=finding, root="/repo")


def test_decisions_are_appended_and_the_latest_is_current(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "r.db") as store:
        first = store.decide(_decision(status=Status.ESCALATED, reason=""))
        second = store.decide(_decision(status=Status.DISMISSED, reason="quoted from the label"))
        store.decide(_decision(fingerprint="bb:0", status=Status.ACCEPTED, reason="", document="other.md"))
        trail = store.log()
        assert [d.id for d in trail] == [first.id, second.id, second.id + 1]
        assert [d.status for d in store.log(fingerprint="aa:0")] == [Status.ESCALATED, Status.DISMISSED]
        current = store.current(document="page.md")
        assert list(current) == ["aa:0"]
        assert current["aa:0"].status is Status.DISMISSED
        assert current["aa:0"].reason == "quoted from the label"
        assert current["aa:0"].finding["text"] == "proven safe"  # the finding as it was
        assert current["aa:0"].kb_hash == "abc123" and current["aa:0"].decided_at.endswith("+00:00")
        assert set(store.current()) == {"aa:0", "bb:0"}
    # the trail survives reopening the file
    with ReviewStore(tmp_path / "r.db") as store:
        assert len(store.log()) == 3


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (_decision(status=Status.DISMISSED, reason="  "), "RV102"),
        (_decision(reviewer=""), "RV103"),
        (_decision(fingerprint=""), "RV104"),
    ],
)
def test_incomplete_decisions_are_refused(tmp_path: Path, decision: Decision, code: str) -> None:
    with ReviewStore(tmp_path / "r.db") as store:
        with pytest.raises(ReviewError) as caught:
            store.decide(decision)
        assert caught.value.code == code
        assert store.log() == []


def test_unknown_status_is_a_coded_error() -> None:
    with pytest.raises(ReviewError) as caught:
        Status.parse("approved")
    assert caught.value.code == "RV101" and "accepted, dismissed, escalated" in caught.value.message


def test_drafts_are_saved_per_document_newest_first(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "r.db") as store:
        store.save_draft("a.md", "first text", "markdown")
        store.save_draft("b.md", "other", "")
        store.save_draft("a.md", "second text", "markdown")
        assert store.draft("a.md").text == "second text"  # type: ignore[union-attr]
        assert store.draft("missing") is None
        assert sorted(d.document for d in store.drafts()) == ["a.md", "b.md"]
        with pytest.raises(ReviewError):
            store.save_draft(" ", "x")


def test_a_file_that_is_not_a_review_store_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(ReviewError) as caught:
        ReviewStore(bogus)
    assert caught.value.code == "RV105"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('review_schema', '99')")
    with pytest.raises(ReviewError) as caught:
        ReviewStore(other)
    assert caught.value.code == "RV105"


def test_export_uses_the_document_name_and_the_baseline_directory(tmp_path: Path) -> None:
    from claimaudit.gate.baseline import base_fingerprint
    from claimaudit.review.export import export_entries

    # decided in `serve` from /repo, on an upload named "page.md" saved as document "content/page.md"
    finding = {"code": "SAFE001", "text": "It is  proven safe.", "line": 4, "path": "page.md",
               "fingerprint": "0123:1", "message": "m"}
    decision = Decision(fingerprint="0123:1", document="content/page.md", status=Status.DISMISSED, reason="r",
                        reviewer="a", decided_at="t", kb_version="", kb_hash="", finding=finding, root="/repo")
    [entry] = export_entries([decision], Path("/repo"))
    assert entry["path"] == "content/page.md"
    assert entry["fingerprint"] == base_fingerprint("content/page.md", "SAFE001", "it is proven safe.") + ":1"
    [nested] = export_entries([decision], Path("/repo/ci"))
    assert nested["path"] == "../content/page.md"
    assert export_entries([decision], Path("/repo"), (Status.ACCEPTED,)) == []
