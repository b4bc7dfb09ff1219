"""Fixtures shared by the nlp tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimaudit.nlp import analysis_cache


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(analysis_cache.DISABLE, raising=False)
    analysis_cache.reset()
    yield tmp_path
    analysis_cache.reset()
