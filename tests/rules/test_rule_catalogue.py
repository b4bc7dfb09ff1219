"""Every rule: unique code, family prefix, documented sections, and a fixture with cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimaudit.rules.registry import all_rules, select_rules

FIXTURES = Path(__file__).parent / "fixtures"
SECTIONS = ("What it flags", "Why it matters", "Flagged example", "Use instead", "Not flagged", "Knowledge used")
RULES = [m.rule for m in all_rules()]


def test_codes_are_unique_and_match_their_family() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert re.fullmatch(rf"{rule.family.value}\d{{3}}", rule.code), rule.code


def test_every_family_has_a_rule() -> None:
    assert {r.family.value for r in RULES} >= {"REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_doc_has_every_section(rule) -> None:  # type: ignore[no-untyped-def]
    for section in SECTIONS:
        assert section in rule.doc, f"{rule.code} doc lacks '{section}'"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_a_fixture_with_positive_and_negative_cases(rule) -> None:  # type: ignore[no-untyped-def]
    path = FIXTURES / f"{rule.code}.md"
    assert path.is_file(), f"missing fixture {path.name}"
    text = path.read_text(encoding="utf-8")
    assert text.count(f"<!-- expect: {rule.code}") >= 2
    assert text.count("<!-- ok -->") >= 2


def test_selectors_match_code_prefix_and_family() -> None:
    family = RULES[0].family.value
    assert all(m.rule.family.value == family for m in select_rules([family]))
    assert [m.rule.code for m in select_rules([RULES[0].code])] == [RULES[0].code]
    assert RULES[0].code not in [m.rule.code for m in select_rules(ignore=[family])]
