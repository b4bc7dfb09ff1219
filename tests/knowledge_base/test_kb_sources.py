"""Source policy: kinds, allowed domains per kind, primary basis, unverified records, freshness."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from kb_packs import MINIMAL_PACK, PackWriter

from claimaudit.cli import main
from claimaudit.errors import KnowledgeBaseError
from claimaudit.knowledge_base.freshness import audit_records, parse_age
from claimaudit.knowledge_base.load import load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import RECORD_TABLES, SourceKindName
from claimaudit.knowledge_base.sources import ALLOWED_DOMAINS, BLOCKED_DOMAINS, blocked, on_domain

# The domains each kind of source may use, spelled out here so that a change to the policy
# is a visible, reviewed change to this test as well.
EXPECTED_DOMAINS = {
    "regulator": {"fda.gov", "dailymed.nlm.nih.gov", "health-products.canada.ca", "hpfb-dgpsa.ca",
                  "gc.ca", "pdf.hres.ca", "canada.ca", "ema.europa.eu", "ec.europa.eu", "gov.uk",
                  "nice.org.uk", "tga.gov.au", "govinfo.gov", "federalregister.gov",
                  "deadiversion.usdoj.gov", "dea.gov", "laws-lois.justice.gc.ca"},
    "registry": {"clinicaltrials.gov", "anzctr.org.au", "isrctn.com", "trialsearch.who.int",
                 "clinicaltrialsregister.eu", "euclinicaltrials.eu"},
    "paper": {"pubmed.ncbi.nlm.nih.gov", "doi.org", "pmc.ncbi.nlm.nih.gov"},
    "guideline": {"nice.org.uk", "healthquality.va.gov", "psychiatry.org", "canmat.org", "who.int",
                  "pubmed.ncbi.nlm.nih.gov", "doi.org"},
    "secondary": {"nih.gov", "medlineplus.gov", "cdc.gov", "nhs.uk", "who.int", "ftc.gov",
                  "icmje.org", "cochrane.org"},
}
_URL = re.compile(r"https?://[^\s)\"'<>\]]+")


def test_allowed_domains_per_kind_are_the_reviewed_list() -> None:
    assert {k.value: set(v) for k, v in ALLOWED_DOMAINS.items()} == EXPECTED_DOMAINS


def test_every_bundled_source_is_on_a_domain_its_kind_allows() -> None:
    kb = load_knowledge_base(cache=False)
    checked = 0
    for table in RECORD_TABLES:
        for rid, record in getattr(kb, table).items():
            for source in record.sources:
                checked += 1
                if source.url:
                    assert on_domain(source.url, EXPECTED_DOMAINS[source.kind.value]), (rid, source.url)
                if source.kind is SourceKindName.PAPER:
                    assert source.pmid or source.doi or source.pmcid, rid
    assert checked > 200


def test_no_aggregator_or_marketing_url_anywhere_in_knowledge() -> None:
    root = Path(__file__).resolve().parents[2]
    for path in [*root.glob("knowledge/**/*.yaml"), *root.glob("examples/knowledge/**/*.yaml")]:
        text = path.read_text(encoding="utf-8")
        for url in _URL.findall(text):
            assert not blocked(url), f"{path}: {url}"
        assert "in this session" not in text, path
    for name in ("moreblossom.com", "popular-pharma.com", "zendy.io", "ketwell.com", "myhealthbox.eu"):
        assert name in BLOCKED_DOMAINS


def test_paper_links_are_canonical() -> None:
    kb = load_knowledge_base(cache=False)
    for study in kb.studies.values():
        for source in study.sources:
            if source.kind is SourceKindName.PAPER and source.pmid:
                assert source.link == f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
            if source.kind is SourceKindName.PAPER and source.doi and not source.pmid:
                assert source.link == f"https://doi.org/{source.doi}"


def _problem_lines(pack: Path) -> str:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base([pack], bundled=False, cache=False)
    return info.value.format_message()


def test_approval_without_a_regulator_source_is_refused(write_pack: PackWriter) -> None:
    approval = (
        "- id: a1\n  substance: drugx\n  indication: cond\n  regulator: reg\n  status: approved\n"
        "  sources: [{kind: paper, pmid: 5, checked: 2026-11-22}]\n"
    )
    pack = write_pack("pack", {"approvals/a.yaml": approval})
    message = _problem_lines(pack)
    assert re.search(r"KB111 \S+approvals/a\.yaml \[a1\] /sources: an approval must rest on a regulator", message)


def test_grade_without_a_peer_reviewed_source_is_refused(write_pack: PackWriter) -> None:
    grade = (
        "id: g1\nsubstance: drugx\nindication: cond\ngrade: moderate\nsummary: ok\n"
        "sources: [{kind: regulator, url: 'https://www.fda.gov/x', checked: 2026-11-22}]\n"
    )
    message = _problem_lines(write_pack("pack", {"assessments/g.yaml": grade}))
    assert "KB111" in message and "[g1]" in message and "peer-reviewed" in message


def test_marketing_domain_anywhere_in_a_record_is_refused(write_pack: PackWriter) -> None:
    substance = (
        "id: drugx\nname: drugx\nsources: [{kind: paper, pmid: 1, checked: 2026-11-22, "
        "note: 'summary at https://moreblossom.com/papers/x'}]\n"
    )
    message = _problem_lines(write_pack("pack", {"substances/drugx.yaml": substance}))
    assert re.search(r"KB109 \S+substances/drugx\.yaml \[drugx\] /sources/0/note: moreblossom\.com is an aggregator", message)


def test_wrong_domain_for_kind_and_non_canonical_paper_url(write_pack: PackWriter) -> None:
    substance = (
        "id: drugx\nname: drugx\nsources: [{kind: regulator, url: 'https://example.com/label', "
        "checked: 2026-11-22}, {kind: paper, pmid: 7, url: 'https://pubmed.ncbi.nlm.nih.gov/8/', "
        "checked: 2026-11-22}]\n"
    )
    message = _problem_lines(write_pack("pack", {"substances/drugx.yaml": substance}))
    assert "KB109" in message and "example.com is not an allowed domain for a regulator source" in message
    assert "KB110" in message and "https://pubmed.ncbi.nlm.nih.gov/7/" in message


def test_unverified_record_is_kept_out_of_judgements(write_pack: PackWriter) -> None:
    approval = (
        "- id: a2\n  substance: drugx\n  indication: subcond\n  regulator: reg\n  status: approved\n"
        "  unverified: only a news report was found\n"
        "  sources: [{kind: secondary, url: 'https://news.example.com/x', checked: 2026-11-22}]\n"
    )
    kb = load_knowledge_base([write_pack("pack", {"approvals/b.yaml": approval})], bundled=False, cache=False)
    assert "a2" in kb.unverified and "a2" not in kb.approvals
    assert all(row.id != "a2" for row in KnowledgeLookup(kb).approval_status("drugx", "subcond", ["reg"]).approvals)
    report = audit_records(kb, dt.date(2020, 1, 1))
    assert [i.record_id for i in report.unverified] == ["a2"] and not report.stale


def test_unverified_record_still_refuses_blocked_domains(write_pack: PackWriter) -> None:
    approval = (
        "- id: a2\n  substance: drugx\n  indication: subcond\n  regulator: reg\n  status: approved\n"
        "  unverified: only a clinic page\n"
        "  sources: [{kind: secondary, url: 'https://ketwell.com/x', checked: 2026-11-22}]\n"
    )
    assert "ketwell.com is an aggregator" in _problem_lines(write_pack("pack", {"approvals/b.yaml": approval}))


@pytest.mark.parametrize(("text", "days"), [("90d", 90), ("8w", 56), ("12m", 365), ("1y", 365)])
def test_parse_age(text: str, days: int) -> None:
    assert parse_age(text).days == days


def test_parse_age_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="12m"):
        parse_age("twelve months")


def test_kb_audit_cli_exit_codes(write_pack: PackWriter) -> None:
    pack = write_pack("pack", {})
    runner = CliRunner()
    fresh = runner.invoke(main, ["kb", "audit", "--no-bundled", "--knowledge", str(pack), "--as-of", "2026-12-01"])
    assert fresh.exit_code == 0, fresh.output
    assert "0 stale" in fresh.output and "0 unverified" in fresh.output
    stale = runner.invoke(
        main, ["kb", "audit", "--no-bundled", "--knowledge", str(pack), "--as-of", "2028-01-01", "--max-age", "12m"]
    )
    assert stale.exit_code == 1
    assert re.search(r"^stale\s+drugx \(\S+substances/drugx\.yaml\) checked 2026-11-22$", stale.output, re.M)


def test_bundled_kb_audit_lists_the_unverified_records() -> None:
    result = CliRunner().invoke(main, ["kb", "audit", "--max-age", "12m", "--as-of", "2026-12-06"])
    assert result.exit_code == 1
    assert "unverified ketamine-anaesthesia-tga" in result.output
    assert MINIMAL_PACK  # the tiny pack used above stays importable
