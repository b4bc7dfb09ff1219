"""DISC001-DISC006: page-level omissions on promotional pages."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, facts, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
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


CLAIMS = [
    make_claim(text, substances=["ketamine"], claim_id=f"c{i}", cues=[("research_backed", "Studies show")])
    for i, text in enumerate([
        "Studies show ketamine relieves panic attacks.",
        "Studies show ketamine works when other medicines fail.",
        "Studies show ketamine helps patients with panic disorder.",
    ])
]


def ctx(page, text=PAGE, claims=CLAIMS):  # type: ignore[no-untyped-def]
    return domain_ctx(list(claims), document_text=text, page=page)


def promo(**changes):  # type: ignore[no-untyped-def]
    return replace(facts(), indications=("panic_disorder",), **changes)


@pytest.mark.parametrize("omits", sorted(MODULES))
def test_disc_omission_on_promotional_page_spans_the_title(omits: str) -> None:
    [finding] = MODULES[omits].check_document(promo(), ctx(promo()))
    assert finding.omits == omits
    assert finding.text == "Ketamine for Panic: Fast Relief"
    assert (finding.span.start, finding.span.line) == (2, 1)
    expected = Severity.INFO if omits == "review_date" else Severity.WARNING
    assert finding.severity is expected


@pytest.mark.parametrize("omits", sorted(MODULES))
def test_disc_omission_carries_the_trigger_the_auditor_would_set(omits: str) -> None:
    """A DISC finding's trigger is its own span and source text: what `resolve_triggers`
    gives a finding without one, so it leaves the finding as it is."""
    from dataclasses import replace as with_fields

    from claimaudit.rules.triggers import resolve_triggers

    context = ctx(promo())
    [finding] = MODULES[omits].check_document(promo(), context)
    assert finding.trigger == finding.span
    source = context.document.source.text
    assert finding.trigger_text == source[finding.span.start : finding.span.end]
    bare = with_fields(finding, trigger=None, trigger_text="")
    assert resolve_triggers([bare], context.claims, context.document) == [finding]
    assert resolve_triggers([finding], context.claims, context.document) == [finding]


@pytest.mark.parametrize("omits", sorted(MODULES))
def test_disc_disclosed_or_non_promotional_page_not_flagged(omits: str) -> None:
    disclosed = promo(**{DISCLOSED[omits]: True})
    text = PAGE + ("\nThe evidence is preliminary: small studies only." if omits == "evidence_limits" else "")
    claims = [*CLAIMS, RISK_CLAIM] if omits == "side_effects" else CLAIMS
    assert list(MODULES[omits].check_document(disclosed, ctx(disclosed, text, claims))) == []
    neutral = promo(promotes_treatment=False)
    hedged = [replace(c, certainty=Certainty.HEDGED) for c in CLAIMS]
    assert list(MODULES[omits].check_document(neutral, ctx(neutral, claims=hedged))) == []


RISK_CLAIM = make_claim(
    "Ketamine can raise blood pressure and cause nausea.", kinds=[ClaimKind.SAFETY],
    substances=["ketamine"], certainty=Certainty.HEDGED, claim_id="risk",
    cues=[("side_effect", "blood pressure"), ("side_effect", "nausea")],
)


def test_disc001_page_about_an_approved_use_not_flagged() -> None:
    page = replace(facts(), substances=("esketamine",), indications=("trd",))
    assert list(off_label_omitted.check_document(page, ctx(page))) == []


def test_disc001_message_names_the_approved_use() -> None:
    [finding] = off_label_omitted.check_document(promo(), ctx(promo()))
    assert "panic disorder" in finding.message and "anaesthesia" in finding.message


def test_disc006_markers_without_list_are_named() -> None:
    page = promo(citation_count=3)
    [finding] = sources_omitted.check_document(page, ctx(page))
    assert "3 citation marker" in finding.message


def test_disc004_limitations_of_something_else_do_not_count() -> None:
    text = PAGE + "\nOur course explores the limitations of group work. Ketamine is not for everyone."
    page = promo(mentions_evidence_limits=True)
    [finding] = evidence_limits_omitted.check_document(page, ctx(page, text))
    assert finding.omits == "evidence_limits"


def test_disc002_side_effects_named_only_for_comparators_count_as_omitted() -> None:
    claim = make_claim("SSRIs can cause adverse effects such as sedation.", substances=["ssris"],
                       cues=[("side_effect", "adverse effects")])
    page = promo(mentions_side_effects=True)
    [finding] = side_effects_omitted.check_document(page, ctx(page, claims=[*CLAIMS, claim]))
    assert finding.omits == "side_effects"


def test_disc_hedged_benefit_claims_alone_are_not_promotional() -> None:
    hedged = [make_claim("Ketamine may help some people with panic.", substances=["ketamine"], certainty=2)]
    assert list(side_effects_omitted.check_document(promo(), ctx(promo(), claims=hedged))) == []


def test_disc004_established_use_needs_no_evidence_limits() -> None:
    page = replace(facts(), substances=("esketamine",), indications=("trd",))
    from claimaudit.knowledge_base.model import EvidenceAssessment, Grade
    from helpers import SRC, domain_kb

    base = domain_kb()
    kb = replace(base, assessments={**base.assessments, "a_esk": EvidenceAssessment(
        "a_esk", "esketamine", "trd", Grade.ESTABLISHED, sources=SRC)})
    result = evidence_limits_omitted.check_document(page, domain_ctx(CLAIMS, document_text=PAGE, page=page, kb=kb))
    assert list(result) == []


def test_disc006_page_without_research_appeal_or_markers_not_flagged() -> None:
    plain_claims = [make_claim(c.text.replace("Studies show ", "").capitalize(), substances=["ketamine"],
                               claim_id=c.id) for c in CLAIMS]
    assert list(sources_omitted.check_document(promo(), ctx(promo(), claims=plain_claims))) == []
