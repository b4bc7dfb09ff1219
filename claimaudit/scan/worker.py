"""The audit side of a scan: runs in worker processes (local pool or Dask workers).

Each worker process builds one auditor, lazily, and keeps it for every batch it is
given. The factory that builds it is a small picklable object, so the same code serves
the process pool, Dask and tests (which inject a fake auditor).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from claimaudit.errors import ClaimAuditError
from claimaudit.ingest.source import SourceDocument
from claimaudit.scan.extract import extract_main_text
from claimaudit.scan.model import AuditInput, AuditOutput
from claimaudit.settings import Settings


class PageAuditor(Protocol):
    """What a scan needs from an auditor: documents in, one JSON-ready dict out per document."""

    kb_version: str
    kb_hash: str

    def audit(self, documents: Sequence[SourceDocument]) -> list[dict[str, Any]]: ...


AuditorFactory = Callable[[], PageAuditor]


@dataclass(frozen=True)
class DefaultAuditorFactory:
    """Builds claimaudit's Auditor with the run's settings (in the worker process)."""

    settings: Settings

    def __call__(self) -> PageAuditor:
        from claimaudit.audit import Auditor

        return _AuditorAdapter(Auditor(self.settings))


class _AuditorAdapter:
    def __init__(self, auditor: Any) -> None:
        self._auditor = auditor
        self.kb_version = str(auditor.kb_version)
        self.kb_hash = str(auditor.kb_hash)

    def audit(self, documents: Sequence[SourceDocument]) -> list[dict[str, Any]]:
        return [document_dict(result) for result in self._auditor.audit_sources(documents)]


def document_dict(result: Any) -> dict[str, Any]:
    """The JSON reporter's dict for a DocumentResult."""
    from claimaudit.reporters.json_report import document_to_dict

    return dict(document_to_dict(result))


# -- per-process state ---------------------------------------------------------------------
# A worker process audits many batches; building the auditor (spaCy pipeline, knowledge
# base) once per process is what makes batch scanning fast. This cache is the only
# module state in the scan package and lives only in worker processes.
_STATE: dict[str, Any] = {}
_STATE_LOCK = threading.Lock()


def init_worker(factory: AuditorFactory, driver_pid: int | None = None) -> None:
    """ProcessPoolExecutor initializer: build this worker's auditor up front.

    Ctrl-C is the driver's to handle (it shuts the pool down), so workers ignore SIGINT
    instead of printing tracebacks; and a worker exits by itself when the driver is gone
    (kill -9 of a scan must not leave ~128 MB workers behind). Once its auditor is built, the
    worker's objects are frozen for good (`gc.freeze`): it only audits from then on.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if driver_pid is not None:
        threading.Thread(target=watch_driver, args=(driver_pid,), daemon=True,
                         name="claimaudit-driver-watch").start()
    try:
        auditor_for(factory)
    except Exception as error:  # noqa: BLE001 -- reported with the first batch instead
        _STATE["init_error"] = error
        return
    if driver_pid is not None:  # a pool worker of ours, not a caller's process: it only audits from now on
        gc.freeze()  # its full collections skip the auditor from now on (see `claimaudit.heap`)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def watch_driver(driver_pid: int, interval: float = 1.0,
                 stop: Callable[[int], object] = os._exit) -> None:
    """Poll the driver process; when it is gone (or this process was re-parented away from
    the forkserver it came from), end this worker at once."""
    parent = os.getppid()
    while process_alive(driver_pid) and os.getppid() == parent:
        time.sleep(interval)
    stop(0)


def auditor_for(factory: AuditorFactory) -> PageAuditor:
    """This process's auditor for `factory`, built on first use."""
    with _STATE_LOCK:
        if _STATE.get("factory") == factory and "auditor" in _STATE:
            return _STATE["auditor"]  # type: ignore[no-any-return]
        _STATE.pop("init_error", None)
        auditor = factory()
        _STATE.update(factory=factory, auditor=auditor)
        return auditor


def audit_batch(factory: AuditorFactory, inputs: Sequence[AuditInput]) -> list[AuditOutput]:
    """Extract and audit a batch of pages. One bad page never sinks the batch.

    Raises ClaimAuditError only for problems that concern every page (the knowledge
    base or settings cannot be loaded).
    """
    auditor = auditor_for(factory)
    prepared = [_prepare(item) for item in inputs]
    documents = [document for document, _ in prepared]
    started = time.perf_counter()
    try:
        dicts: list[dict[str, Any] | BaseException] = list(auditor.audit(documents))
        if len(dicts) != len(documents):
            raise RuntimeError(f"auditor returned {len(dicts)} results for {len(documents)}")
        each_ms = [int((time.perf_counter() - started) * 1000 / max(1, len(documents)))] * len(
            documents
        )
    except ClaimAuditError:
        raise
    except Exception:  # noqa: BLE001 -- find the failing page below
        dicts, each_ms = [], []
        for document in documents:  # find the page that failed; keep the others
            one_started = time.perf_counter()
            try:
                dicts.append(auditor.audit([document])[0])
            except ClaimAuditError:
                raise
            except Exception as error:  # noqa: BLE001 -- recorded as this page's error
                dicts.append(error)
            each_ms.append(int((time.perf_counter() - one_started) * 1000))
    return [
        _output(item, document, extractor, result, auditor, ms)
        for (item, (document, extractor), result, ms) in zip(inputs, prepared, dicts, each_ms)
    ]


def _prepare(item: AuditInput) -> tuple[SourceDocument, str]:
    if item.extract:
        extracted = extract_main_text(item.text, item.path)
        return SourceDocument(item.path, extracted.media_type, extracted.text), extracted.extractor
    return SourceDocument(item.path, item.media_type, item.text, item.encoding), "source"


def _output(
    item: AuditInput,
    document: SourceDocument,
    extractor: str,
    result: dict[str, Any] | BaseException,
    auditor: PageAuditor,
    audit_ms: int,
) -> AuditOutput:
    common: dict[str, Any] = {
        "key": item.key,
        "text": document.text,
        "media_type": document.media_type,
        "extractor": extractor,
        "kb_version": auditor.kb_version,
        "kb_hash": auditor.kb_hash,
        "audit_ms": audit_ms,
    }
    if isinstance(result, BaseException):
        reason = f"audit failed: {type(result).__name__}: {result}"
        return AuditOutput(findings_json="[]", error=reason, **common)
    findings = list(result.get("findings") or [])
    error = result.get("error")
    if isinstance(error, dict):
        error = " ".join(str(part) for part in (error.get("code"), error.get("message")) if part)
    counts = Counter(str(finding.get("severity", "")) for finding in findings)
    return AuditOutput(
        findings_json=json.dumps(findings, sort_keys=True, ensure_ascii=False),
        counts=tuple(sorted(counts.items())),
        error=str(error) if error else None,
        **common,
    )
