"""STAT002 judges only numbers that are outcomes of the treatment (rules/statistics/_topic.py)."""

from __future__ import annotations

import pytest

PAGE = "# Ketamine therapy for depression\n\nKetamine infusions help people with depression.\n\n{}\n"


def _stat002(audit, sentence: str):  # type: ignore[no-untyped-def]
    result = audit(PAGE.format(sentence), media_type="text/markdown")
    return [f for f in result.findings if f.code == "STAT002"]


@pytest.mark.parametrize("sentence", [
    # prevalence and other treatments' figures
    "Around 40% of adults with depression never get better with standard antidepressants, which is why it matters.",
    "Depression affects about 21 million adults in the United States each year, and ketamine is effective for it.",
    # pharmacokinetics
    "Taken as a lozenge, ketamine is about 25% bioavailable, so the dose is higher than for an infusion and it is effective.",
    # prices and packages
    "Save 15% when you book a package of six ketamine infusions, an effective treatment.",
    # a definition of response
    "Response is defined as at least a 50% drop in symptom scores after ketamine, which is effective for many.",
])
def test_numbers_that_are_not_outcomes_are_not_flagged(audit, sentence):  # type: ignore[no-untyped-def]
    assert _stat002(audit, sentence) == []


def test_an_uncited_outcome_is_still_flagged_with_the_page_kind(audit):  # type: ignore[no-untyped-def]
    found = _stat002(audit, "Ketamine infusions relieve depression in 90% of patients.")
    assert found
    assert "page kind unclear" in found[0].message


def test_a_figure_attributed_to_a_named_group_is_not_uncited(audit):  # type: ignore[no-untyped-def]
    sentence = ("Researchers at Westbrook University Hospital ran a trial of ketamine infusions. "
                "They found that 64% of patients improved after ketamine.")
    assert _stat002(audit, sentence) == []


def test_a_clinic_figure_with_a_named_speaker_stays_uncited(audit):  # type: ignore[no-untyped-def]
    sentence = "According to Dr. Lena Hart, about 80% of patients at the clinic respond to ketamine."
    assert _stat002(audit, sentence)


def test_a_research_article_is_its_own_source(audit):  # type: ignore[no-untyped-def]
    from claimaudit.audit import Auditor, audit_text
    from claimaudit.settings import Settings

    text = ("Original Research\n\nBackground\nDepression often resists treatment.\n\nMethods\n"
            "Adults with depression received ketamine.\n\nResults\n"
            "Ketamine infusions relieve depression in 90% of patients.\n")
    result = audit(text)
    assert result.facts.page_kind.kind == "informational"
    assert not [f for f in result.findings if f.code == "STAT002"]
    forced = audit_text(text, auditor=Auditor(Settings(page_kind="promotional")))
    assert forced.facts.page_kind.kind == "promotional"
    assert [f for f in forced.findings if f.code == "STAT002"]


def test_a_service_volume_is_not_a_result_but_a_rate_beside_it_is(audit):  # type: ignore[no-untyped-def]
    assert _stat002(audit, "Ketamine is effective: our team has given 12,500 ketamine infusions since 2019.") == []
    found = _stat002(audit, "After 2,500 treatments, 88% of our clients say ketamine relieved their depression.")
    assert found and "88%" in found[0].message



def test_recorded_answers_as_matches_any_study_by_study() -> None:
    """`_recorded` (one pass over every study's values) agrees with asking study by study."""
    from claimaudit.claims.model import Quantity
    from claimaudit.knowledge_base.load import load_knowledge_base
    from claimaudit.rules.statistics._numbers import Stated, matches_any, study_values
    from claimaudit.rules.statistics.uncited_number import _recorded, _widened

    studies = list(load_knowledge_base((), bundled=True).studies.values())
    assert studies
    for value in (1.0, 12.0, 18.0, 29.0, 50.0, 64.0, 70.0, 90.0, 100.0):
        for kind in ("percent", "sample_size", "ratio"):
            for relation in ("exact", "approx", "lower", "upper"):
                stated = Stated(Quantity(kind, value, f"{value:g}", 0, 3), value, None, relation, False)
                for pool in (studies, studies[:5], []):
                    for candidate in (stated, _widened(stated)):
                        expected = any(matches_any(candidate, study_values(s)) for s in pool)
                        assert _recorded(candidate, pool) is expected
