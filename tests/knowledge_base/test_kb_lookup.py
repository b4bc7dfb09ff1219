"""Typed queries over the bundled base: names, approvals, grades, mechanisms, citations."""

from __future__ import annotations

import pytest

from claimaudit.knowledge_base.lookup import KnowledgeLookup, LexiconEntry, compile_term
from claimaudit.knowledge_base.model import Grade


@pytest.mark.parametrize(
    ("kind", "phrase", "entity"),
    [
        ("substance", "Spravato", "esketamine"),
        ("substance", "special K", "ketamine"),
        ("substance", "Ketalar", "ketamine"),
        ("indication", "social anxiety", "sad"),
        ("indication", "Social Phobia", "sad"),
        ("indication", "treatment-resistant depression", "trd"),
        ("indication", "depression", "mdd"),
        ("indication", "anxiety", "anxiety_disorders"),
        ("indication", "post-traumatic stress", "ptsd"),
        ("regulator", "U.S. Food and Drug Administration", "fda"),
        ("regulator", "Therapeutic Goods Administration", "tga"),
        ("adverse_effect", "ketamine cystitis", "ae-uropathy"),
    ],
)
def test_resolve_name_finds_aliases(
    lookup: KnowledgeLookup, kind: str, phrase: str, entity: str
) -> None:
    assert lookup.resolve_name(kind, phrase) == entity  # type: ignore[arg-type]


def test_lexicon_covers_every_named_kind(lookup: KnowledgeLookup) -> None:
    lexicon = lookup.lexicon()
    assert LexiconEntry("substance", "esketamine", "Spravato") in lexicon
    assert LexiconEntry("indication", "gad", "GAD") in lexicon
    assert (
        LexiconEntry("contraindication", "ci-intracerebral-haemorrhage", "brain bleed") in lexicon
    )
    assert {e.kind for e in lexicon} == {
        "substance",
        "indication",
        "regulator",
        "adverse_effect",
        "contraindication",
    }
    assert len(lexicon) == len({(e.kind, e.entity_id, e.phrase.lower()) for e in lexicon})


def test_hierarchies(lookup: KnowledgeLookup) -> None:
    assert lookup.indication_ancestors("trd") == ("trd", "mdd", "mood_disorders")
    assert lookup.indication_ancestors("gad") == ("gad", "anxiety_disorders")
    assert lookup.substance_family("esketamine") == ("esketamine", "ketamine")
    assert lookup.substance_family("ketamine") == ("ketamine",)
    assert "trd" in lookup.indication_descendants("mdd")


@pytest.mark.parametrize(
    ("substance", "indication", "regulators", "status", "approved_for"),
    [
        ("esketamine", "trd", ["fda"], "approved", {"trd", "mdd_si"}),
        ("esketamine", "trd", ["tga"], "approved", {"trd"}),
        ("ketamine", "gad", ["fda"], "not_approved", {"anaesthesia"}),
        ("ketamine", "trd", ["fda"], "not_approved", {"anaesthesia"}),
        ("esketamine", "ptsd", ["fda"], "not_approved", {"trd", "mdd_si"}),
        ("esketamine", "mdd", ["fda"], "approved_for_other", {"trd", "mdd_si"}),
        ("esketamine", "bipolar_depression", ["fda"], "approved_for_other", {"trd", "mdd_si"}),
        ("esketamine", "trd", ["mhra"], "unknown", set()),
    ],
)
def test_approval_status(
    lookup: KnowledgeLookup,
    substance: str,
    indication: str,
    regulators: list[str],
    status: str,
    approved_for: set[str],
) -> None:
    answer = lookup.approval_status(substance, indication, regulators)
    assert answer.status == status
    assert set(answer.approved_indications) == approved_for
    if status in ("approved", "not_approved"):
        assert answer.approvals and all(a.substance == substance for a in answer.approvals)


def test_approval_status_reports_narrower_approvals(lookup: KnowledgeLookup) -> None:
    answer = lookup.approval_status("esketamine", "mdd", ["fda"])
    assert {a.indication for a in answer.narrower} == {"trd", "mdd_si"}


