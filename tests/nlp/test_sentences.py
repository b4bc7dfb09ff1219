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


def _starts_by_walking(doc) -> set[int]:  # type: ignore[no-untyped-def]
    """The token-by-token walk sentence_starts replaced (the reference)."""
    from claimaudit.nlp.sentences import _can_start, _ends_sentence, _may_end

    starts = {0}
    after_break = pending_end = False
    for token in doc:
        if token.is_space:
            after_break = after_break or "\n" in token.text
            continue
        if after_break or pending_end:
            if after_break or _can_start(token):
                starts.add(token.i)
            after_break = pending_end = False
        if _may_end(token.text) and _ends_sentence(token):
            pending_end = True
    return starts


def test_sentence_starts_match_the_token_walk(nlp) -> None:  # type: ignore[no-untyped-def]
    import random

    from claimaudit.nlp.sentences import sentence_starts

    words = (
        'It works . Dr. Smith et al. 2017 said so ! Really ? Yes … "Quoted." (Aside.) [2] [1, 3] '
        "e.g. approx. U.S. A. b. properties.Reports 2018Journal 0.5 mg 3.2. ’ ' ” » ] ) x\n \n\n -"
    ).split(" ")
    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(("", " ", " ", "  ", "\n")) for _ in range(rng.randint(1, 50)))
        doc = nlp.make_doc(text)
        assert sentence_starts(doc) == _starts_by_walking(doc), text
