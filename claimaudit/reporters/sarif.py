"""SARIF 2.1.0: for GitHub code scanning and other SARIF viewers.

Rules carry their documentation (help.markdown is the rule doc); results point at the exact
region with a snippet; whole-document findings (DISC) sit on line 1. Unreadable inputs become
tool execution notifications. Columns count Unicode code points (run.columnKind).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from claimaudit.findings.model import Finding, Severity, SourceSpan
from claimaudit.gate.suppression import SUPPRESSION_RULES
from claimaudit.reporters import DEFAULT_OPTIONS, ReportOptions
from claimaudit.reporters._common import display_path, error_text, first_paragraph
from claimaudit.result import AuditResult
from claimaudit.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "claimaudit/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(to_sarif(result, options), indent=2, ensure_ascii=False) + "\n"


def to_sarif(result: AuditResult, options: ReportOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    rules = _rules(result, options)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = [
        _result(finding, document.path, index, options)
        for document in result.documents
        for finding in document.findings
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "claimaudit",
                "version": result.tool_version,
                "semanticVersion": result.tool_version,
                "rules": rules,
            }
        },
        "invocations": [_invocation(result, options)],
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
    known: dict[str, Rule] = {}
    for rule in (*options.rules, *SUPPRESSION_RULES):
        known.setdefault(rule.code, rule)
    descriptors = [_descriptor(rule) for rule in known.values()]
    for code in sorted({f.code for f in result.findings} - set(known)):
        descriptors.append({"id": code, "shortDescription": {"text": code}})
    return descriptors


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


def _result(finding: Finding, path: str, index: dict[str, int], options: ReportOptions) -> dict[str, Any]:
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


def _invocation(result: AuditResult, options: ReportOptions) -> dict[str, Any]:
    notifications = [
        {
            "level": "error",
            "message": {"text": error_text(document)},
            "descriptor": {"id": document.error_code or "IN100"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(document.path, options.root)}}],
        }
        for document in result.errors
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
