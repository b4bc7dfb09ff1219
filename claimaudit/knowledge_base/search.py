"""Fuzzy search over every record's names, aliases, citations and statements (`kb search`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from claimaudit.knowledge_base.model import KnowledgeBase

# table -> (fields searched, field used as the label)
_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "substances": (("id", "name", "aliases", "brands"), "name"),
    "indications": (("id", "name", "abbreviations", "lay_terms"), "name"),
    "regulators": (("id", "name", "aliases"), "name"),
    "approvals": (("id", "product", "summary"), "summary"),
    "assessments": (("id", "summary", "supported_wording"), "summary"),
    "studies": (("id", "citation", "title", "authors", "given_names"), "citation"),
    "mechanisms": (("id", "statement"), "statement"),
    "adverse_effects": (("id", "name", "aliases"), "name"),
    "contraindications": (("id", "condition", "aliases"), "condition"),
    "onset_durability": (("id", "summary"), "summary"),
    "source_kinds": (("id", "name", "domains"), "name"),
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    record_id: str
    label: str
    score: float


def search_records(kb: KnowledgeBase, query: str, *, limit: int = 10) -> list[SearchHit]:
    """The best-matching records, one hit per record, highest score first."""
    from rapidfuzz import fuzz, process, utils

    choices: list[str] = []
    owners: list[tuple[str, str, str]] = []
    for kind, record_id, label, text in _documents(kb):
        choices.append(text)
        owners.append((kind, record_id, label))
    matches = process.extract(
        query,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=max(limit * 8, 40),
        score_cutoff=50,
    )
    best: dict[str, SearchHit] = {}
    for _, score, index in matches:
        kind, record_id, label = owners[index]
        if record_id not in best or score > best[record_id].score:
            best[record_id] = SearchHit(kind, record_id, label, round(float(score), 1))
    ranked = sorted(best.values(), key=lambda h: (-h.score, h.kind, h.record_id))
    return ranked[:limit]


def _documents(kb: KnowledgeBase) -> Iterator[tuple[str, str, str, str]]:
    for table, (fields, label_field) in _FIELDS.items():
        records: dict[str, Any] = getattr(kb, table)
        for record_id, record in records.items():
            label = " ".join(str(getattr(record, label_field)).split())
            if len(label) > 70:
                label = label[:67] + "..."
            for field in fields:
                value = getattr(record, field)
                for text in value if isinstance(value, tuple) else (value,):
                    if text:
                        yield table, record_id, label, str(text)
