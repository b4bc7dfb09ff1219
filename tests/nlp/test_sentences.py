from __future__ import annotations

import pytest


def sentences(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return [s.text.strip() for s in doc.sents if s.text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Glue et al. 2017 tested ketamine. It helped.",
            ["Glue et al. 2017 tested ketamine.", "It helped."],
        ),
        (
            "Doses (e.g. 0.5 mg/kg) were used. Effects lasted 7 days.",
            ["Doses (e.g. 0.5 mg/kg) were used.", "Effects lasted 7 days."],
        ),
        (
            "Trials showed rapid effects. [2] The guidelines would agree.",
            ["Trials showed rapid effects. [2]", "The guidelines would agree."],
        ),
        (
            "How Ketamine Works\nKetamine blocks NMDA receptors. It is fast.",
            ["How Ketamine Works", "Ketamine blocks NMDA receptors.", "It is fast."],
        ),
        (
            "Side effects include:\nNausea\nDizziness",
            ["Side effects include:", "Nausea", "Dizziness"],
        ),
        (
            "The OR was 28.94 (95% CI 3.45–242.57). That is wide.",
            ["The OR was 28.94 (95% CI 3.45–242.57).", "That is wide."],
        ),
    ],
)
def test_sentences_split_where_a_reader_would(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert sentences(nlp, text) == expected
