"""`frozen_heap`: a batch's full collections skip what existed when it started, and the
collector is as it was after the batch."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from claimaudit.heap import frozen_heap
from claimaudit.ingest.source import SourceDocument
from claimaudit.result import DocumentResult
from tests.commands.test_check import FakeAuditor, fake, run, write  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()  # whatever froze before this test does not decide its outcome
    yield
    gc.unfreeze()


def test_objects_alive_at_the_start_are_frozen_for_the_block_only() -> None:
    before = [object() for _ in range(10)]
    with frozen_heap():
        assert gc.get_freeze_count() >= len(before)
        inside = gc.get_freeze_count()
        made_inside = [[] for _ in range(50)]
        assert gc.get_freeze_count() == inside  # what the block creates stays collectable
    assert gc.get_freeze_count() == 0
    assert made_inside and before


def test_a_heap_frozen_already_stays_frozen_and_what_came_since_is_frozen_too() -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    since = [[] for _ in range(50)]
    with frozen_heap():
        assert gc.get_freeze_count() >= frozen + len(since)
    assert gc.get_freeze_count() >= frozen + len(since)


def test_unfreezes_when_the_block_raises() -> None:
    with pytest.raises(ValueError), frozen_heap():
        raise ValueError("stop")
    assert gc.get_freeze_count() == 0


class _RecordingAuditor(FakeAuditor):
    freeze_counts: list[int] = []

    def audit_sources(self, sources: Iterable[SourceDocument]) -> Iterator[DocumentResult]:
        for result in super().audit_sources(sources):
            _RecordingAuditor.freeze_counts.append(gc.get_freeze_count())
            yield result


def test_check_in_one_process_audits_with_the_heap_frozen(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import claimaudit.audit

    monkeypatch.setattr(claimaudit.audit, "Auditor", _RecordingAuditor)
    _RecordingAuditor.freeze_counts = []
    for index in range(3):
        write(fake / "pages" / f"p{index}.md", "Ketamine works for everyone.\n")
    result = run("pages", "-j", "1", "--format", "json")
    assert result.exit_code == 1, result.output
    assert len(_RecordingAuditor.freeze_counts) == 3 and min(_RecordingAuditor.freeze_counts) > 0
    assert gc.get_freeze_count() == 0
