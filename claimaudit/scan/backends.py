"""Where audit batches run: in-process, a local process pool, or a Dask cluster.

Every backend takes a batch of AuditInput and returns a concurrent.futures.Future of
the batch's AuditOutputs, so the engine drives all three the same way.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Protocol

from claimaudit.errors import UsageError
from claimaudit.scan.model import AuditInput, AuditOutput
from claimaudit.scan.worker import AuditorFactory, audit_batch, init_worker


class Backend(Protocol):
    name: str
    slots: int  # batches that may run at once
    generation: int  # bumped each time a broken pool is replaced

    def submit(self, batch: Sequence[AuditInput]) -> Future[list[AuditOutput]]: ...

    def restart(self, generation: int) -> None:
        """Replace a pool broken by a dying worker (once per broken `generation`)."""

    def close(self) -> None: ...


class InlineBackend:
    """Audits in the calling process (`--jobs 1`): no start-up cost, no pickling."""

    name = "inline"
    slots = 1
    generation = 0

    def __init__(self, factory: AuditorFactory) -> None:
        self._factory = factory

    def submit(self, batch: Sequence[AuditInput]) -> Future[list[AuditOutput]]:
        future: Future[list[AuditOutput]] = Future()
        try:
            future.set_result(audit_batch(self._factory, list(batch)))
        except BaseException as error:  # noqa: BLE001 -- delivered through the future
            future.set_exception(error)
        return future

    def restart(self, generation: int) -> None:
        return None

    def close(self) -> None:
        return None


class ProcessBackend:
    """A local process pool; each worker builds one auditor in its initializer."""

    name = "local"

    def __init__(self, factory: AuditorFactory, jobs: int) -> None:
        self._factory = factory
        self.slots = jobs
        self.generation = 0
        self._executor = self._start()

    def _start(self) -> Executor:
        """A new pool whose workers start (and build their auditors) right away, while
        the first pages are still being fetched."""
        # forkserver/spawn, never fork: the driver runs fetch threads, and forking a
        # threaded process can deadlock the child.
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
        executor = ProcessPoolExecutor(
            max_workers=self.slots,
            mp_context=multiprocessing.get_context(method),
            initializer=init_worker,
            initargs=(self._factory, os.getpid()),
        )
        for _ in range(self.slots):
            executor.submit(int)  # start every worker now, not on the first batch
        return executor

    def submit(self, batch: Sequence[AuditInput]) -> Future[list[AuditOutput]]:
        return self._executor.submit(audit_batch, self._factory, list(batch))

    def restart(self, generation: int) -> None:
        if generation != self.generation:
            return  # already replaced after this pool broke
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()
        self.generation += 1

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """A dask.distributed cluster: an existing scheduler, or a LocalCluster of `jobs` workers.

    Workers build their auditor lazily on their first batch and keep it (one per worker
    process). Results come back to the driver, which alone writes the store.
    """

    name = "dask"

    def __init__(self, factory: AuditorFactory, jobs: int, scheduler: str | None) -> None:
        try:
            distributed: Any = importlib.import_module("dask.distributed")
        except ImportError:
            raise UsageError("--engine dask needs Dask: pip install 'claimaudit[dask]'") from None
        self._factory = factory
        self._cluster: Any = None
        if scheduler:
            try:
                self._client = distributed.Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as error:
                raise UsageError(f"cannot reach Dask scheduler {scheduler}: {error}") from None
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = distributed.Client(self._cluster)
        workers = self._client.scheduler_info().get("workers", {})
        threads = sum(int(info.get("nthreads", 1)) for info in workers.values())
        self.slots = max(1, threads or jobs)
        self.generation = 0
        self._executor = self._client.get_executor(pure=False)

    def submit(self, batch: Sequence[AuditInput]) -> Future[list[AuditOutput]]:
        future: Future[list[AuditOutput]] = self._executor.submit(
            audit_batch, self._factory, list(batch)
        )
        return future

    def restart(self, generation: int) -> None:
        return None  # Dask reschedules work of a dead worker itself

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_backend(
    engine: str, factory: AuditorFactory, jobs: int, scheduler: str | None = None
) -> Backend:
    """The backend for `--engine` / `--jobs` / `--scheduler`."""
    if engine == "dask":
        return DaskBackend(factory, jobs, scheduler)
    if engine != "local":
        raise UsageError(f"unknown engine {engine!r} (expected local or dask)")
    if scheduler:
        raise UsageError("--scheduler needs --engine dask")
    if jobs <= 1:
        return InlineBackend(factory)
    return ProcessBackend(factory, jobs)


def default_jobs() -> int:
    return os.cpu_count() or 1
