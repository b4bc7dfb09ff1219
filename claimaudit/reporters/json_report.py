"""JSON output: the canonical serialization of an audit (schema: finding.schema.json)."""

from __future__ import annotations

from typing import Any

from claimaudit.claims.coverage import Unjudged
from claimaudit.reporters import indented_json
from claimaudit.claims.model import Claim
from claimaudit.findings.model import Finding
from claimaudit.result import AuditResult, DocumentResult

SCHEMA_VERSION = "1.0"


def render(result: AuditResult) -> str:
    return render_json(result)


def render_json(result: AuditResult) -> str:
    return indented_json.dumps(result_to_dict(result)) + "\n"


def result_to_dict(result: AuditResult, *, include_claims: bool = False) -> dict[str, Any]:
    """The whole run: audit trail, a summary, and every document with its findings."""
    documents = [document_to_dict(d, include_claims=include_claims) for d in result.documents]
    findings = [f for d in result.documents for f in d.findings]
    summary = {
        "documents": len(result.documents),
        "errors": sum(1 for d in result.documents if d.error),
        "findings": len(findings),
        "by_severity": _count(f.severity.value for f in findings),
        "by_family": _count(f.family.value for f in findings),
        "not_judged": sum(len(d.unjudged) for d in result.documents),
    }
    return report_head(result, summary) | {"documents": documents}


def report_head(result: AuditResult, summary: dict[str, Any]) -> dict[str, Any]:
    """Everything a JSON report holds before its documents: schema, tool, knowledge base, summary."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "claimaudit", "version": result.tool_version},
        "knowledge_base": {
            "version": result.kb_version,
            "hash": result.kb_hash,
            "oldest_checked": result.kb_checked or None,
        },
        "summary": summary,
    }


def document_to_dict(document: DocumentResult, *, include_claims: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": document.path,
        "media_type": document.media_type,
        "error": None if document.error is None else {"code": document.error_code, "message": document.error},
        "findings": [_with_decision(finding_to_dict(f, document.path), document) for f in document.findings],
        "suppressed": document.suppressed,
        "not_judged": {
            "count": len(document.unjudged),
            "items": [unjudged_to_dict(u) for u in document.unjudged],
        },
    }
    if document.facts is not None:
        page = document.facts.page_kind
        data["page_kind"] = {
            "kind": page.kind,
            "promotional": page.promotional,
            "informational": page.informational,
            "cues": dict(page.cues),
            "forced": page.forced,
        }
    if include_claims:
        data["claims"] = [claim_to_dict(c) for c in document.claims]
    return data


def _with_decision(data: dict[str, Any], document: DocumentResult) -> dict[str, Any]:
    """A decided finding carries its review decision (a dismissed finding is still reported)."""
    decision = document.decision_for(data.get("fingerprint") or "") if document.decisions else None
    if decision is not None:
        from claimaudit.review.model import decision_to_dict

        data["decision"] = decision_to_dict(decision)
    return data


def finding_to_dict(finding: Finding, path: str) -> dict[str, Any]:
    span = finding.span
    return {
        "path": path,
        "code": finding.code,
        "family": finding.family.value,
        "severity": finding.severity.value,
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "text": finding.text,
        "message": finding.message,
        "evidence": [
            {"id": e.id, "label": e.label, "url": e.url, "note": e.note} for e in finding.evidence
        ],
        "trigger": trigger_to_dict(finding),
        "suggestion": finding.suggestion,
        "advice": finding.advice,
        "note": finding.note,
        "omits": finding.omits,
        "fingerprint": finding.fingerprint or None,
    }


def trigger_to_dict(finding: Finding) -> dict[str, Any]:
    """The words that triggered the finding (the claim span when no narrower trigger is known)."""
    span = finding.trigger_span
    return {
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
        "text": finding.trigger_text if finding.trigger is not None else finding.text,
    }


def unjudged_to_dict(item: Unjudged) -> dict[str, Any]:
    """A notice of something not judged. Deliberately not a finding (no family): it says
    nothing is known to be wrong, only that nothing was checked."""
    return {
        "code": item.code,
        "kind": item.kind,
        "name": item.name,
        "line": item.line,
        "column": item.column,
        "message": item.message,
    }


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    span = claim.span
    return {
        "id": claim.id,
        "kinds": [k.value for k in claim.kinds],
        "text": claim.text,
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
        "certainty": claim.certainty.label,
        "certainty_level": int(claim.certainty),
        "modifiers": [{"kind": q.kind.value, "text": q.text} for q in claim.qualifiers],
        "substances": list(claim.substances),
        "indications": list(claim.indications),
        "regulators": list(claim.regulators),
        "quantities": [
            {"kind": q.kind, "value": q.value, "upper": q.upper, "unit": q.unit, "text": q.text}
            for q in claim.quantities
        ],
        "citations": [
            {
                "kind": c.kind,
                "text": c.text,
                "resolves_to": c.reference.text if c.reference else None,
                "study": c.study_id,
            }
            for c in claim.citations
        ],
        "section": claim.section,
    }


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))
