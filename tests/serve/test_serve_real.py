"""The web API over the real auditor gives what `claimaudit check --format json` gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from serve_fakes import TestClient, build_docx

from claimaudit.cli import main
from claimaudit.serve import create_app

SEEDS = Path(__file__).resolve().parents[2] / "corpora" / "seeds"

EXTRA_FILES = {
    "clinic.md": (
        b"# Ketamine for anxiety\r\n\r\n"
        b"<!-- claimaudit-disable-next-line SAFE -- wording approved by the medical editor -->\r\n"
        b"Ketamine is proven safe and has no side effects.\r\n\r\n"
        b"Ketamine is FDA-approved for anxiety and works within minutes.\r\n"
    ),
    "clinic.html": (
        b"<!doctype html><html><head><title>Ketamine</title></head><body>"
        b"<h1>Ketamine therapy</h1>"
        b"<p>Ketamine is FDA-approved for generalized anxiety disorder.</p>"
        b"<p>Over 70% of patients respond after three infusions.</p></body></html>"
    ),
    "legacy.txt": "Ketamine \u2013 the caf\u00e9 of cures \u2013 is proven safe.\r\n".encode(
        "cp1252"
    ),
}


@pytest.fixture(scope="module")
def real_client() -> Iterator[TestClient]:
    app = create_app()
    with TestClient(app) as client:
        app.state.service.auditor(timeout=180)
        yield client


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    contents = {path.name: path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))}
    contents.update(EXTRA_FILES)
    return contents


@pytest.fixture(scope="module")
def cli_report(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`claimaudit check --format json` over the same files, run from their folder."""
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path_factory.mktemp("cwd")) as cwd:
        for name, data in files.items():
            (Path(cwd) / name).write_bytes(data)
        result = runner.invoke(main, ["check", "--format", "json", "--no-config", *files])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_upload_gives_the_cli_json_for_each_document(
    real_client: TestClient, files: dict[str, bytes], cli_report: dict[str, Any]
) -> None:
    by_path = {document["path"]: document for document in cli_report["documents"]}
    assert set(by_path) == set(files)
    for name, data in files.items():
        response = real_client.post("/api/audit", files={"file": (name, data)})
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["tool"] == cli_report["tool"]
        assert report["knowledge_base"] == cli_report["knowledge_base"]
        assert report["documents"] == [by_path[name]], name
        assert report["summary"]["findings"] == len(by_path[name]["findings"])


def test_seed_findings_index_the_text_the_page_renders(real_client: TestClient) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8")
        report = real_client.post("/api/audit", json={"text": text, "filename": path.name}).json()
        for finding in report["documents"][0]["findings"]:
            assert 0 <= finding["start"] <= finding["end"] <= len(text)
            piece = text[finding["start"] : finding["end"]]
            assert " ".join(piece.split()) == " ".join(finding["text"].split())


def test_docx_upload_matches_the_cli_on_the_extracted_text(
    real_client: TestClient, tmp_path: Path
) -> None:
    seed = (SEEDS / "001_7a3bebcfb2b79a1f.txt").read_text("utf-8")
    lines = [line for line in seed.splitlines() if line.strip()]
    data = build_docx([("heading", lines[0])] + [("para", line) for line in lines[1:]])
    report = real_client.post("/api/audit", files={"file": ("article.docx", data)}).json()
    document = report["documents"][0]
    assert (document["path"], document["media_type"]) == ("article.docx", "text/plain")
    assert document["findings"], "the seed article has findings"

    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        (Path(cwd) / "article.txt").write_text("\n".join(lines), "utf-8")
        result = runner.invoke(main, ["check", "--format", "json", "--no-config", "article.txt"])
    expected = json.loads(result.stdout)["documents"][0]["findings"]

    def comparable(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in f.items() if k not in ("path", "fingerprint")} for f in findings]

    assert comparable(document["findings"]) == comparable(expected)


def test_rules_and_health_describe_the_real_auditor(
    real_client: TestClient, cli_report: dict[str, Any]
) -> None:
    from claimaudit.rules.registry import all_rules

    rules = real_client.get("/api/rules").json()["rules"]
    assert [rule["code"] for rule in rules] == [module.rule.code for module in all_rules()]
    assert all(rule["name"] and rule["summary"] for rule in rules)
    health = real_client.get("/api/health").json()
    assert health["ready"] is True
    assert health["kb_version"] == cli_report["knowledge_base"]["version"]
    assert health["kb_hash"] == cli_report["knowledge_base"]["hash"]


def test_report_html_is_the_html_reporter_output(real_client: TestClient) -> None:
    seed = (SEEDS / "001_7a3bebcfb2b79a1f.txt").read_text("utf-8")
    response = real_client.post("/api/report.html", json={"text": seed, "filename": "seed.txt"})
    assert response.status_code == 200
    audit = real_client.post("/api/audit", json={"text": seed, "filename": "seed.txt"}).json()
    html = response.text
    assert html.startswith("<!DOCTYPE html>")
    assert "seed.txt" in html
    for finding in audit["documents"][0]["findings"]:
        assert finding["code"] in html
