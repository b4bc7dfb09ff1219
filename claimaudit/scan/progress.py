"""The progress bar on stderr: pages done/total, pages/s, errors and skipped pages apart, ETA."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from claimaudit.scan.store import Progress


def progress_enabled(choice: bool | None, stream: TextIO | None = None) -> bool:
    """--progress forces the bar, --no-progress hides it; by default only on a terminal."""
    if choice is not None:
        return choice
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


class ProgressBar:
    """A tqdm bar whose total grows as a crawl discovers pages. A no-op when disabled."""

    def __init__(self, *, enabled: bool, initial: Progress, stream: TextIO | None = None) -> None:
        self._bar: Any = None
        if not enabled:
            return
        from tqdm import tqdm

        self._bar = tqdm(
            total=initial.total,
            initial=initial.done,
            unit="page",
            file=stream or sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} pages "
            "[{elapsed}<{remaining}, {rate_fmt}{postfix}]",
        )
        self._bar.set_postfix(errors=initial.errors, skipped=initial.skipped, refresh=False)

    def update(self, progress: Progress) -> None:
        bar = self._bar
        if bar is None:
            return
        if progress.total != bar.total:
            bar.total = progress.total
        bar.set_postfix(errors=progress.errors, skipped=progress.skipped, refresh=False)
        bar.update(progress.done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
