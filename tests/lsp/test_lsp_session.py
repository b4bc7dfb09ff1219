"""A real LSP session: pygls's client talks to `python -m claimaudit lsp` over stdio.

Open Markdown, HTML and plain-text buffers, get diagnostics on exactly the flagged characters
(UTF-16 columns), hover for the reason and evidence, take the code actions (suggested rewrite,
suppression comment with a reason), change the buffer and see the diagnostics follow; the
project's configuration file is honoured.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

MARKDOWN = (
    "# Ketamine for anxiety\n\n"
    "Welcome 🙂. Our ketamine infusions are proven safe for everyone.\n\n"
    "Studies show that ketamine works rapidly for generalized anxiety disorder.\n"
)
HTML = "<html><body><article><p>Ketamine is FDA-approved for generalized anxiety disorder.</p></article></body></html>\n"
TEXT = "Ketamine has no side effects.\n"
TIMEOUT = 120.0


class Session:
    """The client plus the diagnostics it received, per URI, as they arrive."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()

    def record(self, params: types.PublishDiagnosticsParams) -> None:
        self.published.setdefault(params.uri, []).append(params)
        self.arrived.set()

    async def diagnostics(self, uri: str, version: int) -> list[types.Diagnostic]:
        async def wait() -> list[types.Diagnostic]:
            while True:
                for params in self.published.get(uri, []):
                    if params.version == version:
                        return list(params.diagnostics)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(wait(), TIMEOUT)

    def open(self, uri: str, language: str, text: str) -> None:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))


def _slice(text: str, rng: types.Range) -> str:
    """The text a range covers, counting UTF-16 units as LSP does."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line].encode("utf-16-le")[: position.character * 2].decode("utf-16-le")
        return sum(len(x) + 1 for x in lines[: position.line]) + len(line)

    return text[offset(rng.start):offset(rng.end)]


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line].encode("utf-16-le")[: position.character * 2].decode("utf-16-le")
        return sum(len(x) + 1 for x in lines[: position.line]) + len(line)

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]


async def _session(workspace: Path) -> dict[str, Any]:
    client = LanguageClient("claimaudit-test", "1")
    session = Session(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        session.record(params)

    await client.start_io(sys.executable, "-m", "claimaudit", "lsp", cwd=str(workspace))
    out: dict[str, Any] = {}
    try:
        result = await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")]))
        out["capabilities"] = result.capabilities
        client.initialized(types.InitializedParams())
        md_uri = (workspace / "page.md").as_uri()
        session.open(md_uri, "markdown", MARKDOWN)
        session.open((workspace / "page.html").as_uri(), "html", HTML)
        session.open((workspace / "notes.txt").as_uri(), "plaintext", TEXT)
        session.open((workspace / "script.py").as_uri(), "python", "x = 'proven safe'\n")
        out["md"] = await session.diagnostics(md_uri, 1)
        out["html"] = await session.diagnostics((workspace / "page.html").as_uri(), 1)
        out["txt"] = await session.diagnostics((workspace / "notes.txt").as_uri(), 1)
        safe = next(d for d in out["md"] if d.code == "SAFE001")
        out["hover"] = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=md_uri), position=safe.range.start))
        out["nohover"] = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=md_uri), position=types.Position(line=1, character=0)))
        evi = next(d for d in out["md"] if d.code == "EVI001")
        out["actions"] = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=md_uri), range=evi.range,
            context=types.CodeActionContext(diagnostics=[evi])))
        suppress = next(a for a in out["actions"] if "suppress EVI001" in a.title)
        [edit] = suppress.edit.changes[md_uri]
        changed = _apply(MARKDOWN, edit)
        out["changed_text"] = changed
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=md_uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)]))
        out["md2"] = await session.diagnostics(md_uri, 2)
        out["published_py"] = session.published.get((workspace / "script.py").as_uri())
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await asyncio.wait_for(client.stop(), 30)
    return out


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workspace = tmp_path_factory.mktemp("ws")
    (workspace / ".claimaudit.toml").write_text('ignore = ["DISC", "CITE"]\n', "utf-8")
    return asyncio.run(_session(workspace))


def test_diagnostics_mark_exactly_the_flagged_text(session: dict[str, Any]) -> None:
    diagnostics = session["md"]
    codes = {d.code for d in diagnostics}
    assert {"SAFE001", "EVI001"} <= codes
    safe = next(d for d in diagnostics if d.code == "SAFE001")
    assert safe.severity == types.DiagnosticSeverity.Error and safe.source == "claimaudit"
    flagged = _slice(MARKDOWN, safe.range)
    assert flagged == "proven safe"  # the words that triggered the finding
    # "Welcome " (8) + the emoji (two UTF-16 units) + ". Our ketamine infusions are " (29)
    assert (safe.range.start.line, safe.range.start.character) == (2, 39)
    assert {d.code for d in session["html"]} >= {"REG001"}
    assert {d.code for d in session["txt"]} >= {"SAFE001"}
    assert session["published_py"] is None  # not a language claimaudit reads


def test_project_configuration_is_honoured(session: dict[str, Any]) -> None:
    every = [d.code for key in ("md", "html", "txt") for d in session[key]]
    assert every and not any(str(code).startswith(("DISC", "CITE")) for code in every)


def test_hover_gives_reason_and_evidence(session: dict[str, Any]) -> None:
    hover = session["hover"]
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert "**SAFE001" in value and "absolute" in value.lower()
    assert "Evidence:" in value and "](https://" in value
    assert session["nohover"] is None


def test_code_actions_rewrite_and_suppress(session: dict[str, Any]) -> None:
    titles = [a.title for a in session["actions"]]
    assert any("apply the suggested rewrite (EVI001)" in t for t in titles)
    rewrite = next(a for a in session["actions"] if "rewrite (EVI001)" in a.title)
    [edit] = next(iter(rewrite.edit.changes.values()))
    assert "Studies show" in _slice(MARKDOWN, edit.range) and edit.new_text and "Studies show" not in edit.new_text
    assert "<!-- claimaudit-disable-next-line EVI001 -- REASON" in session["changed_text"]
    before = [d.code for d in session["md"]]
    after = [d.code for d in session["md2"]]
    assert "EVI001" in before and "EVI001" not in after
    assert "SAFE001" in after
