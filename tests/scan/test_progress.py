"""The progress bar: only on a terminal unless forced; shows done/total, rate and errors."""

from __future__ import annotations

import io

import pytest

from claimaudit.scan.progress import ProgressBar, progress_enabled
from claimaudit.scan.store import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "stream", "expected"),
    [
        (None, io.StringIO(), False),  # piped or redirected: no bar
        (None, _Terminal(), True),
        (True, io.StringIO(), True),  # --progress forces it
        (False, _Terminal(), False),  # --no-progress hides it
    ],
)
def test_progress_enabled(choice: bool | None, stream: io.StringIO, expected: bool) -> None:
    assert progress_enabled(choice, stream) is expected


def test_progress_bar_grows_total_and_counts_errors() -> None:
    stream = io.StringIO()
    bar = ProgressBar(enabled=True, initial=Progress(done=2, total=5, errors=0), stream=stream)
    bar.update(Progress(done=4, total=9, errors=1))
    bar.close()
    last = stream.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert "4/9 pages" in last
    assert "errors=1" in last
    assert "page/s" in last or "s/page" in last


def test_progress_bar_disabled_writes_nothing() -> None:
    stream = io.StringIO()
    bar = ProgressBar(enabled=False, initial=Progress(0, 3, 0), stream=stream)
    bar.update(Progress(3, 3, 0))
    bar.close()
    assert stream.getvalue() == ""
