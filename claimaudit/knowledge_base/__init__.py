"""The evidence knowledge base: typed records (model), loading (load) and queries (lookup)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["KnowledgeLookup", "load_knowledge_base"]

if TYPE_CHECKING:
    from claimaudit.knowledge_base.load import load_knowledge_base
    from claimaudit.knowledge_base.lookup import KnowledgeLookup


def __getattr__(name: str) -> Any:
    # Lazy, so importing `claimaudit.knowledge_base.model` stays cheap.
    if name == "load_knowledge_base":
        from claimaudit.knowledge_base.load import load_knowledge_base

        return load_knowledge_base
    if name == "KnowledgeLookup":
        from claimaudit.knowledge_base.lookup import KnowledgeLookup

        return KnowledgeLookup
    raise AttributeError(name)
