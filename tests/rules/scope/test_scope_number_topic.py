"""SCOPE002 judges only results of the treatment, and not a research page's own results."""

from __future__ import annotations

import pytest

from claimaudit import Auditor, audit_text


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor()


def codes(text: str, auditor: Auditor) -> list[str]:
    return [f.code for f in audit_text(text, auditor=auditor).findings]


def test_distinctive_figure_carried_to_anxiety_is_flagged(auditor: Auditor) -> None:
    text = "Ketamine for Anxiety\n\nKetamine infusions bring relief to 70.8% of people with anxiety disorders.\n"
    assert "SCOPE002" in codes(text, auditor)


def test_prevalence_figure_is_not_a_transplanted_result(auditor: Auditor) -> None:
    text = ("Ketamine for Anxiety\n\nAnxiety disorders affect 70.8% of the adults who answered one long regional "
            "health questionnaire last year, and for some of them ketamine infusions are now offered.\n")
    assert "SCOPE002" not in codes(text, auditor)


def test_research_page_own_results_are_not_transplanted(auditor: Auditor) -> None:
    text = ("Abstract\n\nBackground: Ketamine is studied for anxiety disorders.\n\nMethods: We reviewed the "
            "records of adults treated in one service.\n\nResults: In anxiety disorders, 70.8% of patients "
            "responded to ketamine.\n\nConclusions: Controlled trials are needed.\n\nKeywords: ketamine; anxiety\n"
            "doi: 10.1000/example.2024.001\n")
    assert "SCOPE002" not in codes(text, auditor)
