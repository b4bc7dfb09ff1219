"""Knowledge for conditions real pages bring: lay terms, grades with sources, onset, history."""

from __future__ import annotations

import pytest

from claimaudit.knowledge_base.load import load_knowledge_base
from claimaudit.knowledge_base.lookup import KnowledgeLookup
from claimaudit.knowledge_base.model import SourceKindName


@pytest.fixture(scope="module")
def lookup() -> KnowledgeLookup:
    return KnowledgeLookup(load_knowledge_base(cache=False))


@pytest.mark.parametrize(
    ("phrase", "indication"),
    [
        ("alcoholism", "alcohol_use_disorder"),
        ("AUD", "alcohol_use_disorder"),
        ("CRPS", "crps"),
        ("reflex sympathetic dystrophy", "crps"),
        ("postnatal depression", "postpartum_depression"),
        ("migraines", "migraine"),
        ("fibromyalgia", "chronic_pain"),
        ("bipolar disorder", "bipolar_depression"),
    ],
)
def test_lay_terms_resolve_to_the_condition(lookup: KnowledgeLookup, phrase: str, indication: str) -> None:
    assert lookup.resolve_name("indication", phrase) == indication


@pytest.mark.parametrize(
    ("substance", "indication", "grade"),
    [
        ("ketamine", "bipolar_depression", "preliminary"),
        ("ketamine", "crps", "preliminary"),
        ("ketamine", "alcohol_use_disorder", "preliminary"),
        ("ketamine", "migraine", "insufficient"),
        ("esketamine", "postpartum_depression", "preliminary"),
    ],
)
def test_each_condition_has_its_own_grade_on_a_paper(
    lookup: KnowledgeLookup, substance: str, indication: str, grade: str
) -> None:
    assessment = lookup.assessment_for(substance, indication)
    assert assessment is not None and assessment.indication == indication
    assert assessment.grade.value == grade
    assert any(s.kind is SourceKindName.PAPER for s in assessment.sources)


def test_crps_durability_is_not_judged_against_depression(lookup: KnowledgeLookup) -> None:
    crps = lookup.onset_durability_for("ketamine", "crps")
    mdd = lookup.onset_durability_for("ketamine", "mdd")
    assert crps is not None and crps.indication == "crps"
    assert mdd is not None and crps.single_dose_max_days > mdd.single_dose_max_days


def test_bipolar_onset_comes_from_the_bipolar_trial(lookup: KnowledgeLookup) -> None:
    record = lookup.onset_durability_for("ketamine", "bipolar_depression")
    assert record is not None and record.studies == ("diazgranados2010",)
    assert record.onset_min_hours < 1 and record.single_dose_max_days == 3


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ketamine was discovered in the 1970s as an anesthetic.", "h12-discovered-1970s"),
        ("Ketamine was invented in the 1980's for battlefield use.", "h12-discovered-1970s"),
        ("Ketamine received breakthrough therapy designation from the FDA.", "x24-ketamine-breakthrough"),
    ],
)
def test_history_and_designation_errors_match_a_misconception(
    lookup: KnowledgeLookup, sentence: str, expected: str
) -> None:
    hits = lookup.mechanisms_matching(sentence)
    assert hits and hits[0].id == expected and hits[0].misconception


@pytest.mark.parametrize(
    "sentence",
    [
        "Ketamine was synthesised in 1962 and widely used from the 1970s onward.",
        "Esketamine (Spravato) received breakthrough therapy designation from the FDA.",
        "The FDA granted psilocybin breakthrough therapy status.",
    ],
)
def test_correct_statements_do_not_match(lookup: KnowledgeLookup, sentence: str) -> None:
    ids = {m.id for m in lookup.mechanisms_matching(sentence)}
    assert not ids & {"h12-discovered-1970s", "x24-ketamine-breakthrough"}
