"""What a claim is about: inherited subjects, other subjects and list lead-ins."""

from __future__ import annotations

import pytest

from claimaudit.claims.subjects import clause_subject


@pytest.mark.parametrize(
    ("text", "anaphor"),
    [
        ("Physicians find it is also useful for panic.", "it"),
        ("This treatment works within hours.", "This treatment"),
        ("Infusions ease nerve pain for weeks.", "Infusions"),
        ("In addition, the medication lifts mood.", "the medication"),
    ],
)
def test_references_to_the_treatment_are_inherited_subjects(text: str, anaphor: str) -> None:
    subject = clause_subject(text)
    assert subject is not None and subject.anaphor == anaphor and text[subject.start : subject.end] == anaphor


@pytest.mark.parametrize(
    "text",
    ["Mindfulness rewires the brain over time.", "Conventional antidepressants take weeks to work.", "Naltrexone and other FDA-approved medications help."],
)
def test_a_clause_opening_with_another_subject_inherits_nothing(text: str) -> None:
    subject = clause_subject(text)
    assert subject is None or (subject.other and not subject.anaphor)


def test_it_refers_only_to_the_sentence_just_before() -> None:
    assert clause_subject("It often co-occurs with depression.", after_substance=False) is None
    assert clause_subject("This treatment helps.", after_substance=False) is not None


def test_a_pronoun_subject_carries_the_substance_into_the_claim(audit) -> None:  # type: ignore[no-untyped-def]
    result = audit("Ketamine is an anaesthetic. Clinicians find that it eases social anxiety disorder too.")
    claim = next(c for c in result.claims if "Clinicians" in c.text)
    assert claim.substances == ("ketamine",)
    assert claim.certainty >= 4
    assert {f.code for f in result.findings} >= {"EVI001", "CITE001"}


def test_another_subject_is_not_judged_as_the_page_substance(audit) -> None:  # type: ignore[no-untyped-def]
    text = "Ketamine infusions are offered here. Meditation rewires the brain and heals trauma."
    result = audit(text)
    claim = next(c for c in result.claims if "Meditation" in c.text)
    assert claim.topic_substance is None
    assert not [f for f in result.findings if f.span.start >= text.index("Meditation") and f.family.value == "MECH"]


def test_list_items_inherit_the_lead_in_and_the_lead_in_its_conditions(audit) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Esketamine has been found to bring many benefits, such as:\n\n"
        "- faster relief for depression\n- fewer hospital stays\n\n"
        "Our infusions are a safe and effective option for adults living with:\n\n"
        "- PTSD\n- Chronic pain\n"
    )
    result = audit(text)
    item = next(c for c in result.claims if c.text.startswith("faster relief"))
    assert item.substances == ("esketamine",) and item.certainty == 4
    lead = next(c for c in result.claims if c.text.startswith("Our infusions"))
    assert set(lead.indications) >= {"ptsd", "chronic_pain"}
    assert any(f.code == "EVI001" and f.span.start == text.index("Our infusions") for f in result.findings)


def test_a_reporting_frame_before_the_subject_is_skipped() -> None:
    subject = clause_subject("Research has shown that a course of six infusions lifts mood.")
    assert subject is not None and subject.anaphor == "infusions"
    # a comparator late in the clause is not its subject
    assert clause_subject("Our home programme is as effective as in-clinic infusions.") is None


def test_the_lead_without_a_frame_matches_as_the_full_lead_when_no_that() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from claimaudit.claims.subjects import _LEAD, _LEAD_NO_FRAME

    words = st.sampled_from(["However,", "in addition", "also", "Research", "has", "shown", "it", "works",
                             "—", " ", "  ", "Experts", "agree", "unlike", "others", "the case", "tha", "at"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(words, max_size=12).map(" ".join))
    def check(text: str) -> None:
        if "that" not in text.lower():
            assert _LEAD.match(text).end() == _LEAD_NO_FRAME.match(text).end()  # type: ignore[union-attr]

    check()


def test_first_char_gated_anaphors_find_what_the_pattern_finds() -> None:
    import re

    from claimaudit.claims.subjects import _patterns, first_char_gated
    from claimaudit.nlp.phrases import compile_regex
    from claimaudit.nlp.resources import load_patterns

    plain = compile_regex(load_patterns("subjects")["anaphors"])
    gated = _patterns()[0]
    assert gated.pattern != plain.pattern  # the anaphors start with known literals
    texts = [
        "It works fast.", "In addition, THIS TREATMENT helps.", "Treatment sessions last an hour.",
        "\u0130t is \u017fuch a drug", "with it", "bit", "Infusions are given weekly; the spray is not.",
        "nothing here", "  these medications  ", "ſuch therapy", "kit and caboodle: it",
    ]
    for text in texts:
        for end in (5, 20, len(text)):
            found, expected = gated.search(text, 0, end), plain.search(text, 0, end)
            assert (found and (found.span(), found.group())) == (expected and (expected.span(), expected.group()))
    assert first_char_gated(re.compile("it|that")).pattern == "it|that"  # minds case: not gated
    assert first_char_gated(re.compile(r"\w+", re.I)).pattern == r"\w+"  # no leading literals
