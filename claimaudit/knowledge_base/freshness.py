"""Freshness of the knowledge base: which records are stale or unverified (`kb audit`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from claimaudit.knowledge_base.model import RECORD_TABLES, KnowledgeBase, record_checked

_AGE = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.I)
_DAYS = {"d": 1, "w": 7, "m": 30.4375, "y": 365.25}


def parse_age(text: str) -> dt.timedelta:
    """'90d', '8w', '12m', '1y' -> a timedelta (months and years by their average length)."""
    match = _AGE.match(text)
    if not match:
        raise ValueError(f"--max-age {text!r}: expected a number and a unit d, w, m or y (e.g. 12m)")
    return dt.timedelta(days=round(int(match.group(1)) * _DAYS[match.group(2).lower()]))


@dataclass(frozen=True, slots=True)
class AuditItem:
    status: str  # stale | unverified
    record_id: str
    path: str
    checked: str
    reason: str = ""

    def format(self) -> str:
        detail = f": {self.reason}" if self.reason else ""
        return f"{self.status:<10} {self.record_id} ({self.path}) checked {self.checked or 'never'}{detail}"


@dataclass(frozen=True, slots=True)
class AuditReport:
    items: tuple[AuditItem, ...]
    total: int
    oldest: str  # oldest `checked` among judged records

    @property
    def stale(self) -> tuple[AuditItem, ...]:
        return tuple(i for i in self.items if i.status == "stale")

    @property
    def unverified(self) -> tuple[AuditItem, ...]:
        return tuple(i for i in self.items if i.status == "unverified")


def audit_records(kb: KnowledgeBase, cutoff: dt.date) -> AuditReport:
    """Stale records (checked before `cutoff`) and every unverified record, in a stable order."""
    items: list[AuditItem] = []
    dates: list[str] = []
    for table in RECORD_TABLES:
        for rid, record in sorted(getattr(kb, table).items()):
            checked = record_checked(record)
            dates.append(checked)
            if not checked or dt.date.fromisoformat(checked) < cutoff:
                items.append(AuditItem("stale", rid, kb.origins.get(rid, table), checked))
    for rid, item in sorted(kb.unverified.items()):
        items.append(
            AuditItem("unverified", rid, kb.origins.get(rid, item.kind), record_checked(item.record), item.reason)
        )
    total = len(dates) + len(kb.unverified)
    return AuditReport(tuple(items), total, min((d for d in dates if d), default=""))
