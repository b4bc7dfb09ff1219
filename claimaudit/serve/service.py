"""One auditor per process: built once in a background thread, then shared by every request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claimaudit.errors import ClaimAuditError
from claimaudit.ingest.source import SourceDocument
from claimaudit.serve.uploads import Draft, RequestError

if TYPE_CHECKING:
    from claimaudit.result import AuditResult, DocumentResult
    from claimaudit.serve.pool import AuditPool
    from claimaudit.settings import Settings

log = logging.getLogger("claimaudit.serve")


class AuditorLike(Protocol):
    """What the app needs from `claimaudit.audit.Auditor`."""

    rules: Sequence[Any]  # RuleModule records

    def audit_source(self, source: SourceDocument) -> DocumentResult: ...

    def result(self, documents: Iterable[DocumentResult]) -> AuditResult: ...


AuditorFactory = Callable[[], AuditorLike]


def default_auditor_factory(settings: Settings) -> AuditorFactory:
    """A factory for the real Auditor (spaCy and the KB are imported only when it is called).

    Like `claimaudit check`, the auditor runs every rule; selection, severity overrides and
    min-severity are applied afterwards per document (`gate.accept.accept_findings`).
    """

    def build() -> AuditorLike:
        from claimaudit.audit import Auditor
        from claimaudit.settings import Settings

        return Auditor(  # type: ignore[return-value]
            Settings(
                jurisdictions=settings.jurisdictions,
                knowledge_dirs=settings.knowledge_dirs,
                bundled_knowledge=settings.bundled_knowledge,
                max_bytes=settings.max_bytes,
            )
        )

    return build


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    name: str
    family: str
    severity: str
    summary: str


class AuditService:
    """Holds the process's single Auditor.

    `start()` builds it in a daemon thread so the server answers /api/health at once;
    `audit()` waits (bounded) for it and runs audits one at a time under a lock, since a
    spaCy pipeline is not meant to be shared by concurrent threads. With a `pool`, the
    audits run in its worker processes instead (in parallel, under a time limit); this
    process's Auditor then only supplies the rules and the knowledge-base trail.
    """

    def __init__(
        self,
        factory: AuditorFactory,
        settings: Settings,
        *,
        root: Path | None = None,
        ready_timeout: float = 120.0,
        pool: AuditPool | None = None,
    ) -> None:
        self._factory = factory
        self._pool = pool
        self._settings = settings
        self._root = root or Path.cwd()
        self._known: tuple[tuple[str, str], ...] = ()
        self._ready_timeout = ready_timeout
        self._built = threading.Event()
        self._start_lock = threading.Lock()
        self._audit_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._auditor: AuditorLike | None = None
        self._error: str | None = None
        self.kb_version: str | None = None
        self.kb_hash: str | None = None

    def start(self) -> None:
        """Begin building the auditor (idempotent)."""
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._build, name="claimaudit-auditor", daemon=True
                )
                self._thread.start()

    @property
    def ready(self) -> bool:
        return self._built.is_set() and self._auditor is not None

    @property
    def error(self) -> str | None:
        return self._error if self._built.is_set() else None

    def auditor(self, timeout: float | None = None) -> AuditorLike:
        """The auditor, waiting for it to be built; RequestError 503 if it is not (yet) there."""
        self.start()
        if not self._built.wait(self._ready_timeout if timeout is None else timeout):
            raise RequestError(
                "the auditor is still loading; try again in a moment", code="SV503", status=503
            )
        if self._auditor is None:
            raise RequestError(
                f"the auditor could not start: {self._error}", code="SV500", status=503
            )
        return self._auditor

    def audit(self, draft: Draft) -> AuditResult:
        """Audit one draft; the result holds exactly one document."""
        auditor = self.auditor()
        source = SourceDocument(path=draft.path, media_type=draft.media_type, text=draft.text)
        if self._pool is not None:
            document = self._pool.audit(source)
        else:
            with self._audit_lock:
                document = auditor.audit_source(source)
        from claimaudit.gate.accept import accept_findings

        document, _ = accept_findings(document, self._settings, self._known, self._root)
        return auditor.result([document])

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._pool is not None:
            self._pool.close()

    def rules(self) -> list[RuleInfo]:
        """Every rule the auditor runs, in its own order."""
        return [_rule_info(module) for module in self.auditor().rules]

    def rule_records(self) -> tuple[Any, ...]:
        """The `Rule` records (for reporters that title findings by rule name)."""
        return tuple(getattr(module, "rule", module) for module in self.auditor().rules)

    def _build(self) -> None:
        try:
            auditor = self._factory()
            with self._audit_lock:
                empty = auditor.result([])
            self.kb_version, self.kb_hash = empty.kb_version, empty.kb_hash
            self._known = _known_codes(auditor)
            if self._pool is not None:
                self._pool.start()
            self._auditor = auditor
            log.info("auditor ready (knowledge base %s, %s)", self.kb_version, self.kb_hash)
        except Exception as exc:  # noqa: BLE001 -- reported by /api/health and every audit request
            self._error = (
                exc.format_message()
                if isinstance(exc, ClaimAuditError)
                else f"{type(exc).__name__}: {exc}"
            )
            log.error("the auditor could not start: %s", self._error)
        finally:
            self._built.set()


def _rule_info(module: Any) -> RuleInfo:
    rule = getattr(module, "rule", module)
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        family=getattr(rule.family, "value", str(rule.family)),
        severity=getattr(rule.severity, "value", str(rule.severity)),
        summary=rule.summary,
    )


def _known_codes(auditor: AuditorLike) -> tuple[tuple[str, str], ...]:
    """(code, family) of every rule plus the suppression (META) rules, as `check` knows them."""
    from claimaudit.gate.suppression import SUPPRESSION_RULES

    rules = [getattr(module, "rule", module) for module in auditor.rules]
    return tuple(
        (rule.code, getattr(rule.family, "value", str(rule.family)))
        for rule in (*rules, *SUPPRESSION_RULES)
    )
