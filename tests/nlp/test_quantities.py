from __future__ import annotations

import pytest

from claimaudit.nlp.quantities import duration_in_hours, parse_quantity


def marked(nlp, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return [(s.label_, s.text) for s in doc.spans["quantities"]]


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Over 70% of patients respond.", "percent", "Over 70%"),
        ("About 1 in 3 people improved.", "ratio", "1 in 3"),
        ("10 of 12 responded.", "ratio", "10 of 12"),
        ("The trial enrolled N=28 adults.", "sample_size", "N=28"),
        ("The pooled OR was 28.94 overall.", "odds_ratio", "OR was 28.94"),
        ("with three treatments over a month", "sessions", "three treatments"),
        ("relief within minutes", "duration", "within minutes"),
        ("given 0.5 mg/kg over 40 minutes", "dose", "0.5 mg/kg"),
        ("85-90% relief", "percent", "85-90%"),
        ("more than half of patients improved", "percent", "more than half"),
        ("were 29 times more likely to respond", "odds_ratio", "29 times more"),
        ("Our success rate is four times higher than average.", "odds_ratio", "four times higher"),
        ("Clients were twice as likely to feel better.", "odds_ratio", "twice as likely"),
    ],
)
def test_quantities_are_marked_with_their_kind(nlp, text, kind, span):  # type: ignore[no-untyped-def]
    assert (kind, span) in marked(nlp, text)


def test_parse_quantity_reads_ranges_and_units() -> None:
    parsed = parse_quantity("percent", "85-90%")
    assert (parsed.value, parsed.upper, parsed.unit) == (85.0, 90.0, "%")
    ratio = parse_quantity("ratio", "10 of 12")
    assert (ratio.value, ratio.upper) == (10.0, 12.0)
    words = parse_quantity("sessions", "four to six sessions")
    assert (words.value, words.upper) == (4.0, 6.0)
    duration = parse_quantity("duration", "within 24 hours")
    assert (duration.value, duration.unit) == (24.0, "hours")
    # the "h" of "within" is not an hour
    assert parse_quantity("duration", "within 20 minutes").unit == "minutes"
    assert parse_quantity("duration", "six to eight weeks").unit == "weeks"
    assert duration_in_hours(2, "weeks") == 336


def test_fractions_read_as_percentages() -> None:
    assert parse_quantity("percent", "more than half").value == 50.0
    assert parse_quantity("percent", "two-thirds").value == 66.7


def test_precompiled_unit_and_fraction_patterns_answer_as_the_inline_searches() -> None:
    import random
    import re

    from claimaudit.nlp import quantities

    def fraction_reference(text: str) -> float | None:
        lowered = text.lower()
        for words, value in sorted(quantities.FRACTIONS.items(), key=lambda item: -len(item[0])):
            if re.search(rf"\b{re.escape(words)}\b", lowered):
                return value
        return None

    pieces = ["half", "one half", "a third", "two thirds", "two-thirds", "Three Quarters", "a quarter", "halfway",
              "thirdly", "70%", "5 mg/kg", "10 MG", "µg", "ml", "2 hours", "a week", "24h", "yrs", "mins", " ", "-"]
    rng = random.Random(4)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(("", " ", ", ")) for _ in range(rng.randint(1, 5)))
        assert quantities._fraction_value(text) == fraction_reference(text), text
        unit = re.search(rf"\b{quantities._UNITS_TIME}\b", text, re.I)
        found = quantities._TIME_UNIT_IN_TEXT.search(text)
        assert (found and found.span()) == (unit and unit.span()), text
        dose = re.search(r"mg/kg|mg|mcg|µg|ml", text, re.I)
        found = quantities._DOSE_UNIT_IN_TEXT.search(text)
        assert (found and found.span()) == (dose and dose.span()), text


def _alternatives(group: str) -> list[str]:
    """The words of a `(?:a|bs?|c)` group, without the optional plural s."""
    assert group.startswith("(?:") and group.endswith(")")
    return [word[:-2] if word.endswith("s?") else word for word in group[3:-1].split("|")]


