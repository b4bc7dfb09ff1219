"""Results of an audit run: per document, and for the whole run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimaudit.claims.coverage import Unjudged
from claimaudit.claims.model import Claim, DocumentFacts
from claimaudit.findings.model import Finding, pickled_by_fields
from claimaudit.ingest.source import Directive

if TYPE_CHECKING:
    from claimaudit.review.model import Decision


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DocumentResult:
    """One document's outcome: its claims and findings, or the error that stopped it."""

    path: str
    media_type: str
    source_text: str  # the original file's decoded text: finding offsets index into it
    claims: tuple[Claim, ...] = ()
    findings: tuple[Finding, ...] = ()
    facts: DocumentFacts | None = None
    error: str | None = None  # "IN101 binary file ..." when the document could not be read
    error_code: str | None = None
    suppressed: int = 0  # findings removed by inline suppressions or a baseline
    directives: tuple[Directive, ...] = ()  # inline suppression comments of the source
    decisions: tuple[Decision, ...] = ()  # review decisions on these findings (never removes one)
    unjudged: tuple[Unjudged, ...] = ()  # what could not be judged (COV001-COV003 notices)

    @property
    def ok(self) -> bool:
        return self.error is None

    def decision_for(self, fingerprint: str) -> Decision | None:
        """The current review decision on the finding with this fingerprint, if any."""
        for decision in reversed(self.decisions):
            if fingerprint and decision.fingerprint == fingerprint:
                return decision
        return None


@dataclass(frozen=True, slots=True)
class AuditResult:
    """A whole run: every document's result plus the audit trail."""

    documents: tuple[DocumentResult, ...]
    kb_version: str
    kb_hash: str
    tool_version: str
    rules: tuple[str, ...] = ()  # codes of the rules that ran
    kb_checked: str = ""  # oldest `checked` date of the knowledge-base records the findings cite
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for d in self.documents for f in d.findings)

    @property
    def errors(self) -> tuple[DocumentResult, ...]:
        return tuple(d for d in self.documents if d.error)
