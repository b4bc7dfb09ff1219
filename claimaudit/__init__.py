"""claimaudit: audit health-content claims against a sourced evidence knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["audit_text", "audit_paths", "Auditor", "Finding", "Severity", "__version__"]

if TYPE_CHECKING:
    from claimaudit.audit import Auditor, audit_paths, audit_text
    from claimaudit.findings.model import Finding, Severity


def __getattr__(name: str) -> Any:
    # Lazy: keeps `claimaudit --help` fast (spaCy is imported only when auditing).
    if name in {"audit_text", "audit_paths", "Auditor"}:
        from claimaudit import audit

        return getattr(audit, name)
    if name in {"Finding", "Severity"}:
        from claimaudit.findings import model

        return getattr(model, name)
    raise AttributeError(name)
