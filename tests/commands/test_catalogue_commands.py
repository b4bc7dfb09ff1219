"""`claimaudit rules`, `explain`, `claims` and `eval` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimaudit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_rules_lists_every_family() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0
    families = {rule["family"] for rule in json.loads(result.output)}
    assert families >= {"REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC"}


def test_explain_prints_the_rule_doc() -> None:
    code = json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)[0]["code"]
    result = CliRunner().invoke(main, ["explain", code])
    assert result.exit_code == 0
    assert result.output.startswith(code)
    assert "What it flags" in result.output


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["explain", "XYZ999"])
    assert result.exit_code == 2
    assert "unknown rule code 'XYZ999'" in result.output


def test_claims_inventory_in_json(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Ketamine for anxiety\n\nKetamine has been shown to relieve social anxiety in 85% of patients.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["claims", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.output)[0]["claims"]
    claim = next(c for c in claims if "85%" in c["text"])
    assert claim["certainty"] == "boosted"
    assert "ketamine" in claim["substances"]
    assert claim["indications"] == ["sad"]
    assert [q["kind"] for q in claim["quantities"]] == ["percent"]
    source = page.read_text(encoding="utf-8")
    assert source[claim["start"] : claim["end"]] == claim["text"]


def test_claims_reports_unreadable_file_with_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = CliRunner().invoke(main, ["claims", str(binary)])
    assert result.exit_code == 2


def test_eval_prints_score_table_for_seeds() -> None:
    result = CliRunner().invoke(main, ["eval", str(ROOT / "corpora" / "seeds"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 5
    assert set(data["all"]["by_family"]) == {"REG", "EVI", "STAT", "CITE", "SAFE", "MECH", "DUR", "SCOPE", "DISC"}
    assert 0.0 <= data["all"]["overall"]["precision"] <= 1.0


def test_claims_inventory_names_the_evidence_grade_or_says_it_is_unknown(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Ketamine may ease social anxiety for some people.\nKetamine cures tinnitus for good.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["claims", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.output)[0]["claims"]
    assert claims[0]["evidence_grades"] == [{"substance": "ketamine", "indication": "sad", "grade": "preliminary"}]
    unknown = claims[1]["evidence_grades"]
    assert unknown and unknown[0]["grade"].startswith("unknown")


def test_explain_covers_the_suppression_meta_rules() -> None:
    result = CliRunner().invoke(main, ["explain", "SUP001"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SUP001")