def test_approved_uses_filters_by_regulator(lookup: KnowledgeLookup) -> None:
    us = {a.id for a in lookup.approved_uses("esketamine", ["fda"])}
    assert us == {"esketamine-trd-fda", "esketamine-trd-monotherapy-fda", "esketamine-mdd-si-fda"}
    assert all(a.approved for a in lookup.approved_uses("ketamine"))
    assert lookup.regulators_for_jurisdictions(["us", "CA"]) == ("fda", "health_canada")


@pytest.mark.parametrize(
    ("substance", "indication", "assessment", "grade"),
    [
        ("ketamine", "gad", "ketamine-gad", Grade.PRELIMINARY),
        ("ketamine", "panic_disorder", "ketamine-anxiety", Grade.PRELIMINARY),  # indication parent
        ("esketamine", "ptsd", "ketamine-ptsd", Grade.MIXED),  # substance parent
        ("esketamine", "gad", "esketamine-anxiety", Grade.INSUFFICIENT),  # indication parent first
        ("ketamine", "trd", "ketamine-trd", Grade.ESTABLISHED),
    ],
)
def test_assessment_for_walks_parents(
    lookup: KnowledgeLookup, substance: str, indication: str, assessment: str, grade: Grade
) -> None:
    found = lookup.assessment_for(substance, indication)
    assert found is not None and found.id == assessment and found.grade is grade


def test_assessment_for_unknown_pair_is_none(lookup: KnowledgeLookup) -> None:
    # alcohol use disorder has a grade; the broader substance-use category does not
    assert lookup.assessment_for("ketamine", "substance_use_disorders") is None
    assert lookup.assessment_for("ketamine", "no-such-indication") is None


@pytest.mark.parametrize(
    ("sentence", "mechanism"),
    [
        ("Ketamine rewires the brain.", "m14-rewires"),
        ("It helps the brain regrow neurons.", "m14-rewires"),
        ("It triggers a surge of glutamine.", "m13-glutamine"),
        ("Ketamine floods the brain with glutamate.", "m04-glutamate-surge"),
        ("It reverses the damage caused by chronic stress.", "m15-reverses-damage"),
        ("Ketamine blocks glutamate.", "m12-blocks-glutamate"),
        ("It promotes the release of dopamine and serotonin.", "m11-monoamine-release"),
        ("Ketamine was originally developed for veterinary medicine.", "h05-veterinary-origin"),
        ("Ketamine is a Schedule II controlled substance.", "x20-schedule-ii"),
        ("Ketamine is an NMDA receptor antagonist.", "m01-nmda-antagonist"),
        ("New synapses form within 24 hours.", "m08-synaptogenesis"),
    ],
)
def test_mechanisms_matching_finds_triggers(
    lookup: KnowledgeLookup, sentence: str, mechanism: str
) -> None:
    assert mechanism in [m.id for m in lookup.mechanisms_matching(sentence)]


@pytest.mark.parametrize(
    ("sentence", "mechanism"),
    [
        ("Ketamine is a Schedule III controlled substance.", "x20-schedule-ii"),
        ("Ketamine blocks NMDA glutamate receptors.", "m12-blocks-glutamate"),
        ("13C-glutamine enrichment increased during infusion.", "m13-glutamine"),
        ("Veterinary products were also sold.", "h05-veterinary-origin"),
        ("It promotes the release of dopamine.", "m04-glutamate-surge"),
    ],
)
def test_mechanisms_matching_near_misses(
    lookup: KnowledgeLookup, sentence: str, mechanism: str
) -> None:
    assert mechanism not in [m.id for m in lookup.mechanisms_matching(sentence)]


def test_mechanisms_matching_puts_misconceptions_first(lookup: KnowledgeLookup) -> None:
    found = lookup.mechanisms_matching(
        "Ketamine blocks the activity of glutamate and promotes release of dopamine and serotonin."
    )
    assert found[0].id == "m12-blocks-glutamate" and found[0].misconception


def test_compile_term_respects_word_boundaries() -> None:
    assert compile_term("schedule ii").search("schedule ii drug")
    assert not compile_term("schedule ii").search("schedule iii drug")
    assert compile_term("brain cell*").search("new brain-cells grow")
    assert not compile_term("rewir*").search("prewired")


