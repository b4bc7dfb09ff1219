"""Results pickle as constructor calls (what `check -j N` workers send) and come back whole."""

from __future__ import annotations

import copy
import pickle

from claimaudit.audit import audit_text
from claimaudit.findings.model import EvidenceRef, Family, Finding, Severity, SourceSpan
from claimaudit.result import DocumentResult


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in type(value).__dataclass_fields__}  # type: ignore[attr-defined]


def test_a_finding_with_every_field_set_round_trips() -> None:
    span = SourceSpan(1, 9, 1, 2, 1, 10)
    finding = Finding("EVI001", Family.EVI, Severity.WARNING, span, "text", "message",
                      (EvidenceRef("kb-1", "Label", "https://example.org", "a note"),), "suggestion", None, "c1",
                      "fp", "advice", "note", SourceSpan(2, 4, 1, 3, 1, 5), "ex", (3, 5))
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        loaded = pickle.loads(pickle.dumps(finding, protocol=protocol))
        assert _fields(loaded) == _fields(finding)  # fingerprint and trigger_norm too (not compared by ==)
    assert _fields(copy.deepcopy(finding)) == _fields(finding)
    assert pickle.loads(pickle.dumps(EvidenceRef("x", "y"))) == EvidenceRef("x", "y")


def test_an_audited_document_round_trips() -> None:
    document = audit_text("Ketamine is a proven cure for depression with no side effects.")
    assert document.findings
    loaded = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(loaded, DocumentResult)
    assert _fields(loaded) == _fields(document)
    assert [f.fingerprint for f in loaded.findings] == [f.fingerprint for f in document.findings]
