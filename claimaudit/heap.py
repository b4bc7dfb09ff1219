"""The garbage collector's permanent generation, for a batch that audits many documents.

A built auditor holds about 100,000 tracked objects (spaCy's vocabulary, the knowledge base,
the compiled patterns). They live as long as the batch, yet every full collection the batch
triggers walks them again: about 70 ms each on the corpus of the benchmarks, roughly one per
180 pages. `frozen_heap` moves what exists when the batch starts into the permanent generation
(`gc.freeze`) for the batch's length, so full collections see only what the batch creates.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Freeze the objects alive now for the block; unfreeze them after it. Where something froze
    objects already (the daemon's warm auditor, a forked worker), it leaves the collector as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_for_life() -> None:
    """For a process that only audits from now until it ends (a scan pool worker whose auditor
    is built): freeze what exists now, for good."""
    gc.freeze()