@pytest.mark.parametrize(
    ("text", "year", "study", "matched_on"),
    [
        ("(Hietamies et al., 2023)", None, "hietamies2023", "first_author"),
        ("Tayler et al. 2018", None, "taylor2018", "first_author"),  # misspelled
        ("2018, Taylor JH and Bloch MH", None, "taylor2018", "first_author"),  # swapped order
        ("Tuuli et al., 2023", None, "hietamies2023", "given_name"),  # given name used as surname
        ("Whittaker", 2021, "whittaker2021", "first_author"),
        (
            "Ketamine for social anxiety disorder: a randomized placebo-controlled crossover trial",
            None,
            "taylor2018",
            "title",
        ),
    ],
)
def test_find_study_is_fuzzy(
    lookup: KnowledgeLookup, text: str, year: int | None, study: str, matched_on: str
) -> None:
    match = lookup.match_study(text, year)
    assert match is not None and match.study.id == study and match.matched_on == matched_on
    found = lookup.find_study(text, year)
    assert found is not None and found[0].id == study and 0 < found[1] <= 100


def test_find_study_penalises_wrong_year_and_rejects_unknown(lookup: KnowledgeLookup) -> None:
    right = lookup.match_study("Taylor 2018")
    wrong = lookup.match_study("Taylor 2015", threshold=0)
    assert right is not None and wrong is not None
    assert wrong.year_matches is False and wrong.score < right.score
    assert lookup.find_study("Wells 2024") is None


def test_studies_by_author_any_position(lookup: KnowledgeLookup) -> None:
    assert [s.id for s in lookup.studies_by_author("glue")] == [
        "glue2017",
        "glue2018",
        "glue2020",
        "whittaker2021",
    ]


def test_safety_queries_follow_the_substance_family(lookup: KnowledgeLookup) -> None:
    esk = {ae.id for ae in lookup.adverse_effects_for("esketamine")}
    ket = {ae.id for ae in lookup.adverse_effects_for("ketamine")}
    assert {"ae-dysgeusia", "ae-uropathy", "ae-dissociation"} <= esk
    assert "ae-dysgeusia" not in ket and "ae-liver-injury" in ket
    severities = [ae.seriousness for ae in lookup.adverse_effects_for("esketamine")]
    assert severities.index("serious") < severities.index("common")
    contra = lookup.contraindications_for("esketamine")
    assert contra[0].kind == "absolute" and {c.kind for c in contra} == {"absolute", "relative"}


def test_onset_durability_walks_parents(lookup: KnowledgeLookup) -> None:
    found = lookup.onset_durability_for("ketamine", "trd")
    assert found is not None and found.id == "ketamine-mdd-onset"
    assert lookup.onset_durability_for("esketamine", "gad").id == "ketamine-anxiety-onset"  # type: ignore[union-attr]


def test_record_and_source_kind(lookup: KnowledgeLookup) -> None:
    assert lookup.source_kind("society_blog").supports_efficacy is False  # type: ignore[union-attr]
    assert "adaa.org" in lookup.source_kind("society_blog").domains  # type: ignore[union-attr]
    assert lookup.record("esketamine-trd-fda").status == "approved"  # type: ignore[union-attr]
    assert lookup.record("nothing") is None


def test_the_bundled_base_gives_midazolam_to_control_arms_and_no_treatment_of_the_domain(
    lookup: KnowledgeLookup,
) -> None:
    controls = {s.id for s in lookup.kb.substances.values() if s.trial_control}
    assert controls == {"midazolam"}
    assert not any(s.trial_control for s in lookup.kb.substances.values() if s.focus)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ketamine 0.5 mg/kg or Midazolam 0.045 mg/kg", True),
        ("compared with MIDAZOLAM.", True),
        ("saline placebo", False),
        ("a midazolamine analogue", False),  # whole words only
        ("SSRIs", False),  # a comparator a reader may choose is no control arm
    ],
)
def test_names_trial_control_finds_the_control_arm_substances_as_whole_words(
    lookup: KnowledgeLookup, text: str, named: bool
) -> None:
    assert lookup.names_trial_control(text) is named
