"""The finding model (Finding, Severity, Family, SourceSpan, EvidenceRef) the rules produce.

Nothing here imports from the rules or the gate; `claimaudit.gate` applies suppressions,
selection, the baseline and `--diff` after the audit.
"""
