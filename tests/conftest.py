"""Shared fixtures: one Auditor per test session (building the pipeline takes ~1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


@pytest.fixture(scope="session")
def auditor():  # type: ignore[no-untyped-def]
    from claimaudit.audit import Auditor

    return Auditor()


@pytest.fixture(scope="session")
def nlp(auditor):  # type: ignore[no-untyped-def]
    return auditor.nlp


@pytest.fixture()
def audit(auditor):  # type: ignore[no-untyped-def]
    """audit("text") -> DocumentResult, through the real pipeline and rules."""
    from claimaudit.audit import audit_text

    def run(text: str, media_type: str = "text/plain"):  # type: ignore[no-untyped-def]
        return audit_text(text, media_type=media_type, auditor=auditor)

    return run
