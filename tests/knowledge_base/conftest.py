"""Fixtures for the knowledge-base tests: the bundled base, a lookup, tiny packs on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_packs import MINIMAL_PACK, PackWriter

from claimaudit.knowledge_base.load import load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
PSILOCYBIN_PACK = ROOT / "examples" / "knowledge" / "psilocybin"
CORE_PACK = ROOT / "knowledge" / "core"


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own cache directory (never the user's)."""
    cache = tmp_path_factory.mktemp("kb-cache")
    monkeypatch.setenv("CLAIMAUDIT_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def bundled_kb() -> KnowledgeBase:
    return load_knowledge_base(cache=False)


@pytest.fixture(scope="session")
def lookup(bundled_kb: KnowledgeBase) -> KnowledgeLookup:
    return KnowledgeLookup(bundled_kb)


@pytest.fixture()
def write_pack(tmp_path: Path) -> PackWriter:
    """write_pack(name, files, base=MINIMAL_PACK) -> pack dir; a None value deletes a file."""

    def write(
        name: str = "pack",
        files: dict[str, str | None] | None = None,
        base: dict[str, str] | None = MINIMAL_PACK,
    ) -> Path:
        root = tmp_path / name
        merged: dict[str, str | None] = {**(base or {}), **(files or {})}
        for rel, text in merged.items():
            if text is None:
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return write
