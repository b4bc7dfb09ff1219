"""Attribution frames: a source of evidence followed by a reporting verb (patterns/context.yaml)."""

from __future__ import annotations

import pytest

from claimaudit.nlp.context import attribution_frames, compile_frames
from claimaudit.nlp.resources import load_patterns

PATTERN = compile_frames(load_patterns("context")["frames"])


def frames(text: str) -> list[tuple[str, bool]]:
    return [(text[start:end], assertive) for start, end, assertive in attribution_frames(text, PATTERN)]


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("A growing body of clinical research has now revealed that infusions lift mood.", "research has now revealed"),
        ("Findings indicate the nasal spray eases low mood.", "Findings indicate"),
        ("Physicians report that their patients sleep better.", "Physicians report"),
        ("Trial after trial proved the point.", "Trial after trial proved"),
        ("Investigators found a drop in scores.", "Investigators found"),
    ],
)
def test_a_source_and_a_reporting_verb_make_an_assertive_frame(text: str, frame: str) -> None:
    assert frames(text) == [(frame, True)]


@pytest.mark.parametrize(
    "text",
    [
        "Several trials have examined the nasal spray in older adults.",
        "Research is exploring whether lozenges work at home.",
        "Studies have focused on single infusions so far.",
    ],
)
def test_a_topic_or_activity_verb_makes_a_neutral_frame(text: str) -> None:
    assert [assertive for _frame, assertive in frames(text)] == [False]


@pytest.mark.parametrize(
    "text",
    [
        "What does the research show?",
        "How the evidence shows up in practice",
        "Our data show a response in half of the group.",  # the writer's own results
        "There is evidence that the drug was found in hair samples.",  # verb of another clause
        "The research\n\nshows nothing",  # never across a line break
    ],
)
def test_questions_own_results_and_other_clauses_are_not_frames(text: str) -> None:
    assert [f for f in frames(text) if f[1]] == []


def test_assertive_frames_add_research_backed_cues_after_the_matched_ones(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Ketamine may help, and research shows it works. Studies have focused on dosing.")
    cues = [(span.text, span.label_) for span in doc.spans["cues"]]
    assert cues[-1] == ("research shows", "research_backed")
    assert ("help", "efficacy") in cues[:-1]
    neutral = nlp("Studies have focused on dosing, and it is said to help.")
    assert "research_backed" not in [span.label_ for span in neutral.spans["cues"]]
    assert "neutral" in [span.label_ for span in neutral.spans["modifiers"]]
