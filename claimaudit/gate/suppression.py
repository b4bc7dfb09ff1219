"""Inline suppressions: `claimaudit-disable-next-line`, `-disable`/`-enable` blocks, `-disable-file`.

Written as comments in the checked file, each naming codes (or prefixes/families) and a reason:

    <!-- claimaudit-disable-next-line SAFE001 -- quoted from the product label -->
    <!-- claimaudit-disable STAT -- figures from the cited trial -->  ...  <!-- claimaudit-enable -->
    <!-- claimaudit-disable-file DISC001 -- the disclosure lives on a linked page -->

The ingest stage parses the comments into `Directive` records; this module applies them and
reports problems with the directives themselves as META findings (SUP001-SUP004), like Ruff's
RUF100. A directive without a reason still suppresses, and is reported (SUP002).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.gate.selection import selector_matches
from claimaudit.ingest.directives import ACTIONS, INVALID
from claimaudit.ingest.offsets import LineIndex
from claimaudit.ingest.source import Directive
from claimaudit.rules.base import Rule

PREFIX = "claimaudit-"

UNUSED = Rule(
    code="SUP001",
    name="unused-suppression",
    family=Family.META,
    severity=Severity.WARNING,
    summary="A suppression comment that suppressed nothing.",
    doc="""## What it flags
A `claimaudit-disable-next-line`, `claimaudit-disable` or `claimaudit-disable-file` comment
naming a code for which no finding was suppressed, or a `claimaudit-enable` that closes no
open block.

## Why it matters
Stale suppressions hide future problems: when the text under them changes, a new overstated
claim would be silenced without anyone reading it.

## Flagged example
`<!-- claimaudit-disable-next-line SAFE001 -- label wording -->` above a sentence that
makes no safety claim.

## Use instead
Delete the comment, or move it above the line it was meant for.
""",
)

NO_REASON = Rule(
    code="SUP002",
    name="suppression-without-reason",
    family=Family.META,
    severity=Severity.WARNING,
    summary="A suppression comment that gives no reason after `--`.",
    doc="""## What it flags
A suppression comment without a reason: `<!-- claimaudit-disable-next-line SAFE001 -->`.

## Why it matters
A reviewer must be able to tell why a health claim was allowed to stand. The comment still
suppresses; this finding asks for the reason.

## Use instead
`<!-- claimaudit-disable-next-line SAFE001 -- quoted verbatim from the FDA label -->`
""",
)

UNKNOWN_CODE = Rule(
    code="SUP003",
    name="unknown-suppression-code",
    family=Family.META,
    severity=Severity.WARNING,
    summary="A suppression comment naming no code, or a code that matches no rule.",
    doc="""## What it flags
A suppression comment whose code matches no rule (`SAFE01X`), or that names no code at all.
Blanket suppressions are not allowed: name the codes, prefixes or families to silence.

## Why it matters
A mistyped code silences nothing, and the finding the author meant to accept keeps failing
the check; a blanket suppression would silence every future finding on that text.

## Use instead
`<!-- claimaudit-disable-next-line SAFE001 -- reason -->`
""",
)

UNKNOWN_DIRECTIVE = Rule(
    code="SUP004",
    name="unknown-directive",
    family=Family.META,
    severity=Severity.WARNING,
    summary="A comment that looks like a claimaudit directive but names no known action.",
    doc="""## What it flags
A comment starting with `claimaudit-` whose action is not one of `disable-next-line`,
`disable`, `enable` or `disable-file`, such as `<!-- claimaudit-disabel-next-line SAFE001 -->`.

## Why it matters
A misspelt directive suppresses nothing, silently: the author believes a finding was accepted
while the check keeps failing, or a block meant to be closed by `claimaudit-enable` never is.

## Use instead
`<!-- claimaudit-disable-next-line SAFE001 -- reason -->`
""",
)

SUPPRESSION_RULES: tuple[Rule, ...] = (UNUSED, NO_REASON, UNKNOWN_CODE, UNKNOWN_DIRECTIVE)


@dataclass(frozen=True, slots=True)
class SuppressionOutcome:
    """Findings after suppression (kept + META findings) and the ones suppressed."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()


@dataclass(slots=True)
class _Scope:
    directive: Directive
    selector: str
    start: int  # source offsets: a finding starting in [start, end) is covered ...
    end: int
    line: int | None = None  # ... or, for disable-next-line, one touching this line
    used: bool = field(default=False)

    def covers(self, finding: Finding) -> bool:
        if not selector_matches(self.selector, finding.code, finding.family.value):
            return False
        if self.line is not None:
            return finding.span.line <= self.line <= finding.span.end_line
        return self.start <= finding.span.start < self.end


