"""CITE001-006: missing, unresolved, weak, off-topic and wrong citations; phantom authorities."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, marker  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, QualifierKind, Reference  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.citation import (  # noqa: E402
    off_topic_source,
    phantom_authority,
    uncited_research,
    unresolved_marker,
    weak_source,
    wrong_author_year,
)


def run(module, claim, references=()):  # type: ignore[no-untyped-def]
    return list(module.check(claim, make_ctx([claim], references=references)))


# ---------------------------------------------------------------- CITE001


def test_uncited_research_overstated_claim_is_warning() -> None:
    claim = make_claim("Ketamine has been shown to relieve social anxiety.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["sad"], cues=[("research_backed", "has been shown")])
    [finding] = run(uncited_research, claim)
    assert finding.severity is Severity.WARNING and "'has been shown'" in finding.message


def test_uncited_research_fair_claim_is_info() -> None:
    claim = make_claim("Studies show ketamine helps PTSD.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["ptsd"], cues=[("research_backed", "Studies show")])
    claim_ok_grade = make_claim("Research has shown ketamine helps TRD quickly.", certainty=Certainty.BOOSTED,
                                substances=["ketamine"], indications=["trd"],
                                cues=[("research_backed", "Research has shown")])
    assert run(uncited_research, claim)[0].severity is Severity.WARNING
    assert run(uncited_research, claim_ok_grade) == []  # well-established fact


def test_uncited_research_info_when_grade_unknown_but_research_claimed() -> None:
    claim = make_claim("Studies have shown ketamine helps with grief.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], cues=[("research_backed", "Studies have shown")])
    [finding] = run(uncited_research, claim)
    assert finding.severity is Severity.INFO


def test_uncited_research_hedging_word_is_not_flagged() -> None:
    claim = make_claim("Studies show ketamine can produce rapid effects in anxiety.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["gad"], cues=[("research_backed", "Studies show")])
    assert run(uncited_research, claim) == []


@pytest.mark.parametrize("qualifier", [QualifierKind.HEDGE, QualifierKind.HYPOTHETICAL])
def test_uncited_research_hedged_is_not_flagged(qualifier: QualifierKind) -> None:
    claim = make_claim("Studies suggest ketamine may ease anxiety.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["gad"],
                       cues=[("research_backed", "Studies suggest")], qualifiers=[(qualifier, "may")])
    assert run(uncited_research, claim) == []


def test_uncited_research_with_citation_is_not_flagged() -> None:
    text = "Studies show ketamine eases social anxiety (Lee et al., 2019)."
    claim = make_claim(text, certainty=Certainty.BOOSTED, substances=["ketamine"], indications=["sad"],
                       cues=[("research_backed", "Studies show")],
                       citations=[marker(text, "(Lee et al., 2019)", "author_year", label="Lee", year=2019,
                                         study_id="lee2019")])
    assert run(uncited_research, claim) == []


# ---------------------------------------------------------------- CITE002


def test_unresolved_marker_without_reference_list() -> None:
    text = "Infusions relieve panic in most patients [3]."
    claim = make_claim(text, citations=[marker(text, "[3]", label="3")])
    [finding] = run(unresolved_marker, claim)
    assert "no reference list" in finding.message


def test_unresolved_marker_missing_entry_and_resolved_marker() -> None:
    text = "Infusions relieve panic [3] and depression [1]."
    ref1 = Reference("1", "Rivera 2014", 0, 5, study_id="rivera2014")
    claim = make_claim(text, citations=[marker(text, "[3]", label="3"), marker(text, "[1]", label="1", reference=ref1)])
    [finding] = run(unresolved_marker, claim, references=[ref1])
    assert "[3]" in finding.message and "[1]" not in finding.message
    resolved = make_claim(text, citations=[marker(text, "[1]", label="1", reference=ref1)])
    assert run(unresolved_marker, resolved, references=[ref1]) == []


# ---------------------------------------------------------------- CITE003


def test_weak_source_blog_by_study_record() -> None:
    text = "Most patients improve after three sessions [4]."
    ref = Reference("4", "Webb. Rising star. 2024.", 0, 5, study_id="blog2024")
    claim = make_claim(text, citations=[marker(text, "[4]", label="4", reference=ref)])
    [finding] = run(weak_source, claim, references=[ref])
    assert "society blog post" in finding.message and "study record" in finding.message


def test_weak_source_by_domain_and_by_wording() -> None:
    text = "Patients recover fast [2]."
    by_domain = Reference("2", "Clinic announces results. https://newswire.example.com/item/9", 0, 5)
    by_words = Reference("2", "Smith J. Ketamine works. Wellness Magazine, 2023.", 0, 5)
    for ref in (by_domain, by_words):
        claim = make_claim(text, citations=[marker(text, "[2]", label="2", reference=ref)])
        assert len(run(weak_source, claim, references=[ref])) == 1, ref.text


def test_weak_source_journal_or_background_claim_not_flagged() -> None:
    text = "Ketamine was synthesised in 1962 [2]."
    blog = Reference("2", "Webb. Rising star. 2024.", 0, 5, study_id="blog2024")
    history = make_claim(text, kinds=(ClaimKind.HISTORY,), citations=[marker(text, "[2]", label="2", reference=blog)])
    journal = Reference("2", "Lee 2019", 0, 5, study_id="lee2019")
    efficacy = make_claim(text, citations=[marker(text, "[2]", label="2", reference=journal)])
    assert run(weak_source, history, [blog]) == [] and run(weak_source, efficacy, [journal]) == []


# ---------------------------------------------------------------- CITE004


def test_off_topic_source_depression_study_for_anxiety_drugs() -> None:
    text = "SSRIs show limited efficacy for anxiety and cause sedation (Brown et al., 2015)."
    claim = make_claim(text, kinds=(ClaimKind.EFFICACY, ClaimKind.SAFETY), substances=["ssris"],
                       indications=["anxiety_disorders"],
                       citations=[marker(text, "(Brown et al., 2015)", "author_year", label="Brown", year=2015,
                                         study_id="brown2015")])
    [finding] = run(off_topic_source, claim)
    assert finding.severity is Severity.WARNING and "not anxiety disorders" in finding.message


def test_off_topic_source_other_substance_for_mechanism() -> None:
    text = "Ketamine blocks receptors on inhibitory neurons (Ito 1991)."
    claim = make_claim(text, kinds=(ClaimKind.MECHANISM,), substances=["ketamine"],
                       citations=[marker(text, "(Ito 1991)", "author_year", label="Ito", year=1991, study_id="ito1991")])
    [finding] = run(off_topic_source, claim)
    assert "not ketamine" in finding.message


def test_off_topic_source_related_condition_is_covered() -> None:
    text = "Ketamine reduced anxiety in anxiety disorders (Lee et al., 2019)."
    claim = make_claim(text, substances=["ketamine"], indications=["anxiety_disorders"],
                       citations=[marker(text, "(Lee et al., 2019)", "author_year", label="Lee", year=2019,
                                         study_id="lee2019")])
    assert run(off_topic_source, claim) == []


# ---------------------------------------------------------------- CITE005


def test_wrong_author_given_name_used_as_surname() -> None:
    text = "A registry study (Ilse et al., 2020) followed 1,500 patients."
    claim = make_claim(text, citations=[marker(text, "(Ilse et al., 2020)", "author_year", label="Ilse", year=2020)])
    [finding] = run(wrong_author_year, claim)
    assert "Novak" in finding.message and "given name" in finding.message
    assert finding.advice == "Cite it as Novak et al. (2020)."
    assert finding.suggestion == "A registry study (Novak et al., 2020) followed 1,500 patients."


def test_wrong_year_from_marker_flags() -> None:
    text = "A trial (Lee et al., 2017) found benefit."
    claim = make_claim(text, citations=[marker(text, "(Lee et al., 2017)", "author_year", label="Lee", year=2017,
                                               study_id="lee2019", author_matches=True, year_matches=False)])
    [finding] = run(wrong_author_year, claim)
    assert "2019, not 2017" in finding.message


def test_correct_author_year_not_flagged() -> None:
    text = "A trial (Lee et al., 2019) found benefit."
    claim = make_claim(text, citations=[marker(text, "(Lee et al., 2019)", "author_year", label="Lee", year=2019,
                                               study_id="lee2019", author_matches=True, year_matches=True)])
    assert run(wrong_author_year, claim) == []


# ---------------------------------------------------------------- CITE006


def test_phantom_authority_year_named_guidelines_is_warning() -> None:
    claim = make_claim("The 2030 guidelines recommend infusions for panic.", kinds=(ClaimKind.CITATION,))
    [finding] = run(phantom_authority, claim)
    assert finding.severity is Severity.WARNING and "2030" in finding.message


def test_phantom_authority_hypothetical_guidelines_is_info() -> None:
    claim = make_claim("The guidelines would stress careful screening.", certainty=Certainty.SPECULATIVE,
                       cues=[("hypothetical_authority", "guidelines would")])
    [finding] = run(phantom_authority, claim)
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize("text", [
    "The 2021 task force notes preliminary evidence.",  # a guideline the base records
    "CANMAT's 2033 update places it third-line.",  # a named body
    "They would differentiate its use from depression.",
])
def test_phantom_authority_real_or_named_authorities_not_flagged(text: str) -> None:
    assert run(phantom_authority, make_claim(text)) == []


def test_phantom_authority_rejected_claim_not_flagged() -> None:
    claim = make_claim("No 2030 guidelines recommend it.", certainty=Certainty.REJECTED)
    assert run(phantom_authority, claim) == []
