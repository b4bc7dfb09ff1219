"""End to end with the real auditor: check -> decide -> log -> export -> check --baseline honours it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from claimaudit.cli import main

PAGE = (
    "# Ketamine for anxiety\n\n"
    "Our ketamine infusions are proven safe for everyone.\n\n"
    "Ketamine is FDA-approved for generalized anxiety disorder.\n"
)
SCHEMA = Path(__file__).resolve().parents[2] / "claimaudit" / "reporters" / "finding.schema.json"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _findings(report: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for d in report["documents"] for f in d["findings"]]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLAIMAUDIT_REVIEW_DB", raising=False)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.md").write_text(PAGE, "utf-8")
    return tmp_path


def test_decide_log_export_and_ci_honours_the_dismissal(workspace: Path) -> None:
    code, _ = _run("check", "content/page.md", "--format", "json", "-o", "report.json", "--no-config")
    assert code == 1
    report = json.loads((workspace / "report.json").read_text("utf-8"))
    findings = _findings(report)
    safe = next(f for f in findings if f["code"] == "SAFE001")
    others = {f["fingerprint"] for f in findings} - {safe["fingerprint"]}
    assert others, "the page should have more than one finding"

    code, output = _run("review", "decide", "report.json", safe["fingerprint"], "--status", "dismissed",
                        "--reviewer", "maria")
    assert code == 2 and "RV102" in output  # a dismissal needs a reason
    code, output = _run("review", "decide", "report.json", safe["fingerprint"], "--status", "dismissed",
                        "--reason", "quoted from the product label", "--reviewer", "maria")
    assert code == 0, output
    assert not (workspace / "content" / "x").exists()

    code, output = _run("review", "log")
    assert code == 0
    assert "dismissed SAFE001 content/page.md:3 by maria" in output
    assert report["knowledge_base"]["hash"] in output and "quoted from the product label" in output

    code, output = _run("review", "export", "-o", ".claimaudit-baseline.json")
    assert code == 0 and "Wrote 1 dismissed decisions" in output
    exported = json.loads((workspace / ".claimaudit-baseline.json").read_text("utf-8"))
    assert [e["fingerprint"] for e in exported["findings"]] == [safe["fingerprint"]]
    assert exported["findings"][0]["review"]["reason"] == "quoted from the product label"

    code, _ = _run("check", "content/page.md", "--format", "json", "-o", "after.json", "--no-config",
                   "--baseline", ".claimaudit-baseline.json")
    after = json.loads((workspace / "after.json").read_text("utf-8"))
    assert {f["fingerprint"] for f in _findings(after)} == others  # only the dismissed one is gone

    # a baseline kept in another directory gets fingerprints relative to that directory
    (workspace / "ci").mkdir()
    code, _ = _run("review", "export", "-o", "ci/baseline.json")
    moved = json.loads((workspace / "ci" / "baseline.json").read_text("utf-8"))
    assert moved["findings"][0]["path"] == "../content/page.md"
    _run("check", "content/page.md", "--format", "json", "-o", "moved.json", "--no-config",
         "--baseline", "ci/baseline.json")
    kept = _findings(json.loads((workspace / "moved.json").read_text("utf-8")))
    assert sorted((f["code"], f["start"]) for f in kept) == sorted((f["code"], f["start"]) for f in _findings(after))
    assert len(kept) == len(findings) - 1

    # decisions never delete findings: --review-db keeps every finding and attaches the decision
    _run("check", "content/page.md", "--format", "json", "-o", "decided.json", "--no-config",
         "--review-db", ".claimaudit-review.db")
    decided = json.loads((workspace / "decided.json").read_text("utf-8"))
    jsonschema.validate(decided, json.loads(SCHEMA.read_text("utf-8")))
    by_fp = {f["fingerprint"]: f for f in _findings(decided)}
    assert set(by_fp) == {f["fingerprint"] for f in findings}
    assert by_fp[safe["fingerprint"]]["decision"]["status"] == "dismissed"
    assert by_fp[safe["fingerprint"]]["decision"]["reviewer"] == "maria"
    assert all("decision" not in by_fp[fp] for fp in others)

    # with workers (-j 2: the decisions are attached where the documents are audited) the report is the same
    for index in range(11):
        (workspace / "content" / "more").mkdir(exist_ok=True)
        (workspace / "content" / "more" / f"p{index:02d}.md").write_text(PAGE.replace("everyone", f"group {index}"),
                                                                       "utf-8")
    reports = [_run("check", "content", "--format", "json", "--no-config", "--review-db", ".claimaudit-review.db",
                    "-j", jobs) for jobs in ("1", "2")]
    assert reports[0] == reports[1]
    assert '"status": "dismissed"' in reports[1][1]


def test_export_skips_decisions_later_reverted(workspace: Path) -> None:
    _run("check", "content/page.md", "--format", "json", "-o", "report.json", "--no-config")
    report = json.loads((workspace / "report.json").read_text("utf-8"))
    fingerprint = _findings(report)[0]["fingerprint"]
    _run("review", "decide", "report.json", fingerprint, "--status", "dismissed", "--reason", "r",
         "--reviewer", "a")
    _run("review", "decide", "report.json", fingerprint, "--status", "accepted", "--reviewer", "b")
    _, output = _run("review", "export", "-o", "b.json")
    assert "Wrote 0 dismissed" in output
    code, output = _run("review", "export", "-o", "b.json", "--status", "accepted")
    assert code == 0 and "Wrote 1 accepted" in output
    _, output = _run("review", "log", "--format", "json")
    trail = json.loads(output)
    assert [d["status"] for d in trail] == ["dismissed", "accepted"]
    assert trail[0]["finding"]["fingerprint"] == fingerprint


def test_review_errors_are_coded(workspace: Path) -> None:
    code, output = _run("review", "log")
    assert code == 2 and output.startswith("RV107")
    (workspace / "report.json").write_text('{"documents": []}', "utf-8")
    code, output = _run("review", "decide", "report.json", "nope:0", "--status", "escalated", "--reviewer", "x")
    assert code == 2 and "RV108" in output and "nope:0" in output
