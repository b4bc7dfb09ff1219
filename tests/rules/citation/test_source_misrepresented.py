"""CITE007: reviews, meta-analyses and guidelines reported as saying what they did not."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, marker, small_kb, study  # noqa: E402

from claimaudit.claims.model import Certainty, QualifierKind  # noqa: E402
from claimaudit.knowledge_base.model import Outcome  # noqa: E402
from claimaudit.rules.citation import source_misrepresented  # noqa: E402

POOLED = study(
    "mora2020", "Mora", 2020, design="meta_analysis", substances=("ketamine",), indications=("sad", "ptsd"),
    outcomes=(Outcome("odds_ratio", 9.5, unit="OR", ci_low=2.1, ci_high=40.0, p_value=0.004, indication="sad"),
              Outcome("odds_ratio", 1.6, unit="OR", ci_low=0.5, ci_high=4.8, indication="ptsd")),
    conclusion="Pooled response favoured ketamine in SAD; the PTSD estimate was not significant.",
)
GUIDE = study(
    "board2022", "Board", 2022, design="guideline", substances=("ketamine",), indications=("trd",),
    title="The NEURO Network recommendations for ketamine",
    conclusion="Single IV ketamine is placed second-line for adult TRD.",
)
NARRATIVE = study(
    "shaw2021", "Shaw", 2021, design="narrative_review", substances=("ketamine",), indications=("chronic_pain",),
    conclusion="Ketamine may reduce pain in some settings; larger trials are needed.",
)
TRIAL = study("kim2019", "Kim", 2019, design="rct", controlled=True, substances=("ketamine",), indications=("ptsd",),
              conclusion="Ketamine may reduce PTSD symptoms.")


def run(text: str, study_id: str | None, author: str = "Mora", year: int = 2020, **kw):  # type: ignore[no-untyped-def]
    citations = []
    if study_id:
        cite = f"({author} et al., {year})"
        text = f"{text} {cite}."
        citations = [marker(text, cite, "author_year", label=author, year=year, study_id=study_id)]
    claim = make_claim(text, citations=citations, **kw)
    ctx = make_ctx([claim], kb=small_kb([POOLED, GUIDE, NARRATIVE, TRIAL]))
    return list(source_misrepresented.check(claim, ctx))


def test_benefit_in_a_non_significant_subgroup_is_flagged() -> None:
    [finding] = run("The review found ketamine eased PTSD symptoms too", "mora2020", indications=("ptsd",))
    assert "not significant" in finding.message and "1.6" in finding.message


def test_significant_subgroup_passes() -> None:
    assert not run("The review found ketamine improved social anxiety", "mora2020", indications=("sad",))


def test_reporting_the_null_result_passes() -> None:
    assert not run("For PTSD the pooled result was not significant", "mora2020", indications=("ptsd",),
                   qualifiers=[(QualifierKind.NEGATION, "not")])


def test_wrong_line_of_treatment_for_a_guideline_named_by_its_body() -> None:
    [finding] = run("The NEURO Network calls ketamine a first-line treatment for depression", None,
                    indications=("trd",))
    assert "second-line" in finding.message


def test_same_line_of_treatment_passes() -> None:
    assert not run("The NEURO Network places ketamine second-line for resistant depression", None,
                   indications=("trd",))


def test_proof_attributed_to_a_hedged_review_is_flagged() -> None:
    [finding] = run("A review confirmed lasting pain relief", "shaw2021", "Shaw", 2021,
                    certainty=Certainty.BOOSTED, indications=("chronic_pain",))
    assert "'may'" in finding.message or "needed" in finding.message


def test_primary_trials_are_left_to_stat_and_scope() -> None:
    assert not run("The trial confirmed lasting relief", "kim2019", "Kim", 2019, indications=("ptsd",))
