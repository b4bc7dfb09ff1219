"""Review decisions with an audit trail: accepted, dismissed (with a reason) or escalated findings.

`model` holds the typed records, `store` the SQLite store (decisions are appended, never
updated; drafts are saved per document), `export` turns decisions into a baseline file that
`claimaudit check --baseline` honours.
"""
