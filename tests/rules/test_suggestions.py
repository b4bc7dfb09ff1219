"""Suggestions are rewrites: for every rule with a fixture, each suggestion is one well-formed
sentence, and the fixture re-audited with the suggestion pasted over the flagged span gets no
finding of that rule there. Every finding carries a trigger span inside its claim span."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimaudit.rules._rewrite import one_sentence_problems

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.md"))
# rules whose fix is to add something the sentence cannot say by itself (a reference entry,
# a page-level disclosure, a peer-reviewed source in place of a weak one): they give advice,
# never a rewrite
ADVICE_ONLY = {"CITE002", "CITE003", "DISC001", "DISC002", "DISC003", "DISC004", "DISC005", "DISC006"}


def _audit(auditor, text: str, name: str):  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    return auditor.audit_source(read_text(text, path=name, media_type="text/markdown"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_suggestions_are_sentences_the_rule_accepts(path: Path, auditor) -> None:  # type: ignore[no-untyped-def]
    code = path.stem
    text = path.read_text(encoding="utf-8")
    result = _audit(auditor, text, path.name)
    findings = [f for f in result.findings if f.code == code]
    assert findings, f"{code}: the fixture produced no {code} finding"
    problems = []
    seen: set[tuple[int, int]] = set()
    edits = []
    for finding in findings:
        assert finding.advice or finding.suggestion, f"{code}: a finding offers nothing: {finding.message}"
        if finding.suggestion is None:
            continue
        assert code not in ADVICE_ONLY
        bad = one_sentence_problems(finding.suggestion)
        if bad:
            problems.append(f"{finding.suggestion!r}: {'; '.join(bad)}")
        if (finding.start, finding.end) not in seen:
            seen.add((finding.start, finding.end))
            edits.append(finding)
    if code not in ADVICE_ONLY:
        assert edits, f"{code}: no finding in the fixture offers a rewrite"
    # paste every rewrite over its span, from the end backwards, and audit again
    rewritten = text
    regions = []
    for finding in sorted(edits, key=lambda f: f.start, reverse=True):
        rewritten = rewritten[: finding.start] + finding.suggestion + rewritten[finding.end :]
    shift = 0
    for finding in sorted(edits, key=lambda f: f.start):
        start = finding.start + shift
        regions.append((start, start + len(finding.suggestion), finding.suggestion))
        shift += len(finding.suggestion) - (finding.end - finding.start)
    again = _audit(auditor, rewritten, path.name)
    for finding in again.findings:
        if finding.code != code or finding.omits:
            continue
        for start, end, suggestion in regions:
            if finding.start < end and start < finding.end:
                problems.append(f"still flagged after the rewrite: {suggestion!r}: {finding.message}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_trigger_spans_sit_inside_the_claim(path: Path, auditor) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    result = _audit(auditor, text, path.name)
    for finding in result.findings:
        trigger = finding.trigger
        assert trigger is not None, finding
        assert finding.start <= trigger.start < trigger.end <= finding.end or finding.start == finding.end
        assert finding.trigger_text == text[trigger.start : trigger.end]


def test_fda_approved_for_anxiety_becomes_one_off_label_sentence(audit) -> None:  # type: ignore[no-untyped-def]
    result = audit("Ketamine is FDA-approved for anxiety.\n")
    [finding] = [f for f in result.findings if f.code == "REG001"]
    assert finding.suggestion == "Ketamine is used off-label for anxiety disorders; it is approved (FDA) for anaesthesia."
    assert finding.trigger_text == "FDA-approved"
    assert finding.note and "\n" not in finding.note  # the approval summaries are context, joined as prose
    assert finding.advice


def test_two_findings_on_one_sentence_have_their_own_triggers(audit) -> None:  # type: ignore[no-untyped-def]
    text = "# Ketamine for anxiety\n\nKetamine has no side effects, and patients feel calm within minutes.\n"
    result = audit(text, "text/markdown")
    by_code = {f.code: f for f in result.findings}
    safe, onset = by_code["SAFE001"], by_code["DUR001"]
    assert (safe.start, safe.end) == (onset.start, onset.end)  # one claim span
    assert safe.trigger_text == "no side effects" and onset.trigger_text == "within minutes"
    assert text[onset.trigger.start:onset.trigger.end] == "within minutes"
    assert onset.trigger.column == text.splitlines()[2].index("within minutes") + 1
