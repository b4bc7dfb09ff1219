"""Cross-checks over the layered base: references resolve, names are unambiguous, no cycles."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from claimaudit.knowledge_base.model import KnowledgeBase
from claimaudit.knowledge_base.problems import Problem

# (table, field, target table): every id in `field` must exist in `target`.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("substances", "parent", "substances"),
    ("indications", "parent", "indications"),
    ("approvals", "substance", "substances"),
    ("approvals", "indication", "indications"),
    ("approvals", "regulator", "regulators"),
    ("assessments", "substance", "substances"),
    ("assessments", "indication", "indications"),
    ("assessments", "studies", "studies"),
    ("studies", "substances", "substances"),
    ("studies", "indications", "indications"),
    ("studies", "source_kind", "source_kinds"),
    ("mechanisms", "substances", "substances"),
    ("adverse_effects", "substances", "substances"),
    ("contraindications", "substances", "substances"),
    ("onset_durability", "substance", "substances"),
    ("onset_durability", "indication", "indications"),
    ("onset_durability", "studies", "studies"),
)

_SPACES = re.compile(r"\s+")
_SINGULAR = {
    "substances": "substance",
    "indications": "indication",
    "regulators": "regulator",
    "studies": "study",
    "source_kinds": "source kind",
}


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    """All cross-record problems, in a stable order."""
    problems = [
        *_dangling(kb),
        *_outcome_indications(kb),
        *_parent_cycles(kb, "substances"),
        *_parent_cycles(kb, "indications"),
        *_names_claimed_twice(kb),
        *_duplicate_pairs(kb, "assessments"),
        *_duplicate_pairs(kb, "onset_durability"),
    ]
    return problems


def normalize_name(name: str) -> str:
    """Case- and spacing-insensitive form of a name, alias or abbreviation."""
    return _SPACES.sub(" ", name.replace("\u2019", "'")).strip().casefold()


def _table(kb: KnowledgeBase, name: str) -> dict[str, Any]:
    table: dict[str, Any] = getattr(kb, name)
    return table


def _ids(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _dangling(kb: KnowledgeBase) -> Iterator[Problem]:
    for table, field, target in REFERENCES:
        known = _table(kb, target)
        for rid, record in _table(kb, table).items():
            for index, ref in enumerate(_ids(getattr(record, field))):
                if ref not in known:
                    pointer = (
                        f"/{field}"
                        if isinstance(getattr(record, field), str)
                        else f"/{field}/{index}"
                    )
                    yield Problem(
                        "KB104",
                        kb.origins.get(rid, table),
                        f"unknown {_SINGULAR[target]} id {ref!r}",
                        entry=rid,
                        pointer=pointer,
                    )


def _outcome_indications(kb: KnowledgeBase) -> Iterator[Problem]:
    for rid, study in kb.studies.items():
        for index, outcome in enumerate(study.outcomes):
            if outcome.indication and outcome.indication not in kb.indications:
                yield Problem(
                    "KB104",
                    kb.origins.get(rid, "studies"),
                    f"unknown indication id {outcome.indication!r}",
                    entry=rid,
                    pointer=f"/outcomes/{index}/indication",
                )


def _parent_cycles(kb: KnowledgeBase, table: str) -> Iterator[Problem]:
    records = _table(kb, table)
    for rid in records:
        seen = [rid]
        parent = records[rid].parent
        while parent in records:
            if parent in seen:
                yield Problem(
                    "KB107",
                    kb.origins.get(rid, table),
                    "parent chain loops: " + " -> ".join([*seen, parent]),
                    entry=rid,
                    pointer="/parent",
                )
                break
            seen.append(parent)
            parent = records[parent].parent


def _names(table: str, record: Any) -> Iterable[tuple[str, str]]:
    """(field, name) pairs a record claims for term recognition."""
    fields = {
        "substances": ("name", "aliases", "brands"),
        "indications": ("name", "abbreviations", "lay_terms"),
        "regulators": ("name", "aliases"),
        "adverse_effects": ("name", "aliases"),
        "contraindications": ("condition", "aliases"),
    }[table]
    for field in fields:
        for name in _ids(getattr(record, field)):
            yield field, name


def _names_claimed_twice(kb: KnowledgeBase) -> Iterator[Problem]:
    """A name may point to one entity per kind. Adverse effects and contraindications are
    per substance, so there the same name may recur for different substances."""
    for table in (
        "substances",
        "indications",
        "regulators",
        "adverse_effects",
        "contraindications",
    ):
        per_substance = table in ("adverse_effects", "contraindications")
        owner: dict[tuple[str, str], str] = {}
        for rid, record in _table(kb, table).items():
            scopes = tuple(record.substances) if per_substance else ("",)
            for field, name in _names(table, record):
                for scope in scopes:
                    key = (normalize_name(name), scope)
                    first = owner.setdefault(key, rid)
                    if first != rid:
                        where = f" for {scope}" if scope else ""
                        yield Problem(
                            "KB105",
                            kb.origins.get(rid, table),
                            f"{name!r} is already a name of {first!r}{where} "
                            f"({kb.origins.get(first, table)}); names must be unique per kind",
                            entry=rid,
                            pointer=f"/{field}",
                        )
                        break


def _duplicate_pairs(kb: KnowledgeBase, table: str) -> Iterator[Problem]:
    first: dict[tuple[str, str], str] = {}
    for rid, record in _table(kb, table).items():
        pair = (record.substance, record.indication)
        other = first.setdefault(pair, rid)
        if other != rid:
            yield Problem(
                "KB108",
                kb.origins.get(rid, table),
                f"{table.replace('_', ' ')} for {pair[0]} x {pair[1]} already given by {other!r}",
                entry=rid,
            )
