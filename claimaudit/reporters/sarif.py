"""SARIF 2.1.0: for GitHub code scanning and other SARIF viewers.

Rules carry their documentation (help.markdown is the rule doc); results point at the exact
region with a snippet; whole-document findings (DISC) sit on line 1. Unreadable inputs become
tool execution notifications. Columns count Unicode code points (run.columnKind).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from claimaudit.findings.model import Finding, Severity, SourceSpan
from claimaudit.gate.suppression import SUPPRESSION_RULES
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions, indented_json
from claimaudit.reporters._common import display_path, error_text, first_paragraph
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "claimaudit/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return indented_json.dumps(to_sarif(result, options)) + "\n"


def to_sarif(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    rules = _rules(result, options)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = [
        _result(finding, document.path, index, options)
        for document in result.documents
        for finding in document.findings
    ]
    notifications = [notification(document, options) for document in result.errors]
    return _log(result, options, rules, results, notifications)


RESULT_DEPTH = 4  # a result's nesting in the log: {"runs": [{"results": [...]}]}
_RESULTS_MARK = "\x00results\x00"  # stands for the results in the log a streamed report fills in


def results_text(document: DocumentResult, options: ReportOptions) -> tuple[str, tuple[str, ...]]:
    """The SARIF results of `document`'s findings as they appear in the log (comma-separated,
    indented), and the codes among them that no rule of `options` describes: their index is
    known only once every document is in, so the text holds `_code_mark(code)` for it."""
    index: dict[str, Any] = _known_index(options)
    unknown = tuple(sorted({f.code for f in document.findings} - set(index)))
    if unknown:
        index = {**index, **{code: _code_mark(code) for code in unknown}}
    pad = "  " * RESULT_DEPTH
    text = ",\n".join(pad + indented_json.dumps(_result(f, document.path, index, options), depth=RESULT_DEPTH)
                      for f in document.findings)
    return text, unknown


def notification(document: DocumentResult, options: ReportOptions) -> dict[str, Any]:
    """The tool execution notification of an unreadable input."""
    return {
        "level": "error",
        "message": {"text": error_text(document)},
        "descriptor": {"id": document.error_code or "IN100"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(document.path, options.root)}}],
    }


def streamed_log(result: AuditResult, options: ReportOptions, unknown: set[str],
                 notifications: list[dict[str, Any]], any_results: bool) -> tuple[str, str, dict[str, str]]:
    """The log around streamed results (`result`: the audit trail, without documents): the text
    before and after them (the whole log when there are none), and what each code mark in the
    results stands for."""
    rules = _known_descriptors(options) + [{"id": code, "shortDescription": {"text": code}}
                                           for code in sorted(unknown - set(_known_index(options)))]
    marks = {indented_json.dumps(_code_mark(d["id"])): str(position) for position, d in enumerate(rules)
             if d["id"] in unknown}
    log = _log(result, options, rules, [_RESULTS_MARK] if any_results else [], notifications)
    text = indented_json.dumps(log) + "\n"
    if not any_results:
        return text, "", marks
    line = "  " * RESULT_DEPTH + indented_json.dumps(_RESULTS_MARK)
    before, found, after = text.partition(line)
    assert found and not after.startswith(","), "the results mark stands alone in the log"
    return before, after, marks


def _code_mark(code: str) -> str:
    return f"\x00rule:{code}\x00"


def _log(result: AuditResult, options: ReportOptions, rules: list[dict[str, Any]], results: list[Any],
         notifications: list[dict[str, Any]]) -> dict[str, Any]:
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "claimaudit",
                "version": result.tool_version,
                "semanticVersion": result.tool_version,
                "rules": rules,
            }
        },
        "invocations": [_invocation(notifications)],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "kbVersion": result.kb_version,
            "kbHash": result.kb_hash,
            "kbOldestChecked": result.kb_checked or None,
        },
    }
    if options.root:
        root_uri = Path(options.root).absolute().as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(result: AuditResult, options: ReportOptions) -> list[dict[str, Any]]:
    descriptors = _known_descriptors(options)
    for code in sorted({f.code for f in result.findings} - set(_known_index(options))):
        descriptors.append({"id": code, "shortDescription": {"text": code}})
    return descriptors


def _known_rules(options: ReportOptions) -> list[Rule]:
    known: dict[str, Rule] = {}
    for rule in (*options.rules, *SUPPRESSION_RULES):
        known.setdefault(rule.code, rule)
    return list(known.values())


def _known_descriptors(options: ReportOptions) -> list[dict[str, Any]]:
    return [_descriptor(rule) for rule in _known_rules(options)]


def _known_index(options: ReportOptions) -> dict[str, int]:
    """The index of each described rule among the log's rules (the undescribed codes follow)."""
    return {rule.code: position for position, rule in enumerate(_known_rules(options))}


def _descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": first_paragraph(doc) or rule.summary or rule.name},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": [rule.family.value]},
    }


def artifact_location(path: str, root: str) -> dict[str, Any]:
    shown = display_path(path, root)
    if Path(shown).is_absolute():
        return {"uri": Path(shown).as_uri()}
    location: dict[str, Any] = {"uri": quote(shown, safe="/")}
    if root:
        location["uriBaseId"] = "%SRCROOT%"
    return location


def _span_region(span: SourceSpan, snippet: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def _region(finding: Finding) -> dict[str, Any]:
    """The trigger (the words that made the rule fire) is the result's region."""
    if finding.is_document_level:
        return {"startLine": 1}
    if finding.trigger is not None:
        return _span_region(finding.trigger, finding.trigger_text)
    return _span_region(finding.span, finding.text)


def _physical_location(finding: Finding, path: str, options: ReportOptions) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": artifact_location(path, options.root), "region": _region(finding)}
    if not finding.is_document_level and finding.trigger is not None and finding.trigger != finding.span:
        location["contextRegion"] = _span_region(finding.span, finding.text)  # the whole claim
    return location


def _fixes(finding: Finding, path: str, options: ReportOptions) -> list[dict[str, Any]]:
    """The rewrite as a SARIF fix: the claim's span replaced by the suggestion."""
    if not finding.suggestion or finding.is_document_level:
        return []
    span = finding.span
    return [{
        "description": {"text": "Replace the sentence with the suggested rewrite."},
        "artifactChanges": [{
            "artifactLocation": artifact_location(path, options.root),
            "replacements": [{
                "deletedRegion": {"charOffset": span.start, "charLength": span.end - span.start},
                "insertedContent": {"text": finding.suggestion},
            }],
        }],
    }]


def _result(finding: Finding, path: str, index: dict[str, Any], options: ReportOptions) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": _physical_location(finding, path, options)}],
    }
    fixes = _fixes(finding, path, options)
    if fixes:
        item["fixes"] = fixes
    if finding.fingerprint:
        item["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    properties: dict[str, Any] = {"family": finding.family.value}
    for key in ("suggestion", "advice", "note"):
        value = getattr(finding, key)
        if value:
            properties[key] = value
    if finding.trigger_text:
        properties["trigger"] = finding.trigger_text
    if finding.omits:
        properties["omits"] = finding.omits
    if finding.evidence:
        properties["evidence"] = [
            {"id": e.id, "label": e.label, "url": e.url, "note": e.note} for e in finding.evidence
        ]
    item["properties"] = properties
    return item


def _invocation(notifications: list[dict[str, Any]]) -> dict[str, Any]:
    """The invocation, with the notifications of the unreadable inputs."""
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
