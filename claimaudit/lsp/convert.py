"""Findings as LSP objects: diagnostics, hover text and code actions. Pure functions.

LSP positions count UTF-16 code units per line; claimaudit offsets count code points, so every
conversion goes through `Positions`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from claimaudit.findings.model import Finding, Severity

SOURCE = "claimaudit"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Suggestions that start like this are advice to the writer, not replacement text.
_ADVICE = re.compile(
    r"^(?:add|avoid|check|cite|describe|drop|explain|give|keep|link|list|mention|name|quote|remove|"
    r"replace|report|say|state|use|attribute|qualify|specify|include|disclose)\b", re.IGNORECASE)


class Positions:
    """Code-point offsets <-> LSP (line, UTF-16 character) positions of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        prefix = self.text[self.starts[line]:offset]
        return types.Position(line=line, character=len(prefix.encode("utf-16-le")) // 2)

    def offset(self, position: types.Position) -> int:
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.starts[position.line + 1] - 1 if position.line + 1 < len(self.starts) else len(self.text)
        units = 0
        for index in range(start, end):
            if units >= position.character:
                return index
            units += 2 if ord(self.text[index]) > 0xFFFF else 1
        return end

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


def anchor(finding: Finding) -> tuple[int, int]:
    """The characters a diagnostic marks: the words that triggered the finding."""
    span = finding.trigger_span
    return span.start, span.end


def diagnostic(finding: Finding, positions: Positions, rule_name: str = "") -> types.Diagnostic:
    start, end = anchor(finding)
    if finding.is_document_level:
        start, end = finding.span.start, finding.span.end
    return types.Diagnostic(
        range=positions.range(start, end),
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        source=SOURCE,
        message=f"{finding.message}" + (f" ({rule_name})" if rule_name else ""),
        data={"fingerprint": finding.fingerprint},
    )


def findings_at(findings: Sequence[Finding], offset: int) -> list[Finding]:
    """Findings covering the offset, innermost first (document-level ones only on their title span)."""
    hits = [f for f in findings if f.span.start <= offset <= f.span.end]
    return sorted(hits, key=lambda f: (f.span.end - f.span.start, -f.severity.rank))


def hover_markdown(findings: Sequence[Finding], rule_names: dict[str, str] | None = None) -> str:
    """The reason, the evidence (linked) and the suggestion of each finding, as Markdown."""
    names = rule_names or {}
    blocks = []
    for finding in findings:
        name = f" {names[finding.code]}" if finding.code in names else ""
        lines = [f"**{finding.code}{name}** ({finding.severity.value}, {finding.family.value})", "",
                 _escape(finding.message)]
        if finding.evidence:
            lines += ["", "Evidence:"]
            for ref in finding.evidence:
                label = _escape(ref.label or ref.id)
                lines.append(f"- [{label}]({ref.url})" if ref.url.startswith(("http://", "https://"))
                             else f"- {label}")
        if finding.suggestion:
            lines += ["", f"Suggestion: {_escape(finding.suggestion)}"]
        blocks.append("\n".join(lines))
    return "\n\n---\n\n".join(blocks)


def rewrite(finding: Finding) -> tuple[int, int, str] | None:
    """(start, end, new text) when the finding's suggestion is wording that can replace its span."""
    suggestion = (finding.suggestion or "").strip()
    if not suggestion or finding.is_document_level or _ADVICE.match(suggestion):
        return None
    return finding.span.start, finding.span.end, suggestion


def suppression_comment(finding: Finding, reason: str) -> str:
    action = "disable-file" if finding.is_document_level else "disable-next-line"
    return f"<!-- claimaudit-{action} {finding.code} -- {reason} -->"


@dataclass(frozen=True, slots=True)
class ActionContext:
    uri: str
    positions: Positions
    version: int | None = None


def code_actions(findings: Sequence[Finding], context: ActionContext,
                 reason: str = "REASON: say why this wording stands") -> list[types.CodeAction]:
    """Per finding: apply the suggested rewrite (when it is replacement wording), and insert a
    suppression comment above its line (page-level findings: a file-level one at the top)."""
    actions: list[types.CodeAction] = []
    for finding in findings:
        change = rewrite(finding)
        if change is not None:
            start, end, text = change
            actions.append(types.CodeAction(
                title=f"claimaudit: apply the suggested rewrite ({finding.code})",
                kind=types.CodeActionKind.QuickFix,
                edit=_edit(context, context.positions.range(start, end), text),
                is_preferred=True,
            ))
        line = 0 if finding.is_document_level else context.positions.position(finding.span.start).line
        at = types.Position(line=line, character=0)
        actions.append(types.CodeAction(
            title=f"claimaudit: suppress {finding.code} here, with a reason",
            kind=types.CodeActionKind.QuickFix,
            edit=_edit(context, types.Range(start=at, end=at), suppression_comment(finding, reason) + "\n"),
        ))
    return actions


def _edit(context: ActionContext, where: types.Range, text: str) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={context.uri: [types.TextEdit(range=where, new_text=text)]})


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
