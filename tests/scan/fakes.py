"""A fake auditor for scan tests: phrase rules with exact offsets, no NLP, deterministic."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimaudit.ingest.source import SourceDocument

RULES = (
    (
        re.compile(r"FDA-approved for (?:anxiety|PTSD|everything)", re.IGNORECASE),
        "REG001",
        "REG",
        "error",
        "no regulator has approved ketamine for this",
    ),
    (
        re.compile(r"no side effects", re.IGNORECASE),
        "SAFE001",
        "SAFE",
        "error",
        "'no side effects' contradicts known adverse effects",
    ),
    (
        re.compile(r"completely safe|not addictive", re.IGNORECASE),
        "SAFE002",
        "SAFE",
        "warning",
        "absolute safety claim",
    ),
    (
        re.compile(r"\b\d{2,3}% (?:of our patients|success rate)", re.IGNORECASE),
        "STAT001",
        "STAT",
        "warning",
        "response rate without a source",
    ),
    (
        re.compile(r"proven (?:cure|treatment)", re.IGNORECASE),
        "EVI001",
        "EVI",
        "error",
        "evidence does not support 'proven'",
    ),
    (
        re.compile(r"rewires the brain", re.IGNORECASE),
        "MECH001",
        "MECH",
        "info",
        "mechanism stated as fact",
    ),
)
CRASH_MARKER = "TRIGGER-FAKE-AUDITOR-CRASH"


@dataclass(frozen=True)
class FakeAuditor:
    kb_version: str = "fake-1"
    kb_hash: str = "0" * 64

    def audit(self, documents: Sequence[SourceDocument]) -> list[dict[str, Any]]:
        if any(CRASH_MARKER in document.text for document in documents):
            raise RuntimeError("fake auditor crashed on a marked page")
        return [audit_document(document) for document in documents]


def audit_document(document: SourceDocument) -> dict[str, Any]:
    findings = []
    for pattern, code, family, severity, message in RULES:
        for match in pattern.finditer(document.text):
            line = document.text.count("\n", 0, match.start()) + 1
            column = match.start() - (document.text.rfind("\n", 0, match.start()) + 1) + 1
            findings.append(
                {
                    "path": document.path,
                    "code": code,
                    "family": family,
                    "severity": severity,
                    "start": match.start(),
                    "end": match.end(),
                    "line": line,
                    "column": column,
                    "text": match.group(0),
                    "message": message,
                }
            )
    findings.sort(key=lambda f: (f["start"], f["end"], f["code"]))
    return {"path": document.path, "findings": findings}


@dataclass(frozen=True)
class FakeFactory:
    """Picklable: builds the fake auditor inside worker processes."""

    tag: str = "fake"

    def __call__(self) -> FakeAuditor:
        return FakeAuditor()


def fake_factory(settings: object) -> FakeFactory:
    """Target for the CLI's hidden --audit-factory option."""
    return FakeFactory()


DIE_MARKER = "TRIGGER-FAKE-WORKER-DEATH"


@dataclass(frozen=True)
class DyingAuditor(FakeAuditor):
    """Kills its own process on a marked page, like a segfault or the OOM killer would."""

    def audit(self, documents: Sequence[SourceDocument]) -> list[dict[str, Any]]:
        import os

        if any(DIE_MARKER in document.text for document in documents):
            os._exit(70)
        return super().audit(documents)


@dataclass(frozen=True)
class DyingFactory:
    def __call__(self) -> DyingAuditor:
        return DyingAuditor()
