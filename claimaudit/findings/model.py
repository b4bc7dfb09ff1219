"""Findings: what the auditor reports about a claim or a whole document."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle the dataclass `cls` as a call `cls(*field values)`: loading one is then a single
    constructor call instead of the generic slot-by-slot state (the results `check -j N`
    workers send back)."""
    own = fields(cls)  # type: ignore[arg-type]
    assert all(f.init for f in own), cls
    values = attrgetter(*(f.name for f in own))

    def __reduce__(self: Any) -> tuple[type[_T], tuple[Any, ...]]:
        found = values(self)
        return cls, (found if len(own) > 1 else (found,))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


class Severity(str, Enum):
    """How serious a finding is. Ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {allowed})") from None


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Family(str, Enum):
    """The finding families of the taxonomy."""

    REG = "REG"
    EVI = "EVI"
    STAT = "STAT"
    CITE = "CITE"
    SAFE = "SAFE"
    MECH = "MECH"
    DUR = "DUR"
    SCOPE = "SCOPE"
    DISC = "DISC"
    META = "META"  # findings about claimaudit's own directives (SUP001-SUP004), not about claims


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceSpan:
    """A character range in the original file's decoded text, with 1-based line/column."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A knowledge-base entry that backs a judgement, with a link to its source."""

    id: str
    label: str
    url: str = ""
    note: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one claim (or, for DISC, with the whole document)."""

    code: str
    family: Family
    severity: Severity
    span: SourceSpan
    text: str
    message: str
    evidence: tuple[EvidenceRef, ...] = ()
    suggestion: str | None = None  # the flagged sentence rewritten at the supported level (one sentence)
    omits: str | None = None
    claim_id: str | None = None
    fingerprint: str = field(default="", compare=False)
    advice: str | None = None  # what the writer should do
    note: str | None = None  # context (knowledge-base note, what the source says)
    trigger: SourceSpan | None = None  # the words that triggered the finding (inside `span`)
    trigger_text: str = ""
    # the trigger as offsets into the normalized text, set by rules and resolved to `trigger`
    # by the auditor (which holds the document's offset map)
    trigger_norm: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def trigger_span(self) -> SourceSpan:
        """The trigger's span, or the whole finding span when no trigger is known."""
        return self.trigger or self.span

    @property
    def is_document_level(self) -> bool:
        return self.omits is not None


def finding_sort_key(finding: Finding) -> tuple[int, int, str]:
    """Deterministic order: by position, then by code."""
    return (finding.span.start, finding.span.end, finding.code)
