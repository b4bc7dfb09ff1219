from pathlib import Path

import pytest

from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.gate.selection import (
    Selection,
    apply_selection,
    fails,
    selection_for,
    selector_matches,
    split_selectors,
    unknown_selectors,
)
from claimaudit.settings import PathOverride, Settings


def finding(code: str, family: Family, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code, family, severity, SourceSpan(0, 4, 1, 1, 1, 5), "text", "message")


@pytest.mark.parametrize(("selector", "expected"), [
    ("SAFE", True), ("SAFE0", True), ("SAFE001", True), ("safe001", True),
    ("SAFE002", False), ("SAFE1", False), ("EVI", False), ("", False),
])
def test_selector_matches_by_code_prefix_or_family(selector, expected):
    assert selector_matches(selector, "SAFE001", "SAFE") is expected


def test_split_selectors_flattens_commas_and_repeats():
    assert split_selectors(["SAFE, evi001", "REG"]) == ("SAFE", "EVI001", "REG")


def test_unknown_selectors_lists_only_those_matching_nothing():
    known = [("SAFE001", "SAFE"), ("EVI001", "EVI")]
    assert unknown_selectors(["SAFE", "SAF", "SAFE00", "EVI9", "STAT"], known) == ("EVI9", "STAT")


@pytest.mark.parametrize(("select", "ignore", "enabled"), [
    ((), (), True),
    (("EVI",), (), False),
    (("SAFE",), ("SAFE001",), False),  # the more specific ignore wins
    (("SAFE001",), ("SAFE",), True),  # the more specific select wins
    (("SAFE0",), ("SAFE0",), False),  # tie: ignore wins
    ((), ("SAFE",), False),
])
def test_selection_most_specific_selector_wins(select, ignore, enabled):
    assert Selection(select=select, ignore=ignore).enabled("SAFE001", "SAFE") is enabled


def test_selection_forced_ignore_beats_a_specific_select():
    assert not Selection(select=("SAFE001",), forced_ignore=("SAFE",)).enabled("SAFE001", "SAFE")


def test_severity_override_most_specific_then_latest_wins():
    selection = Selection(severity=(("SAFE001", Severity.INFO), ("SAFE", Severity.ERROR), ("SAFE001", Severity.WARNING)))
    assert selection.severity_for("SAFE001", "SAFE", Severity.ERROR) is Severity.WARNING
    assert selection.severity_for("SAFE002", "SAFE", Severity.INFO) is Severity.ERROR
    assert selection.severity_for("EVI001", "EVI", Severity.INFO) is Severity.INFO


def test_apply_selection_rewrites_severity_then_drops_below_minimum():
    findings = [finding("SAFE001", Family.SAFE, Severity.ERROR), finding("EVI001", Family.EVI, Severity.WARNING),
                finding("REG001", Family.REG, Severity.ERROR)]
    selection = Selection(ignore=("REG",), severity=(("EVI", Severity.INFO),), min_severity=Severity.WARNING)
    kept = apply_selection(findings, selection)
    assert [(f.code, f.severity) for f in kept] == [("SAFE001", Severity.ERROR)]
    relaxed = apply_selection(findings, Selection(severity=(("EVI", Severity.INFO),)))
    assert [(f.code, f.severity) for f in relaxed] == [
        ("SAFE001", Severity.ERROR), ("EVI001", Severity.INFO), ("REG001", Severity.ERROR)]


def test_fails_at_or_above_the_level():
    findings = [finding("EVI001", Family.EVI, Severity.WARNING)]
    assert fails(findings, Severity.WARNING) and fails(findings, Severity.INFO)
    assert not fails(findings, Severity.ERROR)


def test_selection_for_applies_matching_overrides(tmp_path: Path):
    settings = Settings(
        select=("SAFE", "EVI"),
        config_path=str(tmp_path / ".claimaudit.toml"),
        overrides=(
            PathOverride("legal/*.md", ignore=("DISC",), severity=(("EVI", Severity.INFO),)),
            PathOverride("*.html", select=("REG",)),
        ),
    )
    legal = selection_for(settings, tmp_path / "legal" / "terms.md")
    assert legal.forced_ignore == ("DISC",) and legal.severity == (("EVI", Severity.INFO),)
    assert legal.select == ("SAFE", "EVI")
    page = selection_for(settings, tmp_path / "site" / "deep" / "page.html")  # no '/': matches the name
    assert page.select == ("REG",) and page.forced_ignore == ()
    other = selection_for(settings, tmp_path / "notes.md")
    assert other == Selection(select=("SAFE", "EVI"))
