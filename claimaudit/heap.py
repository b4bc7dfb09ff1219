"""The garbage collector's permanent generation, for a batch that audits many documents.

A built auditor holds about 100,000 tracked objects (spaCy's vocabulary, the knowledge base,
the compiled patterns). They live as long as the batch, yet every full collection the batch
triggers walks them again: about 70 ms each on the corpus of the benchmarks, roughly one per
180 pages. `frozen_heap` moves what exists when the batch starts into the permanent generation
(`gc.freeze`) for the batch's length, so full collections see only what the batch creates.
A process that only audits until it ends (the daemon, a `serve` or scan worker) freezes its
heap for good instead (`resident.warm.warm_up`, `scan.worker.init_worker`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Freeze the objects alive now for the block. After it, unfreeze them, unless something
    had frozen objects before (the daemon's warm heap): then everything stays frozen, as the
    process that froze it meant. (Blocks that overlap, such as two generators consumed in
    turn, end with the outer one: it unfreezes what the inner froze.)"""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
