"""Every gold corpus is well-formed, and the written corpus's gold is regenerated from its sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "corpora" / "tools"
sys.path.insert(0, str(TOOLS))

from check_gold import check_corpus  # noqa: E402


@pytest.mark.parametrize("corpus", ["seeds", "written", "holdout", "blind", "blind2"])
def test_gold_is_well_formed(corpus: str) -> None:
    assert check_corpus(ROOT / "corpora" / corpus) == []


@pytest.mark.parametrize("corpus", ["written", "holdout", "blind", "blind2"])
def test_gold_matches_its_annotation_sources(corpus: str) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOLS / "make_gold.py"), str(ROOT / "corpora" / corpus), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
