"""Forked worker processes for `check -j N`, with no helper threads.

`multiprocessing.Pool` runs three threads in the parent, and its worker-handler thread wakes
whenever a result waits in the shared queue, spinning until the result thread has read it:
tens of milliseconds of CPU per corpus taken from the workers on a two-core machine. Here each
worker has its own two pipes; the parent hands the tasks out in their order, keeps `depth` of
them queued at each worker (so no worker waits for the parent), and reads results as they come.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection, Pipe, wait
from typing import Generic, TypeVar

from claimaudit.heap import frozen_heap

T = TypeVar("T")
R = TypeVar("R")


class WorkerDied(RuntimeError):
    """A worker process ended without answering its task."""


class _Worker(Generic[T]):
    __slots__ = ("pid", "tasks", "results", "pending")

    def __init__(self, pid: int, tasks: Connection, results: Connection) -> None:
        self.pid = pid
        self.tasks = tasks  # the parent's sending end
        self.results = results  # the parent's receiving end
        self.pending: deque[T] = deque()


def fork_map(function: Callable[[T], R], tasks: Sequence[T], jobs: int, depth: int = 2) -> Iterator[tuple[T, R]]:
    """(task, function(task)) for every task, computed in `jobs` forked processes, in the order
    they finish. Tasks are handed out in their order; an exception `function` raises is raised
    here. The workers see the parent's memory as it was at the first `next()`."""
    for stream in (sys.stdout, sys.stderr):  # a child must not write the parent's buffered output again
        stream.flush()
    reap_exited()
    workers: list[_Worker[T]] = []
    # Frozen for the whole map: the workers' collections skip, and so never copy, the pages of
    # what they inherit, and the parent's (as results come in) skip the auditor it still holds.
    with frozen_heap():
        finished = False
        try:
            for _ in range(max(1, min(jobs, len(tasks)))):
                workers.append(_fork_worker(function, workers))
            yield from _collect(workers, iter(tasks), depth)
            finished = True
        finally:
            _stop(workers, kill=not finished)


def _collect(workers: Sequence[_Worker[T]], queue: Iterator[T], depth: int) -> Iterator[tuple[T, R]]:
    """Keep `depth` tasks queued at each worker; yield (task, result) as results come in."""
    for worker in workers:
        for _ in range(depth):
            _hand_out(worker, queue)
    busy = {worker.results: worker for worker in workers if worker.pending}
    while busy:
        for connection in wait(list(busy)):
            worker = busy[connection]  # type: ignore[index]
            try:
                ok, value = worker.results.recv()
            except EOFError:
                raise WorkerDied(f"worker process {worker.pid} ended unexpectedly") from None
            task = worker.pending.popleft()
            _hand_out(worker, queue)
            if not worker.pending:
                del busy[worker.results]
            if not ok:
                raise value
            yield task, value


def _hand_out(worker: _Worker[T], queue: Iterator[T]) -> None:
    task = next(queue, _NONE)
    if task is not _NONE:
        worker.tasks.send(task)
        worker.pending.append(task)  # type: ignore[arg-type]


_NONE: object = object()


def _fork_worker(function: Callable[[T], R], siblings: Sequence[_Worker[T]]) -> _Worker[T]:
    task_reader, task_writer = Pipe(duplex=False)
    result_reader, result_writer = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the parent stops a run cut short
            for connection in (task_writer, result_reader,
                               *(end for sibling in siblings for end in (sibling.tasks, sibling.results))):
                connection.close()  # else a sibling would never see the end of its tasks
            _serve(function, task_reader, result_writer)
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: BLE001 - exiting anyway
                    pass
            os._exit(0)
    task_reader.close()
    result_writer.close()
    return _Worker(pid, task_writer, result_reader)


def _serve(function: Callable[[T], R], tasks: Connection, results: Connection) -> None:
    """A worker's loop: each task received is answered with (True, result) or (False, error)."""
    while True:
        try:
            task = tasks.recv()
        except EOFError:
            return
        try:
            answer: tuple[bool, object] = (True, function(task))
        except BaseException as error:  # noqa: BLE001 - the parent raises it
            answer = (False, error)
        try:
            results.send(answer)
        except Exception as error:  # noqa: BLE001 - an answer that cannot be pickled
            results.send((False, RuntimeError(f"{type(error).__name__}: {error}")))


def _stop(workers: Sequence[_Worker[T]], kill: bool) -> None:
    """Close the task pipes (a worker ends at their end), killing the workers first when the
    run was cut short, and reap them. After a finished run the workers exit while the caller
    writes its report: those not gone yet are reaped by `reap_exited` (at the next run, at the
    latest at exit), so the report does not wait for their memory to be freed."""
    for worker in workers:
        if kill:
            try:
                os.kill(worker.pid, signal.SIGTERM)
            except OSError:
                pass
        worker.tasks.close()
        worker.results.close()
    _EXITING.extend(worker.pid for worker in workers)
    if kill:
        reap_exited()
    else:
        reap_exited(wait=False)


_EXITING: list[int] = []  # finished workers not reaped yet


def reap_exited(wait: bool = True) -> None:
    """Reap the finished workers still exiting (`wait` False: only those already gone)."""
    for pid in list(_EXITING):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            with suppress(ValueError):  # another thread's call took it off meanwhile
                _EXITING.remove(pid)


atexit.register(reap_exited)
