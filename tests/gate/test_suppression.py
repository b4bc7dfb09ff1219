from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.gate.suppression import SUPPRESSION_RULES, apply_suppressions
from claimaudit.ingest import LineIndex, normalize, read_text

KNOWN = [("SAFE001", "SAFE"), ("SAFE002", "SAFE"), ("STAT001", "STAT"), ("DISC001", "DISC"), ("EVI001", "EVI")]


def span(text: str, start: int, end: int) -> SourceSpan:
    lines = LineIndex.of(text)
    return SourceSpan(start, end, *lines.line_column(start), *lines.line_column(end))


def at(text: str, needle: str, code: str, family: Family, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Finding(code, family, Severity.ERROR, span(text, start, start + len(needle)), needle, f"{code} here")


def run(text: str, findings: list[Finding]):
    directives = normalize(read_text(text, path="page.md", media_type="text/markdown")).directives
    return apply_suppressions(findings, directives, text, KNOWN)


def codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in findings]


def test_next_line_suppresses_only_the_next_text_line():
    text = ("<!-- claimaudit-disable-next-line SAFE001 -- quoted from the label -->\n\n"
            "Ketamine is safe.\nKetamine is safe.\n")
    first, second = at(text, "Ketamine is safe", "SAFE001", Family.SAFE), at(text, "Ketamine is safe", "SAFE001", Family.SAFE, 1)
    outcome = run(text, [first, second])
    assert outcome.suppressed == (first,)
    assert codes(outcome.findings) == [("SAFE001", 4)]


def test_next_line_covers_a_claim_that_starts_earlier_and_spans_the_line():
    text = "Ketamine is totally\n<!-- claimaudit-disable-next-line SAFE -- reviewed -->\nsafe for all.\n"
    claim = Finding("SAFE001", Family.SAFE, Severity.ERROR, span(text, 0, len(text) - 1), "x", "m")
    assert run(text, [claim]).suppressed == (claim,)


def test_block_suppresses_until_enable():
    text = ("Over 70% respond.\n<!-- claimaudit-disable STAT -- figures from the cited trial -->\n"
            "Over 70% respond.\n<!-- claimaudit-enable STAT -->\nOver 70% respond.\n")
    findings = [at(text, "Over 70%", "STAT001", Family.STAT, n) for n in range(3)]
    outcome = run(text, findings)
    assert outcome.suppressed == (findings[1],)
    assert codes(outcome.findings) == [("STAT001", 1), ("STAT001", 5)]


def test_block_without_enable_runs_to_the_end_of_the_file():
    text = "<!-- claimaudit-disable SAFE001 EVI001 -- testimonial section -->\nSafe.\n\nProven.\n"
    findings = [at(text, "Safe", "SAFE001", Family.SAFE), at(text, "Proven", "EVI001", Family.EVI)]
    outcome = run(text, findings)
    assert len(outcome.suppressed) == 2 and outcome.findings == ()


def test_file_directive_covers_document_level_findings():
    text = "Ketamine clinic.\n\n<!-- claimaudit-disable-file DISC001 -- disclosure is on /risks -->\n"
    whole = Finding("DISC001", Family.DISC, Severity.WARNING, span(text, 0, 0), "", "no disclosure", omits="side_effects")
    outcome = run(text, [whole])
    assert outcome.suppressed == (whole,) and outcome.findings == ()


def test_missing_reason_still_suppresses_and_is_reported():
    text = "<!-- claimaudit-disable-next-line SAFE001 -->\nKetamine is safe.\n"
    claim = at(text, "Ketamine is safe", "SAFE001", Family.SAFE)
    outcome = run(text, [claim])
    assert outcome.suppressed == (claim,)
    [meta] = outcome.findings
    assert (meta.code, meta.family, meta.span.line, meta.span.start) == ("SUP002", Family.META, 1, 0)
    assert meta.text == "<!-- claimaudit-disable-next-line SAFE001 -->"
    assert "gives no reason" in meta.message


def test_unknown_code_is_reported_and_suppresses_nothing():
    text = "<!-- claimaudit-disable-next-line SAFE01X -- typo -->\nKetamine is safe.\n"
    claim = at(text, "Ketamine is safe", "SAFE001", Family.SAFE)
    outcome = run(text, [claim])
    assert outcome.suppressed == ()
    assert [(f.code, f.message) for f in outcome.findings] == [
        ("SAFE001", "SAFE001 here"),
        ("SUP003", "unknown rule code 'SAFE01X' in 'claimaudit-disable-next-line'"),
    ]


def test_blanket_suppression_is_refused():
    text = "<!-- claimaudit-disable-next-line -- everything -->\nKetamine is safe.\n"
    claim = at(text, "Ketamine is safe", "SAFE001", Family.SAFE)
    outcome = run(text, [claim])
    assert outcome.suppressed == ()
    assert [f.code for f in outcome.findings] == ["SAFE001", "SUP003"]
    assert "names no rule code" in outcome.findings[1].message


def test_unused_suppressions_are_reported_per_code():
    text = "<!-- claimaudit-disable-next-line SAFE001, EVI001 -- label -->\nKetamine is safe.\n"
    claim = at(text, "Ketamine is safe", "SAFE001", Family.SAFE)
    outcome = run(text, [claim])
    assert outcome.suppressed == (claim,)
    [meta] = outcome.findings
    assert meta.code == "SUP001"
    assert meta.message == "unused suppression: 'EVI001' in 'claimaudit-disable-next-line' matched no finding"


def test_enable_without_disable_is_unused():
    text = "Text.\n<!-- claimaudit-enable SAFE001 -->\n"
    [meta] = run(text, []).findings
    assert meta.code == "SUP001" and "closes no open 'claimaudit-disable'" in meta.message


def test_suppression_rules_are_documented_meta_rules():
    assert [r.code for r in SUPPRESSION_RULES] == ["SUP001", "SUP002", "SUP003", "SUP004"]
    for rule in SUPPRESSION_RULES:
        assert rule.family is Family.META and "## What it flags" in rule.doc


def test_misspelt_directive_is_reported_not_ignored():
    from claimaudit.ingest import normalize, read_text

    text = "<!-- claimaudit-disabel-next-line SAFE001 -- label -->\nKetamine is safe.\n"
    directives = normalize(read_text(text, path="t.md", media_type="text/markdown")).directives
    claim = at(text, "Ketamine is safe", "SAFE001", Family.SAFE)
    outcome = apply_suppressions([claim], directives, text, KNOWN)
    assert outcome.suppressed == ()
    [kept, meta] = outcome.findings
    assert kept == claim and meta.code == "SUP004" and meta.span.line == 1
    assert "did you mean 'claimaudit-disable-next-line'" in meta.message


def test_ordinary_comments_mentioning_the_tool_are_not_directives():
    from claimaudit.ingest.directives import parse_directive

    assert parse_directive(" reviewed with claimaudit ", 0, 0, 1) is None
    assert parse_directive(" claimaudit ", 0, 0, 1) is None


def test_a_comment_about_the_tool_is_no_directive():
    from claimaudit.ingest.directives import parse_directive

    assert parse_directive(" claimaudit is run in CI ", 0, 0, 1) is None
