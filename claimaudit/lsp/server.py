"""The pygls language server: diagnostics on open/change/save, hover, code actions.

Audits run in a worker thread, debounced while typing; a result is published only if the buffer
has not changed since (its version). Untitled buffers and non-file URIs are audited with the
configuration found from the workspace root.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from claimaudit import __version__
from claimaudit.lsp.convert import (
    ActionContext,
    Positions,
    code_actions,
    diagnostic,
    findings_at,
    hover_markdown,
)
from claimaudit.lsp.engine import BufferAudit, BufferAuditor, media_type_for, uri_to_path

log = logging.getLogger("claimaudit.lsp")
DEBOUNCE_SECONDS = 0.3


class ClaimauditServer(LanguageServer):
    """A LanguageServer holding the buffer auditor and the last audit of each open document."""

    def __init__(self, cli: dict[str, Any] | None = None, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("claimaudit", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.cli = cli or {}
        self.debounce = debounce
        self.buffers: BufferAuditor | None = None
        self.audits: dict[str, BufferAudit] = {}
        self.languages: dict[str, str | None] = {}
        self.rule_names: dict[str, str] = {}

    def auditor(self) -> BufferAuditor:
        if self.buffers is None:
            root = Path(self.workspace.root_path) if self.workspace.root_path else Path.cwd()
            self.buffers = BufferAuditor(root, self.cli)
        return self.buffers


def build_server(cli: dict[str, Any] | None = None, debounce: float = DEBOUNCE_SECONDS) -> ClaimauditServer:
    server = ClaimauditServer(cli, debounce)

    @server.feature(types.INITIALIZED)
    def initialized(ls: ClaimauditServer, params: types.InitializedParams) -> None:
        from claimaudit.commands.check import known_rules

        ls.rule_names = {rule.code: rule.name for rule in known_rules()}

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: ClaimauditServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.languages[params.text_document.uri] = params.text_document.language_id
        await _audit_and_publish(ls, params.text_document.uri, delay=0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: ClaimauditServer, params: types.DidChangeTextDocumentParams) -> None:
        await _audit_and_publish(ls, params.text_document.uri, delay=ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: ClaimauditServer, params: types.DidSaveTextDocumentParams) -> None:
        await _audit_and_publish(ls, params.text_document.uri, delay=0.0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ClaimauditServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.audits.pop(params.text_document.uri, None)
        ls.languages.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                             diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ClaimauditServer, params: types.HoverParams) -> types.Hover | None:
        audit = _current(ls, params.text_document.uri)
        if audit is None:
            return None
        positions = Positions(audit.text)
        hits = findings_at(audit.findings, positions.offset(params.position))
        if not hits:
            return None
        start = min(f.span.start for f in hits)
        end = max(f.span.end for f in hits)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value=hover_markdown(hits, ls.rule_names)),
                           range=positions.range(start, end))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: ClaimauditServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        audit = _current(ls, params.text_document.uri)
        if audit is None:
            return []
        positions = Positions(audit.text)
        start, end = positions.offset(params.range.start), positions.offset(params.range.end)
        wanted = {d.data.get("fingerprint") for d in params.context.diagnostics
                  if d.source == "claimaudit" and isinstance(d.data, dict)}
        chosen = [f for f in audit.findings
                  if f.fingerprint in wanted or (f.span.start <= end and start <= f.span.end)]
        return code_actions(chosen, ActionContext(params.text_document.uri, positions, audit.version))

    return server


def _current(ls: ClaimauditServer, uri: str) -> BufferAudit | None:
    """The last audit of `uri` if it describes the buffer as it is now."""
    audit = ls.audits.get(uri)
    if audit is None:
        return None
    document = ls.workspace.get_text_document(uri)
    return audit if document.source == audit.text else None


async def _audit_and_publish(ls: ClaimauditServer, uri: str, *, delay: float) -> None:
    document = ls.workspace.get_text_document(uri)
    version = document.version
    if delay:
        await asyncio.sleep(delay)
        if ls.workspace.get_text_document(uri).version != version:
            return  # a newer change will publish
    media_type = media_type_for(uri, ls.languages.get(uri))
    if media_type is None:
        return  # not Markdown, HTML or plain text
    text = document.source
    loop = asyncio.get_running_loop()
    audit = await loop.run_in_executor(None, ls.auditor().audit, uri, text, media_type, version)
    if ls.workspace.get_text_document(uri).version != version:
        return
    ls.audits[uri] = audit
    positions = Positions(text)
    diagnostics = [diagnostic(f, positions, ls.rule_names.get(f.code, "")) for f in audit.findings]
    if audit.error:
        diagnostics.append(types.Diagnostic(range=positions.range(0, 0), message=audit.error,
                                            severity=types.DiagnosticSeverity.Error, source="claimaudit",
                                            code=audit.error.split(" ", 1)[0]))
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, version=version,
                                                                         diagnostics=diagnostics))
    log.debug("published %d diagnostics for %s", len(diagnostics), uri_to_path(uri) or uri)
