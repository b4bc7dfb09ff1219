"""Every report names the knowledge base (version, hash) and the oldest `checked` date it cited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimaudit.audit import Auditor
from claimaudit.knowledge_base.model import record_checked
from claimaudit.reporters import html_report, json_report, sarif, text
from claimaudit.result import AuditResult

PAGE = Path(__file__).resolve().parents[2] / "examples" / "clinic-page.md"


@pytest.fixture(scope="module")
def audited() -> tuple[Auditor, AuditResult]:
    auditor = Auditor()
    return auditor, auditor.result(auditor.audit_paths([PAGE]))


def test_oldest_checked_is_the_minimum_over_cited_records(audited: tuple[Auditor, AuditResult]) -> None:
    auditor, result = audited
    cited = {e.id for f in result.findings for e in f.evidence}
    dates = [record_checked(r) for r in map(auditor.kb.record, cited) if r is not None]
    assert dates and result.kb_checked == min(dates)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", result.kb_checked)


def test_json_sarif_text_html_show_version_hash_and_date(audited: tuple[Auditor, AuditResult]) -> None:
    _, result = audited
    kb = json.loads(json_report.render(result))["knowledge_base"]
    assert (kb["version"], kb["hash"], kb["oldest_checked"]) == (result.kb_version, result.kb_hash, result.kb_checked)
    props = json.loads(sarif.render(result))["runs"][0]["properties"]
    assert props["kbOldestChecked"] == result.kb_checked and props["kbHash"] == result.kb_hash
    last = text.render(result).splitlines()[-1]
    assert result.kb_version in last and result.kb_hash[:12] in last and result.kb_checked in last
    page = html_report.render(result)
    assert f"evidence checked {result.kb_checked} or later" in page and result.kb_version in page
