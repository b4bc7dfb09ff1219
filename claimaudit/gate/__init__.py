"""The post-audit gate: what happens to findings after the rules ran.

Inline suppressions, rule selection, fingerprints and the baseline, `--diff` filtering, and
`accept_findings` (the one step every front end applies). The finding model itself lives in
`claimaudit.findings` (below the rules); this package sits above them and may import the rules.
"""
