"""Review decisions: one reviewer's verdict on one finding, with what was known at the time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from claimaudit.errors import ClaimAuditError


class ReviewError(ClaimAuditError):
    """A decision that cannot be recorded, or a review store that cannot be used."""

    code = "RV100"


class Status(str, Enum):
    """What a reviewer decided about a finding."""

    ACCEPTED = "accepted"  # the finding is right: the text will change
    DISMISSED = "dismissed"  # the finding is wrong or does not apply here (a reason is required)
    ESCALATED = "escalated"  # needs someone else (medical, legal, regulatory)

    @classmethod
    def parse(cls, value: str) -> Status:
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ReviewError(f"unknown decision {value!r} (expected one of: {allowed})", code="RV101") from None


@dataclass(frozen=True, slots=True)
class Decision:
    """One entry of the audit trail. The latest entry for a fingerprint is the current decision."""

    fingerprint: str
    document: str  # the document's path as reported (file path, URL, or the page's document name)
    status: Status
    reason: str
    reviewer: str
    decided_at: str  # ISO 8601, UTC
    kb_version: str
    kb_hash: str
    finding: Mapping[str, Any] = field(default_factory=dict)  # the JSON reporter's dict, as it was
    root: str = ""  # directory the fingerprint's path was relative to
    id: int = 0

    @property
    def code(self) -> str:
        return str(self.finding.get("code", ""))


def check_decision(status: Status, reason: str, reviewer: str, fingerprint: str) -> None:
    """RV102 when a dismissal has no reason, RV103 without a reviewer, RV104 without a fingerprint."""
    if not fingerprint.strip():
        raise ReviewError("a decision needs the finding's fingerprint", code="RV104")
    if not reviewer.strip():
        raise ReviewError("a decision needs a reviewer name", code="RV103")
    if status is Status.DISMISSED and not reason.strip():
        raise ReviewError("dismissing a finding needs a reason (why the finding does not apply)", code="RV102")


def decision_to_dict(decision: Decision, *, with_finding: bool = False) -> dict[str, Any]:
    """The decision as JSON (what `check --format json` attaches to a decided finding)."""
    data: dict[str, Any] = {
        "status": decision.status.value,
        "reason": decision.reason,
        "reviewer": decision.reviewer,
        "decided_at": decision.decided_at,
        "kb_version": decision.kb_version,
        "kb_hash": decision.kb_hash,
    }
    if with_finding:
        data = {"id": decision.id, "fingerprint": decision.fingerprint, "document": decision.document,
                **data, "finding": dict(decision.finding)}
    return data
