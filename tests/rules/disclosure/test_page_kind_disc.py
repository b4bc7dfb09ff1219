"""DISC follows the page kind: informational pages are not promotion; the finding says which
kind it assumed; the `page_kind` setting forces it."""

from __future__ import annotations

from claimaudit.audit import Auditor, audit_text
from claimaudit.settings import Settings

CLAIMS = (
    "Ketamine infusions relieve PTSD symptoms within days. "
    "Ketamine rapidly reduces intrusive memories. "
    "Ketamine infusions work for veterans with PTSD.\n"
)

ARTICLE = (
    "Original Research\n\nKetamine in post-traumatic stress disorder: an open-label cohort\n\n"
    "Background\nPTSD is common in veterans.\n\nMethods\nWe enrolled 40 veterans.\n\n"
    "Results\n" + CLAIMS + "\nConclusions\nControlled trials are needed.\n"
)

CLINIC = (
    "# PTSD treatment at Northside Ketamine\n\n" + CLAIMS
    + "\nOur team is ready to help. Book a free consultation today or call us.\n"
)


def _disc001(result):  # type: ignore[no-untyped-def]
    return [f for f in result.findings if f.code == "DISC001"]


def test_research_article_gets_no_off_label_finding(audit):  # type: ignore[no-untyped-def]
    result = audit(ARTICLE)
    assert result.facts.page_kind.kind == "informational"
    assert not [f for f in result.findings if f.family.value == "DISC"]


def test_clinic_page_gets_off_label_finding_naming_the_page_kind(audit):  # type: ignore[no-untyped-def]
    result = audit(CLINIC, media_type="text/markdown")
    assert result.facts.page_kind.kind == "promotional"
    found = _disc001(result)
    assert found and "page read as promotional" in found[0].message


def test_forced_promotional_kind_judges_the_article_as_promotion(auditor):  # type: ignore[no-untyped-def]
    forced = Auditor(Settings(page_kind="promotional"))
    result = audit_text(ARTICLE, auditor=forced)
    found = _disc001(result)
    assert found and "set by configuration" in found[0].message


def test_forced_informational_kind_silences_disc_on_a_clinic_page():
    result = audit_text(CLINIC, media_type="text/markdown", auditor=Auditor(Settings(page_kind="informational")))
    assert not [f for f in result.findings if f.family.value == "DISC"]


def test_promoted_condition_without_a_record_is_off_label(audit):  # type: ignore[no-untyped-def]
    text = (
        "# Tinnitus relief at Lakeside Infusions\n\n"
        "Ketamine infusions are an effective treatment for tinnitus. Ketamine relieves tinnitus fast. "
        "Our team has helped many patients with tinnitus. Book a consultation today.\n"
    )
    found = _disc001(audit(text, media_type="text/markdown"))
    assert found and "for tinnitus" in found[0].message
