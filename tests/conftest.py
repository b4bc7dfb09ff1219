"""Shared fixtures: one Auditor per test session (building the pipeline takes ~1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimaudit.nlp import analysis_cache

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


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache directory, and a pattern cache read from it afresh."""
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(analysis_cache.DISABLE, raising=False)
    analysis_cache.reset()
    yield tmp_path
    analysis_cache.reset()
