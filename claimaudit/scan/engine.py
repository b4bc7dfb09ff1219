"""The scan loop: frontier -> fetch threads -> audit backend -> store, one page at a time.

Fetching (I/O, threads) runs concurrently with auditing (CPU, processes or Dask). Only
this loop writes the store, and it commits each page with its frontier entry, so a run
can be killed at any moment and resumed.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import Any

from claimaudit import __version__
from claimaudit.errors import ClaimAuditError, UsageError
from claimaudit.scan.backends import Backend
from claimaudit.scan.fetch import (
    PAGE_TYPES,
    Fetcher,
    FetchError,
    FetchPolicy,
    RateLimiter,
    Response,
    decode_body,
)
from claimaudit.scan.links import extract_links
from claimaudit.scan.model import (
    AuditInput,
    AuditOutput,
    Fetched,
    PageRecord,
    PageStatus,
    Task,
    TaskKind,
)
from claimaudit.scan.progress import ProgressBar
from claimaudit.scan.robots import RobotsRules
from claimaudit.scan.sitemap import parse_sitemap
from claimaudit.scan.store import ScanStore
from claimaudit.scan.urls import host_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_CRAWL_DELAY = 60.0


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What to scan and how politely. Stored with the run so `--resume` can continue it."""

    paths: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    crawl: tuple[str, ...] = ()
    max_pages: int | None = None
    max_depth: int | None = None
    include: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm")
    exclude: tuple[str, ...] = ()
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    batch_size: int = 8
    fetch_threads: int = 8

    def to_args(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> ScanOptions:
        values = dict(args)
        policy = FetchPolicy(**values.pop("policy", {}))
        known = {f.name for f in dataclasses.fields(cls)}
        tuples = {"paths", "urls", "sitemaps", "crawl", "include", "exclude"}
        kwargs: dict[str, Any] = {
            key: tuple(value) if key in tuples else value
            for key, value in values.items()
            if key in known
        }
        return cls(policy=policy, **kwargs)

    @property
    def is_empty(self) -> bool:
        return not (self.paths or self.urls or self.sitemaps or self.crawl)


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """What a finished (or interrupted) run stored."""

    run_id: int
    pages: int
    ok: int
    errors: int
    skipped: int
    findings: dict[str, int]  # severity -> count
    elapsed: float
    complete: bool

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0


class ScanAborted(ClaimAuditError):
    """The run stopped before its frontier was empty; `--resume` continues it."""

    code = "SC100"


def start_run(
    store: ScanStore, options: ScanOptions, *, extra_args: dict[str, Any] | None = None
) -> int:
    """Create a run (recording its options, plus `extra_args`) and queue its seeds."""
    if options.is_empty:
        raise UsageError("nothing to scan: give paths, --urls, --sitemap or --crawl")
    run_id = store.create_run({**options.to_args(), **(extra_args or {})}, __version__)
    store.add_tasks(run_id, seed_tasks(options), max_pages=options.max_pages)
    return run_id


def seed_tasks(options: ScanOptions) -> Iterator[Task]:
    for path in iter_files(options.paths, options.include, options.exclude):
        yield Task(path, TaskKind.FILE)
    for url in options.sitemaps:
        yield Task(url, TaskKind.SITEMAP)
    for url in options.crawl:
        yield Task(url, TaskKind.PAGE, depth=0, follow=True)
    for url in options.urls:
        yield Task(url, TaskKind.PAGE)


def binary_body(body: bytes) -> str | None:
    """What a page body is when it is binary (a known signature or NUL bytes), else None."""
    from claimaudit.errors import InputError
    from claimaudit.ingest.read import _BOMS, _reject_binary

    if any(body.startswith(bom) for bom, _, _ in _BOMS):
        return None  # UTF-16/32 text has NUL bytes
    try:
        _reject_binary(body, "body")
    except InputError as error:
        return error.message.removeprefix("body: binary file (").split("), not text")[0]
    return None


def iter_files(
    paths: Iterable[str], include: tuple[str, ...], exclude: tuple[str, ...]
) -> Iterator[str]:
    """Files under `paths`, walked like `claimaudit check` walks them."""
    from claimaudit.ingest import iter_paths

    for path in iter_paths(list(paths), include=include, exclude=exclude):
        yield str(path)


class Scanner:
    """Runs one scan run to completion (or until interrupted)."""

    def __init__(
        self,
        store: ScanStore,
        run_id: int,
        options: ScanOptions,
        backend: Backend,
        *,
        progress: bool = False,
        on_page: Callable[[PageRecord], None] | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.options = options
        self.backend = backend
        self._show_progress = progress
        self._on_page = on_page
        # hosts a crawl may visit: the start URLs' hosts, plus where a start URL redirects
        # (http -> https, example.com -> www.example.com); only the loop thread adds to it
        self._crawl_hosts = {host_of(url) for url in options.crawl}
        self._robots: RobotsRules | None = None
        limiter = RateLimiter(options.policy.rate, self._crawl_delay)
        self.fetcher = fetcher or Fetcher(options.policy, limiter=limiter)
        self._robots = RobotsRules(self.fetcher, options.policy.user_agent)
        self._kb_known = bool(store.run(run_id).kb_version)
        self._suspects: deque[Fetched] = deque()

    def _crawl_delay(self, host: str) -> float:
        if self._robots is None:
            return 0.0
        return min(self._robots.crawl_delay(host), MAX_CRAWL_DELAY)

    # -- the loop -------------------------------------------------------------------------

    def run(self) -> ScanSummary:
        started = time.monotonic()
        store, run_id = self.store, self.run_id
        store.reopen_run(run_id)
        bar = ProgressBar(enabled=self._show_progress, initial=store.progress(run_id))
        fetching: dict[Future[Fetched], Task] = {}
        auditing: dict[Future[list[AuditOutput]], _Batch] = {}
        batch: list[Fetched] = []
        in_flight: set[str] = set()
        threads = max(1, self.options.fetch_threads)
        backlog_limit = max(1, self.backend.slots) * self.options.batch_size * 2
        complete = False
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="claimaudit-fetch")
        try:
            while True:
                waiting = len(batch) + sum(len(b.items) for b in auditing.values())
                room = threads - len(fetching)
                if room > 0 and waiting < backlog_limit:
                    for task in store.pending(run_id, limit=room, exclude=in_flight):
                        in_flight.add(task.key)
                        fetching[pool.submit(self._fetch, task)] = task
                if self._suspects:
                    # after a worker died: audit the pages that were in flight one at a
                    # time, alone in the pool, so a page that kills its worker is known
                    if not auditing:
                        auditing.update(self._submit([self._suspects.popleft()], solo=True))
                elif batch and (
                    len(batch) >= self.options.batch_size
                    or len(auditing) < self.backend.slots
                    or not fetching
                ):
                    auditing.update(self._submit(batch))
                    batch = []
                if not fetching and not auditing and not batch and not self._suspects:
                    in_flight.clear()  # nothing is in flight any more
                    if not store.has_pending(run_id):
                        complete = True
                        break
                    continue
                waitables: list[Future[Any]] = [*fetching, *auditing]
                done, _ = wait(waitables, timeout=1.0, return_when=FIRST_COMPLETED)
                for future in done:
                    if future in fetching:
                        task = fetching.pop(future)
                        fetched = _fetch_result(future, task)
                        ready = self._handle_fetched(fetched)
                        if ready is None:
                            in_flight.discard(task.key)
                        else:
                            batch.append(ready)
                    else:
                        submitted = auditing.pop(future)
                        for key in self._handle_audited(future, submitted):
                            in_flight.discard(key)
                    bar.update(store.progress(run_id))
        except KeyboardInterrupt:
            raise ScanAborted(
                f"interrupted; {store.progress(run_id).done} pages stored in {store.path} "
                f"(run {run_id}); continue with --resume"
            ) from None
        finally:
            for pending in fetching:
                pending.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            self.fetcher.close()
            bar.close()
        if complete:
            store.finish_run(run_id)
        return summarize(store, run_id, time.monotonic() - started, complete)

    # -- fetch side (threads) -------------------------------------------------------------

    def _fetch(self, task: Task) -> Fetched:
        try:
            if task.kind is TaskKind.FILE:
                return _read_file(task, self.options.policy.max_bytes)
            assert self._robots is not None
            refusal = self._robots.refusal(task.key)
            if refusal:
                unreachable = self._robots.unreachable(task.key)
                if unreachable:  # connection refused: the page failed, robots.txt did not forbid it
                    return _final(task, PageStatus.ERROR, unreachable)
                return _final(task, PageStatus.SKIPPED, refusal)
            if task.kind is TaskKind.SITEMAP:
                return self._fetch_sitemap(task)
            return self._fetch_page(task)
        except FetchError as error:
            return _fetch_failure(task, error)
        except Exception as error:  # noqa: BLE001 -- one bad page never sinks the run
            return _final(
                task, PageStatus.ERROR, f"internal error: {type(error).__name__}: {error}"
            )

    def _fetch_sitemap(self, task: Task) -> Fetched:
        response = self.fetcher.get(task.key, accept=None, check_redirect=self._redirect_veto(task))
        try:
            sitemap = parse_sitemap(
                response.body, response.final_url, max_bytes=self.options.policy.max_bytes
            )
        except ValueError as error:
            return _final(task, PageStatus.ERROR, str(error), response)
        record = _record(task, PageStatus.OK, "", response)
        return Fetched(task, record, sitemap_pages=sitemap.pages, sitemap_children=sitemap.sitemaps)

    def _fetch_page(self, task: Task) -> Fetched:
        response = self.fetcher.get(
            task.key, accept=PAGE_TYPES, check_redirect=self._redirect_veto(task)
        )
        binary = binary_body(response.body)
        if binary:
            return _final(task, PageStatus.SKIPPED,
                          f"binary content ({binary}) labelled {response.content_type or 'text'}", response)
        text, encoding = decode_body(response.body, response.charset)
        is_html = response.content_type in HTML_TYPES
        links: tuple[str, ...] = ()
        if task.follow and is_html and self._may_go_deeper(task):
            links = extract_links(text, response.final_url).links
        record = replace(
            _record(task, PageStatus.OK, "", response),
            encoding=encoding,
            media_type=response.content_type,
        )
        audit_input = AuditInput(
            key=task.key,
            path=response.final_url,
            media_type=response.content_type,
            text=text,
            extract=is_html,
            encoding=encoding,
        )
        return Fetched(task, record, audit_input=audit_input, links=links)

    def _may_go_deeper(self, task: Task) -> bool:
        return self.options.max_depth is None or task.depth < self.options.max_depth

    def _redirect_veto(self, task: Task) -> Callable[[str], str | None]:
        def veto(target: str) -> str | None:
            start_page = task.follow and task.depth == 0
            if task.follow and not start_page and host_of(target) not in self._crawl_hosts:
                return "another host (crawls stay on the start host)"
            assert self._robots is not None
            return self._robots.refusal(target)

        return veto

    # -- store side (the loop's thread) ---------------------------------------------------

    def _handle_fetched(self, fetched: Fetched) -> Fetched | None:
        """Store what needs no audit; return pages that do."""
        store, run_id, task = self.store, self.run_id, fetched.task
        if task.follow and task.depth == 0 and fetched.record.final_url:
            self._crawl_hosts.add(host_of(fetched.record.final_url))
        if fetched.links:
            hosts = self._crawl_hosts
            store.add_tasks(
                run_id,
                (
                    Task(link, TaskKind.PAGE, task.depth + 1, follow=True)
                    for link in fetched.links
                    if host_of(link) in hosts
                ),
                max_pages=self.options.max_pages,
            )
        if task.kind is TaskKind.SITEMAP and fetched.record.status is PageStatus.OK:
            children = [Task(url, TaskKind.SITEMAP) for url in fetched.sitemap_children]
            children += [Task(url, TaskKind.PAGE) for url in fetched.sitemap_pages]
            store.complete_sitemap(run_id, task.key, children, max_pages=self.options.max_pages)
            return None
        if fetched.record.status is not PageStatus.OK or fetched.audit_input is None:
            self._store(fetched.record, fetched)
            return None
        return fetched

    def _submit(self, items: list[Fetched], *, solo: bool = False) -> dict[Any, _Batch]:
        inputs = [fetched.audit_input for fetched in items if fetched.audit_input is not None]
        generation = self.backend.generation
        try:
            future = self.backend.submit(inputs)
        except BrokenProcessPool:  # broke since the last batch came back
            self.backend.restart(generation)
            generation = self.backend.generation
            future = self.backend.submit(inputs)
        return {future: _Batch(items, solo, generation)}

    def _handle_audited(self, future: Future[list[AuditOutput]], submitted: _Batch) -> list[str]:
        """Store a finished batch; return the keys stored. Pages of a batch whose worker died
        are queued as suspects and audited again one by one (not returned)."""
        items = submitted.items
        try:
            outputs = {output.key: output for output in future.result()}
        except ClaimAuditError:
            raise
        except BrokenProcessPool:
            # A worker died (crash, out of memory): every batch in the pool is lost.
            self.backend.restart(submitted.generation)
            if submitted.solo:  # it ran alone: this page killed its worker
                self._store_failed(items, "audit worker died while auditing this page")
                return [fetched.task.key for fetched in items]
            self._suspects.extend(items)
            return []
        except Exception as error:  # noqa: BLE001 -- record the batch, do not stop
            self._store_failed(items, f"audit failed: {type(error).__name__}: {error}")
            return [fetched.task.key for fetched in items]
        for fetched in items:
            output = outputs.get(fetched.task.key)
            if output is None:
                record = replace(
                    fetched.record, status=PageStatus.ERROR, reason="audit returned no result"
                )
            else:
                record = _with_audit(fetched.record, output)
                if output.kb_version and not self._kb_known:
                    self.store.set_kb(self.run_id, output.kb_version, output.kb_hash)
                    self._kb_known = True
            self._store(record, fetched)
        return [fetched.task.key for fetched in items]

    def _store_failed(self, items: list[Fetched], reason: str) -> None:
        for fetched in items:
            self._store(replace(fetched.record, status=PageStatus.ERROR, reason=reason), fetched)

    def _store(self, record: PageRecord, fetched: Fetched) -> None:
        aliases = []
        task = fetched.task
        if record.final_url and record.final_url != record.key:
            aliases.append(Task(record.final_url, TaskKind.PAGE, task.depth, task.follow))
        self.store.record_page(self.run_id, record, aliases=aliases)
        if self._on_page is not None:
            self._on_page(record)


@dataclass(frozen=True, slots=True)
class _Batch:
    """Pages submitted together to the audit backend."""

    items: list[Fetched]
    solo: bool  # audited alone, after a worker died
    generation: int


def _fetch_result(future: Future[Fetched], task: Task) -> Fetched:
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 -- last line of defence; _fetch catches all
        return _final(task, PageStatus.ERROR, f"internal error: {type(error).__name__}: {error}")


def _record(task: Task, status: PageStatus, reason: str, response: Response) -> PageRecord:
    return PageRecord(
        key=task.key,
        kind=task.kind,
        status=status,
        reason=reason,
        final_url=response.final_url,
        http_status=response.status,
        fetched_at=response.fetched_at,
        fetch_ms=response.elapsed_ms,
        bytes=len(response.body),
        content_type=response.content_type,
        redirects=response.redirects,
    )


def _final(
    task: Task, status: PageStatus, reason: str, response: Response | None = None
) -> Fetched:
    if response is not None:
        return Fetched(task, _record(task, status, reason, response))
    return Fetched(task, PageRecord(key=task.key, kind=task.kind, status=status, reason=reason))


def _fetch_failure(task: Task, error: FetchError) -> Fetched:
    from datetime import datetime

    record = PageRecord(
        key=task.key,
        kind=task.kind,
        status=PageStatus.SKIPPED if error.skipped else PageStatus.ERROR,
        reason=error.reason,
        final_url=error.final_url or "",
        http_status=error.http_status,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        bytes=error.size,
        content_type=error.content_type,
        redirects=error.redirects,
    )
    return Fetched(task, record)


def _read_file(task: Task, max_bytes: int) -> Fetched:
    started = time.monotonic()
    try:
        source = _read_source(task.key, max_bytes)
    except ClaimAuditError as error:
        return _final(task, PageStatus.ERROR, error.format_message())
    except OSError as error:
        return _final(task, PageStatus.ERROR, f"IN100 {task.key}: {error.strerror or error}")
    record = PageRecord(
        key=task.key,
        kind=task.kind,
        status=PageStatus.OK,
        final_url="",
        fetch_ms=int((time.monotonic() - started) * 1000),
        bytes=os.path.getsize(task.key),
        content_type=source.media_type,
        encoding=source.encoding,
        media_type=source.media_type,
    )
    audit_input = AuditInput(
        key=task.key,
        path=source.path,
        media_type=source.media_type,
        text=source.text,
        encoding=source.encoding,
    )
    return Fetched(task, record, audit_input=audit_input)


def _read_source(path: str, max_bytes: int) -> Any:
    from claimaudit.ingest import read_source

    return read_source(path, max_bytes=max_bytes)


def _with_audit(record: PageRecord, output: AuditOutput) -> PageRecord:
    return replace(
        record,
        status=PageStatus.ERROR if output.error else record.status,
        reason=output.error or record.reason,
        text=output.text,
        media_type=output.media_type,
        extractor=output.extractor,
        findings_json=output.findings_json,
        counts=output.counts,
        kb_version=output.kb_version,
        audit_ms=output.audit_ms,
    )


def summarize(store: ScanStore, run_id: int, elapsed: float, complete: bool) -> ScanSummary:
    ok = errors = skipped = pages = 0
    findings = {"error": 0, "warning": 0, "info": 0}
    for row in store.pages(run_id):
        pages += 1
        status = row["status"]
        ok += status == "ok"
        errors += status == "error"
        skipped += status == "skipped"
        for severity in findings:
            findings[severity] += int(row[f"n_{severity}"])
    return ScanSummary(run_id, pages, ok, errors, skipped, findings, elapsed, complete)