def test_the_anchor_literals_cover_every_word_of_the_patterns_they_gate() -> None:
    """The quantity patterns are tried only where their literals lie: a word added to a pattern
    and not to its literals would be missed without a sound."""
    from claimaudit.nlp import quantities

    for word in _alternatives(quantities._PEOPLE):
        assert any(literal in word.lower() for literal in quantities._LITERALS["people"]), word
    sessions = next(p for kind, p in quantities.PATTERNS if kind == "sessions")
    assert "treatment" in sessions.groupindex  # the word before a session word, kept by `keeps_treatment`
    # the sessions pattern starts with a number: tried at number starts, no word anchor
    assert "sessions" in quantities._AT_NUMBERS


def test_disjoint_spans_in_order_are_filter_spans_choice(nlp) -> None:  # type: ignore[no-untyped-def]
    import random

    from spacy.tokens import Span
    from spacy.util import filter_spans

    from claimaudit.nlp.quantities import disjoint_in_order

    doc = nlp.make_doc(" ".join(["word"] * 40))
    rng = random.Random(5)
    for _ in range(300):
        spans = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randrange(40)
            spans.append(Span(doc, start, min(40, start + rng.randint(1, 4)), label=rng.choice(["a", "b"])))
        expected = sorted(filter_spans(spans), key=lambda s: s.start)
        found = disjoint_in_order(spans)
        assert [(s.start, s.end, s.label_) for s in found] == [(s.start, s.end, s.label_) for s in expected]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Most people need 6 ketamine sessions.", "6 ketamine sessions"),
        ("Most people need 6 Spravato sessions.", "6 Spravato sessions"),  # a brand name of the base
        ("We book two weekly infusions.", "two weekly infusions"),
        ("It takes 6 sessions.", "6 sessions"),
        ("We give 6 \u0130V sessions.", "6 \u0130V sessions"),  # the pattern ignores case: "İV" is "iv"
    ],
)
def test_a_session_count_may_name_a_substance_of_the_base(nlp, text, span):  # type: ignore[no-untyped-def]
    assert ("sessions", span) in marked(nlp, text)


@pytest.mark.parametrize("text", ["We offer 6 free sessions.", "Book 3 group visits."])
def test_a_session_count_with_another_word_between_is_no_count(nlp, text):  # type: ignore[no-untyped-def]
    assert not any(kind == "sessions" for kind, _span in marked(nlp, text))


def test_a_second_domain_s_substance_counts_its_sessions() -> None:
    """The substance words come from the knowledge base: with the psilocybin pack, "2 psilocybin
    sessions" is a session count; without it, "psilocybin" is just a word."""
    from pathlib import Path

    from claimaudit.audit import Auditor
    from claimaudit.settings import Settings

    pack = Path(__file__).resolve().parents[2] / "examples" / "knowledge" / "psilocybin"
    text = "Patients had 2 psilocybin sessions."
    with_pack = Auditor(Settings(knowledge_dirs=(str(pack),))).nlp(text)
    assert [(s.label_, s.text) for s in with_pack.spans["quantities"]] == [("sessions", "2 psilocybin sessions")]
    assert not any(s.label_ == "sessions" for s in Auditor().nlp(text).spans["quantities"])


def test_multipliers_in_words_read_as_their_numbers(nlp) -> None:  # type: ignore[no-untyped-def]
    assert parse_quantity("odds_ratio", "four times higher").value == 4.0
    assert parse_quantity("odds_ratio", "twice as likely").value == 2.0
    # "twice" counts only as a multiplier: a schedule or "several times" is no quantity of that kind
    for text in ("Infusions are given twice weekly.", "We checked several times more carefully.",
                 "Do it twice a day for a week."):
        assert [kind for kind, _ in marked(nlp, text) if kind == "odds_ratio"] == []
