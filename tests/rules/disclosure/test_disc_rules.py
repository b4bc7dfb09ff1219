"""DISC001-DISC006: page-level omissions on promotional pages."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, facts  # noqa: E402

from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.disclosure import (  # noqa: E402
    contraindications_omitted,
    evidence_limits_omitted,
    off_label_omitted,
    review_date_omitted,
    side_effects_omitted,
    sources_omitted,
)

PAGE = "  Ketamine for Panic: Fast Relief\nBook your infusion today."
MODULES = {
    "off_label_status": off_label_omitted,
    "side_effects": side_effects_omitted,
    "contraindications": contraindications_omitted,
    "evidence_limits": evidence_limits_omitted,
    "review_date": review_date_omitted,
    "sources": sources_omitted,
}
DISCLOSED = {
    "off_label_status": "mentions_off_label",
    "side_effects": "mentions_side_effects",
    "contraindications": "mentions_contraindications",
    "evidence_limits": "mentions_evidence_limits",
    "review_date": "has_review_date",
    "sources": "has_sources",
}


def promo(**changes):  # type: ignore[no-untyped-def]
    return replace(facts(), indications=("panic_disorder",), **changes)


@pytest.mark.parametrize("omits", sorted(MODULES))
def test_disc_omission_on_promotional_page_spans_the_title(omits: str) -> None:
    [finding] = MODULES[omits].check_document(promo(), domain_ctx(document_text=PAGE, page=promo()))
    assert finding.omits == omits
    assert finding.text == "Ketamine for Panic: Fast Relief"
    assert (finding.span.start, finding.span.line) == (2, 1)
    expected = Severity.INFO if omits == "review_date" else Severity.WARNING
    assert finding.severity is expected


@pytest.mark.parametrize("omits", sorted(MODULES))
def test_disc_disclosed_or_non_promotional_page_not_flagged(omits: str) -> None:
    disclosed = promo(**{DISCLOSED[omits]: True})
    assert list(MODULES[omits].check_document(disclosed, domain_ctx(document_text=PAGE, page=disclosed))) == []
    neutral = promo(promotes_treatment=False)
    assert list(MODULES[omits].check_document(neutral, domain_ctx(document_text=PAGE, page=neutral))) == []


def test_disc001_page_about_an_approved_use_not_flagged() -> None:
    page = replace(facts(), substances=("esketamine",), indications=("trd",))
    assert list(off_label_omitted.check_document(page, domain_ctx(document_text=PAGE, page=page))) == []


def test_disc001_message_names_the_approved_use() -> None:
    [finding] = off_label_omitted.check_document(promo(), domain_ctx(document_text=PAGE, page=promo()))
    assert "panic disorder" in finding.message and "anaesthesia" in finding.message


def test_disc006_markers_without_list_are_named() -> None:
    page = promo(citation_count=3)
    [finding] = sources_omitted.check_document(page, domain_ctx(document_text=PAGE, page=page))
    assert "3 citation marker" in finding.message
