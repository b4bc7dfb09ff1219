"""The merge-gate scenario end to end, with the real pipeline.

A content repository with a configuration, an inline suppression and a baseline gets a commit
that adds one overstated sentence: `check --diff HEAD~1 --baseline ... --format sarif` reports
exactly that sentence, and the SARIF validates against the official 2.1.0 schema.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from claimaudit.cli import main

SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

PAGE = """# Ketamine infusions at Harbour Clinic

<!-- claimaudit-disable-next-line SAFE001 -- quoted from a patient testimonial, kept verbatim -->
"I had no side effects at all," one patient told us.

Ketamine has been shown to relieve anxiety within minutes of the first infusion.

Our team will discuss the risks and benefits with you before any treatment.
"""

NEW_SENTENCE = "Ketamine is clinically proven to cure anxiety permanently, with no risk of addiction."


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_gate_reports_only_the_new_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "content"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "editor@example.invalid")
    git(repo, "config", "user.name", "Editor")
    (repo / ".claimaudit.toml").write_text('fail-on = "warning"\nignore = ["DISC005"]\n', encoding="utf-8")
    page = repo / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(repo)
    runner = CliRunner()

    baseline = runner.invoke(main, ["baseline", "page.md", "-o", ".claimaudit-baseline.json"])
    assert baseline.exit_code == 0, baseline.output
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "page with accepted findings")

    page.write_text(PAGE + "\n" + NEW_SENTENCE + "\n", encoding="utf-8")
    git(repo, "commit", "-qam", "add an overstated sentence")
    new_line = page.read_text(encoding="utf-8").splitlines().index(NEW_SENTENCE) + 1

    result = runner.invoke(
        main,
        ["check", "page.md", "--diff", "HEAD~1", "--baseline", ".claimaudit-baseline.json", "--format", "sarif"],
    )
    assert result.exit_code == 1, result.output
    sarif = json.loads(result.output)
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    assert results, "the overstated sentence was not reported"
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    assert lines == {new_line}
    codes = {r["ruleId"] for r in results}
    assert codes & {"EVI001", "SAFE001", "SAFE003"}, codes
    # the suppressed testimonial line stays suppressed, and nothing from the old text leaks in
    assert "SUP001" not in codes
