"""A pool of auditor processes for `serve`: requests run in parallel, each under a time limit.

Every worker process builds its own Auditor once and then audits one document at a time,
sent over a pipe. A request takes an idle worker (waiting if all are busy); a worker that
exceeds the time limit is killed and replaced, and the request fails with SV504, so a huge
draft holds at most one worker and only for the limit. Workers are started by a fork server
that has imported the pipeline already, so a replacement is ready in about a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from claimaudit.serve.uploads import RequestError

if TYPE_CHECKING:
    from claimaudit.ingest.source import SourceDocument
    from claimaudit.result import DocumentResult
    from claimaudit.settings import Settings

log = logging.getLogger("claimaudit.serve")
START_TIMEOUT = 120.0  # seconds a new worker may take to build its auditor


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["claimaudit.audit", "claimaudit.serve.pool"])
        return context
    return multiprocessing.get_context("spawn")


def _serve_audits(connection: Connection, settings: "Settings") -> None:
    """A worker's life: build the auditor, say so, then audit every source sent until None."""
    try:
        from claimaudit.audit import Auditor

        auditor = Auditor(settings)
        from claimaudit.resident.warm import warm_up

        warm_up(auditor)  # the first request does not wait for the patterns to compile
    except Exception as exc:  # noqa: BLE001 -- reported to the parent, which gives up on the pool
        connection.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    connection.send(("ready", None))
    while True:
        source = connection.recv()
        if source is None:
            return
        try:
            connection.send(("done", auditor.audit_source(source)))
        except Exception as exc:  # noqa: BLE001 -- one bad draft must not end the worker
            connection.send(("failed", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context: Any, settings: "Settings") -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve_audits, args=(child, settings), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout):
            self.stop()
            raise RuntimeError(f"an audit worker did not start within {timeout:.0f} s")
        status, detail = self.connection.recv()
        if status != "ready":
            self.stop()
            raise RuntimeError(f"an audit worker could not start: {detail}")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class AuditPool:
    """`size` worker processes, each with its own Auditor built from `settings`."""

    def __init__(self, settings: "Settings", size: int, time_limit: float) -> None:
        self.settings = settings
        self.size = size
        self.time_limit = time_limit
        self._context = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has built its auditor (RuntimeError if not)."""
        workers = [_Worker(self._context, self.settings) for _ in range(self.size)]
        try:
            for worker in workers:
                worker.wait_ready(START_TIMEOUT)
        except RuntimeError:
            for worker in workers:
                worker.stop()
            raise
        for worker in workers:
            self._idle.put(worker)

    def audit(self, source: "SourceDocument") -> "DocumentResult":
        """Audit on an idle worker; RequestError SV504 after `time_limit` seconds, SV500 if it fails."""
        worker = self._idle.get()
        try:
            worker.connection.send(source)
            if not worker.connection.poll(self.time_limit):
                raise _Overrun()
            status, payload = worker.connection.recv()
        except _Overrun:
            self._replace(worker)
            raise RequestError(
                f"the audit took longer than {self.time_limit:g} s and was stopped; "
                "audit a shorter part of the draft", code="SV504", status=504,
            ) from None
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise RequestError(f"the audit worker stopped: {exc}", code="SV500", status=500) from None
        self._idle.put(worker)
        if status != "done":
            raise RequestError(f"the audit failed: {payload}", code="SV500", status=500)
        result: DocumentResult = payload
        return result

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker`; a new one joins the idle workers once its auditor is built."""
        worker.stop()
        if self._closed:
            return

        def start_one() -> None:
            try:
                fresh = _Worker(self._context, self.settings)
                fresh.wait_ready(START_TIMEOUT)
            except Exception as exc:  # noqa: BLE001 -- logged; the pool serves on with fewer workers
                log.error("could not replace an audit worker: %s", exc)
                return
            self._idle.put(fresh)

        threading.Thread(target=start_one, name="claimaudit-worker-start", daemon=True).start()


class _Overrun(Exception):
    pass
