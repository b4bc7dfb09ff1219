"""`claimaudit check` and `claimaudit baseline` through click's CliRunner.

Most tests swap the Auditor for a small deterministic one (keyword -> finding), so they test
this command's contract (selection, suppression, baseline, --diff, formats, exit codes) and
not the rules; the `slow` tests at the end run the real pipeline.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from click.testing import CliRunner

import claimaudit.commands.check as check_module
from claimaudit.cli import main
from claimaudit.findings.model import Family, Finding, Severity, SourceSpan
from claimaudit.gate.suppression import SUPPRESSION_RULES
from claimaudit.ingest import LineIndex, normalize
from claimaudit.ingest.source import SourceDocument
from claimaudit.result import AuditResult, DocumentResult
from claimaudit.rules.base import Rule

REPO = Path(__file__).resolve().parents[2]

FAKE_RULES = (
    Rule("SAFE001", "absolute-safety", Family.SAFE, Severity.ERROR, "Absolute safety claim."),
    Rule("EVI001", "overstated-efficacy", Family.EVI, Severity.WARNING, "Certainty above the evidence."),
    Rule("MECH002", "overstated-mechanism", Family.MECH, Severity.INFO, "Mechanism stated too surely."),
    Rule("DISC002", "side-effects-undisclosed", Family.DISC, Severity.WARNING, "No side effects named.",
         scope="document"),
)
PATTERNS = ((r"proven\s+safe", FAKE_RULES[0]), (r"works for everyone", FAKE_RULES[1]), (r"rewires", FAKE_RULES[2]))

# The text report ends with the knowledge base used and how fresh its cited evidence is.
KB_LINE = "Knowledge base test-kb (hash 0123456789ab); no knowledge-base evidence cited.\n"


class FakeAuditor:
    """Flags fixed phrases; records the settings it was built with."""

    built: ClassVar[list[object]] = []

    def __init__(self, settings: object) -> None:
        self.settings = settings
        FakeAuditor.built.append(settings)

    def audit_sources(self, sources: Iterable[SourceDocument]) -> Iterator[DocumentResult]:
        for source in sources:
            yield DocumentResult(
                source.path, source.media_type, source.text,
                findings=tuple(_fake_findings(source.text)),
                directives=normalize(source).directives,  # as the real Auditor reports them
            )

    def result(self, documents: Iterable[DocumentResult]) -> AuditResult:
        return AuditResult(tuple(documents), "test-kb", "0123456789abcdef", "0.1.0",
                           rules=tuple(r.code for r in FAKE_RULES))


def _fake_findings(text: str) -> Iterator[Finding]:
    lines = LineIndex.of(text)
    for phrase, rule in PATTERNS:
        for match in re.finditer(phrase, text, re.IGNORECASE):
            start, end = match.span()
            span = SourceSpan(start, end, *lines.line_column(start), *lines.line_column(end))
            yield Finding(rule.code, rule.family, rule.severity, span, match.group(0), f"'{match.group(0)}' is overstated",
                          suggestion="Say what the evidence shows.")
    if "book now" in text.lower():
        yield Finding("DISC002", Family.DISC, Severity.WARNING, SourceSpan(0, 0, 1, 1, 1, 1), "",
                      "promotes ketamine without naming side effects", omits="side_effects")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    import claimaudit.audit

    FakeAuditor.built = []
    monkeypatch.setattr(claimaudit.audit, "Auditor", FakeAuditor)
    monkeypatch.setattr(check_module, "known_rules", lambda: FAKE_RULES + SUPPRESSION_RULES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["check", *args], input=stdin)


# ------------------------------------------------------------------ exit codes


def test_clean_files_exit_zero(fake: Path):
    write(fake / "a.md", "Ketamine may help some people with depression.\n")
    result = run("a.md")
    assert (result.exit_code, result.output) == (0, "No findings in 1 document.\n" + KB_LINE)


def test_findings_at_or_above_fail_on_exit_one(fake: Path):
    write(fake / "a.md", "Intro.\nKetamine works for everyone.\n")
    result = run("a.md")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "a.md:2:10: warning EVI001 'works for everyone' is overstated",
        "",
        "Found 1 finding (1 warning) in 1 of 1 document.",
        KB_LINE.strip(),
    ]
    assert run("a.md", "--fail-on", "error").exit_code == 0
    assert run("a.md", "--exit-zero").exit_code == 0


def test_info_findings_do_not_fail_by_default(fake: Path):
    write(fake / "a.md", "Ketamine rewires the brain.\n")
    result = run("a.md")
    assert result.exit_code == 0 and "info MECH002" in result.output
    assert run("a.md", "--fail-on", "info").exit_code == 1
    assert run("a.md", "--min-severity", "warning").output == "No findings in 1 document.\n" + KB_LINE


def test_unreadable_input_exits_two_after_reporting_the_rest(fake: Path):
    write(fake / "a.md", "Ketamine is proven safe.\n")
    write(fake / "empty.md", "")
    result = run("a.md", "empty.md", "missing.md")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == "a.md:1:13: error SAFE001 'proven safe' is overstated"
    assert lines[1].startswith("empty.md: error IN102 ")
    assert lines[2].startswith("missing.md: error IN10")
    assert lines[-2] == "Found 1 finding (1 error) in 1 of 3 documents; 2 could not be read."


def test_usage_errors_exit_two_with_a_coded_message(fake: Path):
    write(fake / "a.md", "x\n")
    result = run("a.md", "--select", "SAFE9")
    assert (result.exit_code, result.output) == (2, "CF105 --select: unknown rule selector 'SAFE9' (no rule matches it)\n")
    bad = run("a.md", "--severity", "SAFE=fatal")
    assert bad.exit_code == 2 and "US102 --severity expects SELECTOR=LEVEL" in bad.output
    assert run("a.md", "--format", "yaml").exit_code == 2  # click's own usage error


# ------------------------------------------------------------------ selection


def test_select_ignore_and_severity_options(fake: Path):
    write(fake / "a.md", "It is proven safe. It works for everyone. It rewires the brain.\n")
    codes = lambda *args: re.findall(r" (SAFE001|EVI001|MECH002) ", run("a.md", *args).output)
    assert codes() == ["SAFE001", "EVI001", "MECH002"]
    assert codes("--select", "SAFE,EVI") == ["SAFE001", "EVI001"]
    assert codes("--select", "SAFE", "--select", "MECH0") == ["SAFE001", "MECH002"]
    assert codes("--ignore", "SAFE001", "--ignore", "MECH") == ["EVI001"]
    assert codes("--select", "EVI001", "--ignore", "EVI") == ["EVI001"]  # more specific wins
    result = run("a.md", "--severity", "MECH=error", "--fail-on", "error", "--ignore", "SAFE")
    assert "error MECH002" in result.output and result.exit_code == 1


def test_configuration_is_discovered_per_file_with_overrides(fake: Path):
    text = "It is proven safe. It works for everyone.\n"
    write(fake / "a.md", text)
    write(fake / "blog" / "b.md", text)
    write(fake / "blog" / "legal" / "c.md", text)
    write(fake / "blog" / ".claimaudit.toml", 'ignore = ["EVI"]\n[[overrides]]\npattern = "legal/*"\nignore = ["SAFE"]\n')
    output = run(".").output
    assert re.findall(r"^(\S+?):\d+:\d+: \w+ (\w+)", output, re.MULTILINE) == [
        ("a.md", "SAFE001"), ("a.md", "EVI001"), ("blog/b.md", "SAFE001")]
    assert run(".", "--no-config").output.count("EVI001") == 3


def test_invalid_configuration_exits_two(fake: Path):
    write(fake / "a.md", "x\n")
    write(fake / ".claimaudit.toml", 'select = ["SAFE"]\nignore = ["NOPE1"]\n')
    result = run("a.md")
    assert result.exit_code == 2
    assert "CF105 .claimaudit.toml: ignore: unknown rule selector 'NOPE1' (no rule matches it)" in result.output


def test_auditor_is_built_once_and_runs_every_rule(fake: Path):
    for name in ("a.md", "b.md", "c.md"):
        write(fake / name, "Proven safe.\n")
    run(".", "--select", "EVI", "--min-severity", "error")
    assert len(FakeAuditor.built) == 1
    settings = FakeAuditor.built[0]
    assert settings.select == () and settings.ignore == () and settings.min_severity is Severity.INFO


# ------------------------------------------------------------------ stdin, suppressions, baseline, diff


def test_stdin_with_a_filename(fake: Path):
    write(fake / "docs" / ".claimaudit.toml", 'ignore = ["SAFE"]\n')
    result = run("-", "--stdin-filename", "page.md", stdin="It is proven safe.\n")
    assert result.output.startswith("page.md:1:7: error SAFE001 ")
    ignored = run("-", "--stdin-filename", "docs/page.md", stdin="It is proven safe.\n")
    assert ignored.exit_code == 0  # docs/.claimaudit.toml applies to the named path
    anonymous = run("-", stdin="It is proven safe.\n")
    assert anonymous.output.startswith("<stdin>:1:7: error SAFE001 ")


def test_inline_suppressions_end_to_end(fake: Path):
    write(fake / "a.md", "<!-- claimaudit-disable-next-line SAFE001 -- quoted from the label -->\n"
                         "It is proven safe.\n\n<!-- claimaudit-disable-next-line EVI001 -->\nIt is proven safe.\n")
    result = run("a.md")
    lines = result.output.splitlines()
    assert lines[:3] == [
        "a.md:4:1: warning SUP001 unused suppression: 'EVI001' in 'claimaudit-disable-next-line' matched no finding",
        "a.md:4:1: warning SUP002 'claimaudit-disable-next-line' gives no reason: add '-- why this text is acceptable'",
        "a.md:5:7: error SAFE001 'proven safe' is overstated",
    ]
    assert lines[-2].endswith("; 1 suppressed inline.")
    assert run("a.md", "--ignore", "SUP", "--fail-on", "error").output.count("SUP0") == 0


def test_baseline_then_check_reports_only_new_findings(fake: Path):
    page = write(fake / "docs" / "a.md", "It is proven safe.\nIt works for everyone.\n")
    made = CliRunner().invoke(main, ["baseline", "docs", "-o", "ci/baseline.json"])
    assert made.exit_code == 0, made.output
    assert made.output == "Wrote 2 findings from 1 document to ci/baseline.json.\n"
    data = json.loads((fake / "ci" / "baseline.json").read_text())
    assert {entry["path"] for entry in data["findings"]} == {"../docs/a.md"}
    clean = run("docs", "--baseline", "ci/baseline.json")
    assert clean.exit_code == 0
    assert clean.output == "No findings in 1 document; 2 in the baseline.\n" + KB_LINE
    page.write_text("New intro.\n\nIt is PROVEN   safe.\nIt works for everyone.\nAlso proven safe.\n")
    later = run("docs", "--baseline", "ci/baseline.json")
    assert later.exit_code == 1
    assert later.output.splitlines()[0] == "docs/a.md:5:6: error SAFE001 'proven safe' is overstated"
    assert later.output.splitlines()[-2] == "Found 1 finding (1 error) in 1 of 1 document; 2 in the baseline."


def test_bad_baseline_file_exits_two(fake: Path):
    write(fake / "a.md", "x\n")
    write(fake / "b.json", "[]")
    result = run("a.md", "--baseline", "b.json")
    assert result.exit_code == 2 and "BL102 b.json: not a claimaudit baseline" in result.output


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def git_repo(fake: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(fake / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    git(fake, "init", "-q", "-b", "main")
    write(fake / "old.md", "It is proven safe.\nPlain line.\nBook now.\n")
    write(fake / "same.md", "It is proven safe.\nBook now.\n")
    git(fake, "add", ".")
    git(fake, "commit", "-q", "-m", "base")
    return fake


@pytest.mark.slow
def test_diff_keeps_only_changed_lines(git_repo: Path):
    write(git_repo / "old.md", "It is proven safe.\nIt works for everyone.\nBook now.\n")
    write(git_repo / "new.md", "It rewires the brain.\n")
    result = run("old.md", "same.md", "new.md", "--diff", "HEAD", "--fail-on", "info")
    found = re.findall(r"^(\S+?):(\d+):\d+: \w+ (\w+)", result.output, re.MULTILINE)
    assert found == [("old.md", "1", "DISC002"), ("old.md", "2", "EVI001"), ("new.md", "1", "MECH002")]
    assert result.output.splitlines()[-2].endswith("; 3 outside --diff HEAD.")
    assert result.exit_code == 1
    assert run("same.md", "--diff", "HEAD").exit_code == 0


@pytest.mark.slow
def test_diff_errors_exit_two(git_repo: Path, tmp_path_factory: pytest.TempPathFactory):
    result = run("old.md", "--diff", "nope")
    assert result.exit_code == 2
    assert f"DF102 --diff: unknown git revision 'nope' in {git_repo}" in result.output


# ------------------------------------------------------------------ formats and output


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "markdown", "csv", "junit", "html", "text"])
def test_every_format_renders_and_parses(fake: Path, fmt: str):
    write(fake / "a.md", "Book now. It is proven safe.\n")
    result = run("a.md", "--format", fmt, "--output", f"report.{fmt}")
    assert result.exit_code == 1 and result.output == ""
    text = (fake / f"report.{fmt}").read_text("utf-8")
    if fmt == "json":
        assert [f["code"] for f in json.loads(text)["documents"][0]["findings"]] == ["DISC002", "SAFE001"]
    elif fmt == "sarif":
        import jsonschema

        schema = json.loads((REPO / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
        data = json.loads(text)
        jsonschema.Draft4Validator(schema).validate(data)
        assert [r["ruleId"] for r in data["runs"][0]["results"]] == ["DISC002", "SAFE001"]
        assert all(r["partialFingerprints"]["claimaudit/v1"] for r in data["runs"][0]["results"])
    elif fmt == "junit":
        assert len(ET.fromstring(text).findall("testsuite/testcase/failure")) == 2
    elif fmt == "github":
        assert text.splitlines()[1].startswith("::error file=a.md,line=1,col=17,")
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and 'data-findings="0-1"' in text
    else:
        assert "SAFE001" in text


def test_json_fingerprints_match_the_baseline(fake: Path):
    write(fake / "a.md", "It is proven safe.\n")
    CliRunner().invoke(main, ["baseline", "a.md"])
    baseline = json.loads((fake / ".claimaudit-baseline.json").read_text())
    report = json.loads(run("a.md", "--format", "json").output)
    assert report["documents"][0]["findings"][0]["fingerprint"] == baseline["findings"][0]["fingerprint"]


# ------------------------------------------------------------------ startup, integrations


def test_help_does_not_import_spacy():
    code = ("import sys; from click.testing import CliRunner; from claimaudit.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "r = CliRunner().invoke(main, ['check', '--help']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'jsonschema', 'thinc')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_pre_commit_manifest_is_valid():
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("claimaudit", "claimaudit check --force-exclude", "python")
    assert hook["types_or"] == ["markdown", "html", "plain-text"]
    from identify.identify import tags_from_filename

    def selected(name: str) -> bool:
        return bool(set(hook["types_or"]) & tags_from_filename(name))

    assert [selected(n) for n in ("a.md", "b.html", "c.txt")] == [True, True, True]
    assert [selected(n) for n in ("setup.py", "k.yaml", "d.json", "e.toml")] == [False] * 4


def test_example_workflow_uploads_sarif():
    workflow = yaml.safe_load((REPO / "examples" / "github-workflow.yml").read_text("utf-8"))
    steps = workflow["jobs"]["audit"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "claimaudit.sarif"
    assert any("--format sarif --output claimaudit.sarif" in s.get("run", "") for s in steps)
    assert workflow["permissions"]["security-events"] == "write"


def test_example_configuration_is_valid(tmp_path: Path):
    from claimaudit.config import read_config, settings_from_config

    target = write(tmp_path / ".claimaudit.toml", (REPO / "examples" / "claimaudit.toml").read_text("utf-8"))
    settings = settings_from_config(read_config(target))
    assert settings.ignore == ("DISC005",) and len(settings.overrides) == 2
    known = [(m.code, m.family.value) for m in check_module.known_rules()]
    check_module._validate_config_selectors(settings, known, str(target))


# ------------------------------------------------------------------ the real pipeline


@pytest.mark.slow
def test_real_pipeline_exit_code_matches_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "claims.md", "Ketamine is FDA-approved for anxiety and has been proven safe.\n")
    write(tmp_path / "hours.md", "Our clinic is open Monday to Friday from 9 to 5.\n")
    result = run("claims.md", "hours.md", "--format", "json")
    report = json.loads(result.output)
    by_path = {d["path"]: d["findings"] for d in report["documents"]}
    assert {f["family"] for f in by_path["claims.md"]} >= {"REG", "SAFE"}
    assert by_path["hours.md"] == []
    for finding in by_path["claims.md"]:
        source = (tmp_path / "claims.md").read_text("utf-8")
        assert source[finding["start"]:finding["end"]] == finding["text"]
    failing = any(f["severity"] in ("warning", "error") for f in by_path["claims.md"])
    assert result.exit_code == (1 if failing else 0)


@pytest.mark.slow
def test_pre_commit_blocks_an_overstated_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    claimaudit = Path(sys.executable).with_name("claimaudit")
    write(repo / ".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{
        "id": "claimaudit", "name": "claimaudit", "entry": f"{claimaudit} check", "language": "system",
        "types_or": ["markdown", "html", "plain-text"]}]}]}))
    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=repo, check=True, capture_output=True)
    git(repo, "add", ".pre-commit-config.yaml")
    write(repo / "hours.md", "Our clinic is open Monday to Friday from 9 to 5.\n")
    git(repo, "add", "hours.md")
    ok = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-m", "hours"],
                        cwd=repo, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    write(repo / "claims.md", "Ketamine has been proven safe and has no side effects.\n")
    git(repo, "add", "claims.md")
    blocked = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-m", "claims"],
                             cwd=repo, capture_output=True, text=True, check=False)
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "claims.md:1:" in output and "SAFE001" in output
    log = subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True, check=False).stdout
    assert log.split() == ["hours"]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is not installed")
def test_real_html_report_in_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.chdir(tmp_path)
    page_text = (REPO / "examples" / "clinic-page.md").read_text("utf-8")
    write(tmp_path / "clinic-page.md", page_text + "\n<script>window.injected = true;</script>\n")
    assert run("clinic-page.md", "--format", "json").exit_code == 1
    report = json.loads(run("clinic-page.md", "--format", "json").output)
    findings = report["documents"][0]["findings"]
    assert findings
    assert run("clinic-page.md", "--format", "html", "-o", "report.html").exit_code == 1
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((tmp_path / "report.html").as_uri())
        for number, finding in enumerate(findings):
            assert page.locator(f'[data-findings~="0-{number}"]').count() >= 1, finding["code"]
        inline = next(n for n, f in enumerate(findings) if f["omits"] is None)
        page.locator(f'mark[data-findings~="0-{inline}"]').first.click()
        details = page.locator(f"#f-0-{inline} .details")
        assert details.is_visible()
        assert details.locator(".message").inner_text() == findings[inline]["message"]
        assert page.evaluate("window.injected === undefined")
        browser.close()
    assert errors == []