def apply_suppressions(
    findings: Iterable[Finding],
    directives: Sequence[Directive],
    source_text: str,
    known: Sequence[tuple[str, str]],
) -> SuppressionOutcome:
    """Apply inline directives to a document's findings; `known` lists (code, family) pairs."""
    lines = LineIndex.of(source_text)
    meta: list[Finding] = []
    scopes: list[_Scope] = []
    open_blocks: list[_Scope] = []
    for directive in sorted(directives, key=lambda d: d.start):
        span = _span(lines, directive)
        text = source_text[directive.start : directive.end]
        label = PREFIX + directive.action
        selectors = [code.strip().upper() for code in directive.codes if code.strip()]
        if directive.action == INVALID:
            meta.append(_meta(UNKNOWN_DIRECTIVE, span, text, _unknown_directive_message(directive.reason)))
            continue
        if directive.action == "enable":
            meta += _close_blocks(open_blocks, selectors, directive, span, text)
            continue
        if not selectors:
            meta.append(_meta(UNKNOWN_CODE, span, text,
                              f"'{label}' names no rule code (blanket suppressions are not allowed)"))
            continue
        if not directive.reason.strip():
            meta.append(_meta(NO_REASON, span, text,
                              f"'{label}' gives no reason: add '-- why this text is acceptable'"))
        for selector in selectors:
            if not any(selector_matches(selector, code, family) for code, family in known):
                meta.append(_meta(UNKNOWN_CODE, span, text,
                                  f"unknown rule code '{selector}' in '{label}'"))
                continue
            scope = _scope(directive, selector, span, lines, source_text)
            scopes.append(scope)
            if directive.action == "disable":
                open_blocks.append(scope)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        covering = [scope for scope in scopes if scope.covers(finding)]
        for scope in covering:
            scope.used = True
        (suppressed if covering else kept).append(finding)
    for scope in scopes:
        if not scope.used:
            label = PREFIX + scope.directive.action
            meta.append(_meta(UNUSED, _span(lines, scope.directive),
                              source_text[scope.directive.start : scope.directive.end],
                              f"unused suppression: '{scope.selector}' in '{label}' matched no finding"))
    return SuppressionOutcome(tuple(kept) + tuple(meta), tuple(suppressed))


def _unknown_directive_message(written: str) -> str:
    import difflib

    names = [PREFIX + action for action in ACTIONS]
    close = difflib.get_close_matches(written.lower(), names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(names)})"
    return f"'{written}' is not a claimaudit directive, it suppresses nothing{hint}"


def _scope(
    directive: Directive, selector: str, span: SourceSpan, lines: LineIndex, source_text: str
) -> _Scope:
    if directive.action == "disable-next-line":
        return _Scope(directive, selector, 0, 0, line=_next_text_line(lines, span.end_line, source_text))
    if directive.action == "disable-file":
        return _Scope(directive, selector, 0, len(source_text) + 1)
    return _Scope(directive, selector, directive.end, len(source_text) + 1)  # block, until enable


def _close_blocks(
    open_blocks: list[_Scope], selectors: Sequence[str], directive: Directive, span: SourceSpan, text: str
) -> list[Finding]:
    closing = [s for s in open_blocks if not selectors or s.selector in selectors]
    for scope in closing:
        scope.end = directive.start
        open_blocks.remove(scope)
    if closing:
        return []
    named = " " + " ".join(selectors) if selectors else ""
    return [_meta(UNUSED, span, text,
                  f"unused suppression: 'claimaudit-enable{named}' closes no open 'claimaudit-disable'")]


def _next_text_line(lines: LineIndex, after_line: int, source_text: str) -> int:
    """The first line after `after_line` that holds more than whitespace."""
    for index in range(after_line, len(lines.starts)):  # starts[index] is line index+1
        start = lines.starts[index]
        end = lines.starts[index + 1] if index + 1 < len(lines.starts) else len(source_text)
        if source_text[start:end].strip():
            return index + 1
    return after_line + 1


def _span(lines: LineIndex, directive: Directive) -> SourceSpan:
    line, column = lines.line_column(directive.start)
    end_line, end_column = lines.line_column(directive.end)
    return SourceSpan(directive.start, directive.end, line, column, end_line, end_column)


def _meta(rule: Rule, span: SourceSpan, text: str, message: str) -> Finding:
    return Finding(
        code=rule.code,
        family=rule.family,
        severity=rule.severity,
        span=span,
        text=text,
        message=message,
        suggestion=None,
    )
