"""STAT004: a controlled trial's result quoted without its control arm."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, marker, quantity, small_kb, study, with_control_arm_substance  # noqa: E402

from claimaudit.claims.model import ClaimKind  # noqa: E402
from claimaudit.knowledge_base.model import Outcome  # noqa: E402
from claimaudit.rules.statistics import control_arm_omitted  # noqa: E402

SPRAY = study(
    "park2021", "Park", 2021, design="rct", randomized=True, controlled=True, blinded=True, n=200,
    substances=("ketamine",), indications=("trd",), comparator="placebo spray",
    outcomes=(Outcome("response", 64.0, definition="MADRS fall >=50%", comparator_value=48.0),
              Outcome("remission", 20.0, definition="MADRS <=12", comparator_value=4.0)),
)
OPEN = study("ito2018", "Ito", 2018, design="open_label", n=20, substances=("ketamine",), indications=("trd",),
             outcomes=(Outcome("response", 64.0, definition="MADRS fall >=50%", comparator_value=48.0),))


def run(text: str, snippet: str, value: float, study_id: str, author: str, year: int):  # type: ignore[no-untyped-def]
    cite = f"({author} et al., {year})"
    claim = make_claim(
        f"{text} {cite}.", kinds=(ClaimKind.STATISTIC, ClaimKind.EFFICACY),
        quantities=[quantity(f"{text} {cite}.", snippet, "percent", value, unit="%")],
        citations=[marker(f"{text} {cite}.", cite, "author_year", label=author, year=year, study_id=study_id)],
    )
    ctx = make_ctx([claim], kb=small_kb([SPRAY, OPEN]))
    return list(control_arm_omitted.check(claim, ctx))


def test_treatment_arm_alone_is_flagged_with_the_control_figure() -> None:
    [finding] = run("Sixty-four percent, 64%, of patients responded", "64%", 64, "park2021", "Park", 2021)
    assert finding.code == "STAT004"
    assert "48%" in finding.message and "placebo spray" in finding.message


def test_result_with_the_control_named_passes() -> None:
    assert not run("64% responded compared with placebo", "64%", 64, "park2021", "Park", 2021)


def test_small_control_arm_passes() -> None:
    assert not run("20% of patients remitted", "20%", 20, "park2021", "Park", 2021)


def test_uncontrolled_study_passes() -> None:
    assert not run("64% of patients responded", "64%", 64, "ito2018", "Ito", 2018)


def test_ratios_written_in_words_become_percentages() -> None:
    from claimaudit.rules.statistics._numbers import stated_numbers

    text = "That means two out of three patients improve."
    claim = make_claim(text, quantities=[quantity(text, "two out of three", "ratio", 2.0)])
    [stated] = stated_numbers(claim)
    assert round(stated.value, 1) == 66.7


def test_trial_names_identify_studies_but_common_acronyms_do_not() -> None:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup
    from claimaudit.rules.scope._studies import studies_named_by_acronym

    named = study("vale2020", "Vale", 2020, title="ASCEND-3: a trial of ketamine in PTSD", substances=("ketamine",))
    kb = KnowledgeLookup(small_kb([named]))
    assert [s.id for s in studies_named_by_acronym("In the ASCEND-3 trial, most improved.", kb)] == ["vale2020"]
    assert studies_named_by_acronym("Veterans with PTSD took part.", kb) == ()


def test_naming_a_substance_the_base_gives_to_control_arms_brings_the_comparison() -> None:
    """The comparison words come from the base too: a substance marked `trial_control` (an
    active placebo) names the control arm; the same name unmarked does not."""
    text = "64% of patients responded, while calmazine was given to the others (Park et al., 2021)."
    claim = make_claim(
        text, kinds=(ClaimKind.STATISTIC, ClaimKind.EFFICACY),
        quantities=[quantity(text, "64%", "percent", 64, unit="%")],
        citations=[marker(text, "(Park et al., 2021)", "author_year", label="Park", year=2021, study_id="park2021")],
    )
    base = small_kb([SPRAY, OPEN])

    def findings(flagged: bool) -> list:  # type: ignore[type-arg]
        kb = with_control_arm_substance(base, flagged)
        return list(control_arm_omitted.check(claim, make_ctx([claim], kb=kb)))

    assert not findings(True)
    assert [f.code for f in findings(False)] == ["STAT004"]
