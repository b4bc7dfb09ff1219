"""Audit an editor buffer the way `claimaudit check` audits the file: nearest configuration,
inline suppressions, fingerprints and rule selection. One Auditor per knowledge/jurisdiction
setting, built on first use and reused."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from claimaudit.findings.model import Finding

LANGUAGE_MEDIA_TYPES = {
    "markdown": "text/markdown",
    "html": "text/html",
    "plaintext": "text/plain",
    "text": "text/plain",
}


@dataclass(frozen=True, slots=True)
class BufferAudit:
    """What the server keeps per open document: the text audited and its findings."""

    uri: str
    version: int | None
    text: str
    media_type: str
    findings: tuple[Finding, ...]
    error: str | None = None  # a configuration or input error, shown as one diagnostic


def uri_to_path(uri: str) -> Path | None:
    """The file path of a file:// URI (None for untitled buffers and other schemes)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path))


def media_type_for(uri: str, language_id: str | None) -> str | None:
    """Markdown, HTML or plain text, from the editor's language id, else the file extension."""
    if language_id and language_id.lower() in LANGUAGE_MEDIA_TYPES:
        return LANGUAGE_MEDIA_TYPES[language_id.lower()]
    from claimaudit.ingest.read import EXTENSIONS

    path = uri_to_path(uri) or Path(urlsplit(uri).path)
    return EXTENSIONS.get(path.suffix.lower())


class BufferAuditor:
    """Audits buffers; thread-safe (one audit at a time: a spaCy pipeline is not shared between threads)."""

    def __init__(self, root: Path | None = None, cli: dict[str, Any] | None = None) -> None:
        self.root = root or Path.cwd()
        self.cli = cli or {}
        self._auditors: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()

    def audit(self, uri: str, text: str, media_type: str, version: int | None = None) -> BufferAudit:
        from claimaudit.commands.check import _validate_config_selectors, known_rules
        from claimaudit.config import SettingsResolver
        from claimaudit.errors import ClaimAuditError
        from claimaudit.gate.accept import accept_findings
        from claimaudit.ingest.source import SourceDocument

        path = uri_to_path(uri)
        try:
            resolver = SettingsResolver(self.cli)
            settings = resolver.settings_for(path if path is not None else self.root / "untitled")
            rules = known_rules()
            known = [(rule.code, rule.family.value) for rule in rules]
            for found in resolver.configs:
                _validate_config_selectors(resolver.settings_for(found.path), known, str(found.path))
            report_path = str(path) if path is not None else uri
            source = SourceDocument(path=report_path, media_type=media_type, text=text)
            with self._lock:
                document = self._auditor(settings).audit_source(source)
            if document.error:
                return BufferAudit(uri, version, text, media_type, (), document.error)
            config = resolver.config_for(path) if path is not None else None
            root = config.path.parent if config is not None else self.root
            accepted, _ = accept_findings(document, settings, known, root)
        except ClaimAuditError as error:
            return BufferAudit(uri, version, text, media_type, (), error.format_message())
        return BufferAudit(uri, version, text, media_type, accepted.findings)

    def _auditor(self, settings: Any) -> Any:
        from claimaudit.audit import Auditor
        from claimaudit.settings import Settings

        key = (settings.knowledge_dirs, settings.bundled_knowledge, settings.jurisdictions, settings.max_bytes)
        if key not in self._auditors:
            self._auditors[key] = Auditor(Settings(jurisdictions=settings.jurisdictions,
                                                   knowledge_dirs=settings.knowledge_dirs,
                                                   bundled_knowledge=settings.bundled_knowledge,
                                                   max_bytes=settings.max_bytes))
        return self._auditors[key]
