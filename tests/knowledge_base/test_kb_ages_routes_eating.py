"""Knowledge for eating disorders, adolescents and routes: lay terms, grades on papers, the
adult-only approvals, and the route misconceptions (oral/lozenge ketamine, ketamine nasal spray,
Spravato at home or for minors) with the regulator records behind them."""

from __future__ import annotations

import pytest

from claimaudit.knowledge_base.load import load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import Grade, SourceKindName
from claimaudit.knowledge_base.sources import on_domain


@pytest.fixture(scope="module")
def lookup() -> KnowledgeLookup:
    return KnowledgeLookup(load_knowledge_base(cache=False))


@pytest.mark.parametrize(
    ("phrase", "indication"),
    [
        ("anorexia", "anorexia_nervosa"),
        ("bulimia", "bulimia_nervosa"),
        ("binge eating", "binge_eating_disorder"),
        ("BED", "binge_eating_disorder"),
        ("disordered eating", "eating_disorders"),
        ("teen depression", "adolescent_depression"),
        ("teenagers with depression", "adolescent_depression"),
    ],
)
def test_lay_terms_resolve(lookup: KnowledgeLookup, phrase: str, indication: str) -> None:
    assert lookup.resolve_name("indication", phrase) == indication


@pytest.mark.parametrize("indication", ["anorexia_nervosa", "bulimia_nervosa", "binge_eating_disorder", "eating_disorders"])
def test_every_eating_disorder_is_graded_insufficient_on_papers(lookup: KnowledgeLookup, indication: str) -> None:
    assessment = lookup.assessment_for("ketamine", indication)
    assert assessment is not None and assessment.grade is Grade.INSUFFICIENT
    assert assessment.indication in lookup.indication_ancestors(indication)
    assert all(s.kind is SourceKindName.PAPER and (s.pmid or s.doi) for s in assessment.sources)
    assert all(lookup.study(study_id) is not None for study_id in assessment.studies)


def test_no_eating_disorder_study_is_controlled(lookup: KnowledgeLookup) -> None:
    studies = lookup.studies_for("ketamine", "anorexia_nervosa")
    assert {s.id for s in studies} >= {"mills1998", "keeler2023", "ragnhildstveit2022"}
    assert not any(s.randomized or s.controlled for s in studies)


@pytest.mark.parametrize("regulators", [("fda",), ("health_canada",)])
def test_no_eating_disorder_approval(lookup: KnowledgeLookup, regulators: tuple[str, ...]) -> None:
    for indication in ("anorexia_nervosa", "bulimia_nervosa", "binge_eating_disorder"):
        assert lookup.approval_status("ketamine", indication, regulators).status == "not_approved"


def test_adolescent_evidence_is_one_small_trial(lookup: KnowledgeLookup) -> None:
    assessment = lookup.assessment_for("ketamine", "adolescent_depression")
    assert assessment is not None and assessment.grade is Grade.PRELIMINARY
    trial = lookup.study("dwyer2021")
    assert trial is not None and trial.n == 17 and trial.randomized
    assert "adolescents" in trial.population
    response = next(o for o in trial.outcomes if o.measure == "response")
    assert (response.value, response.comparator_value) == (76, 35)


@pytest.mark.parametrize("regulators", [("fda",), ("health_canada",)])
def test_esketamine_is_approved_for_adults_only(lookup: KnowledgeLookup, regulators: tuple[str, ...]) -> None:
    answer = lookup.approval_status("esketamine", "adolescent_depression", regulators)
    assert answer.status == "not_approved"
    assert all(s.kind is SourceKindName.REGULATOR for a in answer.approvals for s in a.sources)
    assert lookup.approval_status("esketamine", "trd", regulators).status == "approved"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("These ketamine lozenges are FDA-approved for anxiety.", "x25-oral-ketamine-approved"),
        ("Sublingual ketamine has FDA approval.", "x25-oral-ketamine-approved"),
        ("Ketamine nasal spray was approved by the FDA in 2019.", "x26-ketamine-nasal-spray-approved"),
        ("Spravato is approved for teens aged 12 and up.", "x27-esketamine-minors-approved"),
        ("Esketamine is approved for home use.", "x28-esketamine-home-use-approved"),
    ],
)
def test_route_and_age_misconceptions_match(lookup: KnowledgeLookup, sentence: str, expected: str) -> None:
    hits = lookup.mechanisms_matching(sentence)
    assert hits and hits[0].id == expected and hits[0].misconception


@pytest.mark.parametrize(
    "sentence",
    [
        "Esketamine nasal spray (Spravato) is FDA-approved for treatment-resistant depression.",
        "Compounded ketamine lozenges are not FDA approved.",
        "Spravato is FDA approved and given only in a certified healthcare setting, never at home.",
        "Spravato has an FDA boxed warning about suicidal thoughts in children and teens.",
        "Ketamine is FDA-approved as an injection for anaesthesia.",
    ],
)
def test_correct_statements_do_not_match(lookup: KnowledgeLookup, sentence: str) -> None:
    ids = {m.id for m in lookup.mechanisms_matching(sentence)}
    assert not ids & {
        "x25-oral-ketamine-approved", "x26-ketamine-nasal-spray-approved",
        "x27-esketamine-minors-approved", "x28-esketamine-home-use-approved",
    }


def test_route_records_rest_on_fda_records(lookup: KnowledgeLookup) -> None:
    for record_id in ("x25-oral-ketamine-approved", "x26-ketamine-nasal-spray-approved", "x28-esketamine-home-use-approved"):
        record = lookup.kb.mechanisms[record_id]
        assert any(s.kind is SourceKindName.REGULATOR and on_domain(s.url or "", ("fda.gov",)) for s in record.sources)
        assert all(s.checked for s in record.sources)
