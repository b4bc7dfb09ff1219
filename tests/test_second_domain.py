"""A second domain (psilocybin) is audited from data alone: no code knows about it."""

from __future__ import annotations

from pathlib import Path

from claimaudit.audit import Auditor
from claimaudit.ingest import read_source
from claimaudit.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "examples" / "knowledge" / "psilocybin"
PAGE = ROOT / "examples" / "psilocybin-page.md"


def test_psilocybin_page_is_judged_by_the_pack() -> None:
    auditor = Auditor(Settings(knowledge_dirs=(str(PACK),)))
    result = auditor.audit_source(read_source(PAGE))
    by_code = {f.code: f for f in result.findings}
    # The pack's FDA rows are `unverified` (no FDA record of the designations was found), so
    # "FDA-approved" is not judged from them; `kb audit` lists them instead.
    assert not any(f.code == "REG001" and "psilocybin" in f.message for f in result.findings)
    # "completely safe and has no side effects": contradicted by the pack's adverse effects.
    safety = by_code["SAFE001"]
    assert "headache" in safety.message or any("headache" in e.label.lower() for e in safety.evidence)
    # The careful, cited sentence about the Goodwin trial is left alone.
    careful = PAGE.read_text(encoding="utf-8").index("A phase 2 trial")
    assert not any(f.start <= careful < f.end for f in result.findings if f.family.value in {"EVI", "STAT"})


def test_without_the_pack_psilocybin_is_unknown() -> None:
    result = Auditor().audit_source(read_source(PAGE))
    assert not any(f.code == "REG001" and "psilocybin" in f.message for f in result.findings)
