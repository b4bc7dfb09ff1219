"""Errors raised by claimaudit. Each carries a stable code and an exit code."""

from __future__ import annotations


class ClaimAuditError(Exception):
    """Base class: a clear, user-facing message with a stable code and an exit code."""

    code = "CA000"
    exit_code = 2

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def format_message(self) -> str:
        return f"{self.code} {self.message}"


class InputError(ClaimAuditError):
    """A document could not be read (binary, empty, too large, undecodable, missing)."""

    code = "IN100"


class AuditError(ClaimAuditError):
    """Auditing one document failed unexpectedly (a defect): the document is reported as an
    error and the others are audited."""

    code = "AU100"


class ConfigError(ClaimAuditError):
    """Configuration file or command-line settings are invalid."""

    code = "CF100"


class KnowledgeBaseError(ClaimAuditError):
    """The knowledge base is malformed: names file, entry and field."""

    code = "KB100"


class UsageError(ClaimAuditError):
    """The command was called wrongly."""

    code = "US100"
