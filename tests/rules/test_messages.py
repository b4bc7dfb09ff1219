"""Message wording: singular and plural counts, empty lists and units read as English."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import domain_ctx, domain_kb, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.rules._rewrite import hours_text, join_and, plural  # noqa: E402
from claimaudit.rules.onset_duration._time import describe_days  # noqa: E402
from claimaudit.rules.safety import absolute_safety  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.md"))
# wording slips no message may contain
SLIPS = re.compile(
    r"\(s\)|: nothing\b|\b1 (?:known )?(?:adverse )?effects\b|\b1 (?:hours|days|weeks|months|studies|sessions)\b"
    r"|\s{2,}|\s[,;:]|\s\.(?!\.\.)|,\s*,|:\s*$|:\s*;|\(\s*\)|\bNone\b|\b(?:for|of|include|includes):?\s*[.;)]"
)


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 known adverse effects"), (1, "1 known adverse effect"), (15, "15 known adverse effects"),
])
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "known adverse effect") == expected


@pytest.mark.parametrize(("hours", "expected"), [
    (0.5, "30 minutes"), (1, "1 hour"), (1.5, "1.5 hours"), (4, "4 hours"), (72, "3 days"),
])
def test_hours_text(hours: float, expected: str) -> None:
    assert hours_text(hours) == expected


@pytest.mark.parametrize(("days", "expected"), [
    (1, "1 day"), (3, "3 days"), (1 / 24, "1 hour"), (0.25, "6 hours"), (14, "about 2 weeks"),
    (90, "about 3 months"),
])
def test_describe_days(days: float, expected: str) -> None:
    assert describe_days(days) == expected


@pytest.mark.parametrize(("items", "expected"), [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c"), (["a", "a", ""], "a"),
])
def test_join_and(items: list[str], expected: str) -> None:
    assert join_and(items) == expected


def test_a_single_adverse_effect_is_singular() -> None:
    kb = domain_kb()
    one = {k: v for k, v in kb.adverse_effects.items() if k == "ae_nausea"}
    ctx = domain_ctx(kb=replace(kb, adverse_effects=one, contraindications={}))
    claim = make_claim("Ketamine has no side effects.", kinds=[ClaimKind.SAFETY],
                       certainty=Certainty.ABSOLUTE, substances=["ketamine"])
    [finding] = absolute_safety.check(claim, replace(ctx, claims=(claim,)))
    assert "1 known adverse effect of ketamine: nausea" in finding.message
    assert "effects of" not in finding.message


def test_no_recorded_approval_is_said_in_words(audit) -> None:  # type: ignore[no-untyped-def]
    result = audit("Ketamine infusions are authorised in Germany for chronic anxiety.\n")
    [finding] = [f for f in result.findings if f.code == "REG001"]
    assert "not approved for any use (EMA)" in finding.message
    assert "nothing" not in finding.message


def test_onset_in_hours_is_not_hour_s(audit) -> None:  # type: ignore[no-untyped-def]
    result = audit("# Ketamine for anxiety\n\nKetamine relieves anxiety within minutes.\n", "text/markdown")
    [finding] = [f for f in result.findings if f.code == "DUR001"]
    assert "about 1 hour " in finding.message + " " and "hour(s)" not in finding.message
    assert finding.suggestion == "Ketamine relieves anxiety within hours."


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_messages_and_advice_read_as_english(path: Path, auditor) -> None:  # type: ignore[no-untyped-def]
    """Every message, suggestion, advice and note of every fixture is free of template slips."""
    from claimaudit.ingest import read_source

    result = auditor.audit_source(read_source(path))
    problems = []
    for finding in result.findings:
        for field in ("message", "suggestion", "advice"):
            value = getattr(finding, field) or ""
            slip = SLIPS.search(value)
            if slip:
                problems.append(f"{finding.code} {field}: {slip.group(0)!r} in {value!r}")
    assert not problems, "\n".join(problems)
