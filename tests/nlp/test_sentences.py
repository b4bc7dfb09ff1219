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


# The Token-based tests sentence_starts used before it read offsets from `doc.to_array` (the reference).
_ABBREVIATIONS = {"al", "e.g", "i.e", "eg", "ie", "etc", "vs", "v", "dr", "mr", "mrs", "ms", "prof", "fig",
                  "figs", "no", "nos", "approx", "ca", "st", "jr", "sr", "inc", "ltd", "co", "u.s", "u.k",
                  "vol", "pp", "p", "ed", "eds", "dept", "univ", "resp", "incl", "min", "max", "jan", "feb",
                  "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ref", "refs"}
_END = {".", "!", "?", "…"}
_CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}


def _ends_sentence(token) -> bool:  # type: ignore[no-untyped-def]
    text = token.text
    if text in _END:
        previous = token.nbor(-1) if token.i > 0 else None
        if text == "." and previous is not None and not previous.whitespace_:
            word = previous.lower_.rstrip(".")
            if word in _ABBREVIATIONS or (len(previous.text) == 1 and previous.text.isupper()):
                return False
        return _next_is_boundary(token) or _glued_to_capital(token)
    if text in _CLOSERS and token.i > 0 and token.nbor(-1).text in _END:
        return _next_is_boundary(token)
    if text == "]" and _bracket_follows_sentence_end(token):
        return _next_is_boundary(token)
    if text.endswith(".") and len(text) > 1 and text[:-1].lower() not in _ABBREVIATIONS:
        if not any(ch.isdigit() for ch in text) and text.count(".") == 1:
            return _next_is_boundary(token)
    return False


def _glued_to_capital(token) -> bool:  # type: ignore[no-untyped-def]
    if token.text != "." or token.whitespace_ or token.i + 1 >= len(token.doc) or token.i == 0:
        return False
    previous, nxt = token.nbor(-1), token.nbor(1)
    return previous.is_alpha and previous.is_lower and nxt.is_title and len(nxt.text) > 1


def _next_is_boundary(token) -> bool:  # type: ignore[no-untyped-def]
    if token.i + 1 >= len(token.doc):
        return True
    nxt = token.nbor(1)
    if nxt.text in _CLOSERS and not token.whitespace_:
        return False
    if nxt.text == "[" and _is_citation_bracket(nxt):
        return False
    return bool(token.whitespace_) or nxt.is_space


def _is_citation_bracket(token) -> bool:  # type: ignore[no-untyped-def]
    doc = token.doc
    for index in range(token.i + 1, min(token.i + 12, len(doc))):
        text = doc[index].text
        if text == "]":
            return True
        if not (text.isdigit() or text in {",", "-", "–"} or doc[index].is_space):
            return False
    return False


def _bracket_follows_sentence_end(token) -> bool:  # type: ignore[no-untyped-def]
    doc = token.doc
    index = token.i - 1
    while index > 0 and doc[index].text != "[" and token.i - index < 12:
        index -= 1
    return index > 0 and doc[index].text == "[" and doc[index - 1].text in _END


def _can_start(token) -> bool:  # type: ignore[no-untyped-def]
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘([•-–—*#" or not first.isalpha()


def _may_end(text: str) -> bool:
    return text in _END or text in _CLOSERS or text.endswith(".")


def _starts_by_walking(doc) -> set[int]:  # type: ignore[no-untyped-def]
    """The token-by-token walk sentence_starts replaced (the reference)."""
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


def test_sentence_starts_match_the_token_walk_on_odd_text(nlp) -> None:  # type: ignore[no-untyped-def]
    """Unicode, emoji, URLs, markdown, digits glued to stops, line and paragraph separators."""
    import random

    from claimaudit.nlp.sentences import sentence_starts

    words = (
        "Émile ÉTÉ über straße İstanbul 😀 👍🏽. ﬁne. ½. ². https://ex.ample.org/a?b=c. www.x.io. "
        "**Bold.** _it._ # Heading - item * item > quote `code.` [link](http://a.b/c). 3.5%. "
        "1. 2) a) i. ii. Fig. No. vs. etc.) e.g., (ibid.) …” ’. '. \". ». ]. [12]. [1–3]. [a] "
        "MIT. Mr. X. Y.Z. x.Y ab.Cd AB.Cd a.B 10.5. 10. ?! !!! ... .. \u2028 \u00a0 \t \r\n"
    ).split(" ")
    rng = random.Random(11)
    for _ in range(400):
        text = "".join(
            rng.choice(words) + rng.choice(("", " ", " ", "  ", "\n", "\n\n", " \n", "\u00a0")) for _ in range(rng.randint(1, 60))
        )
        doc = nlp.make_doc(text)
        assert sentence_starts(doc) == _starts_by_walking(doc), text


def test_tokens_read_from_offsets_are_spacy_s(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.sentences import _Tokens

    for text in ("Hello  world.\n\nIt is (e.g. fine) don't U.S. ok ", " \u3000x\u2028y\t\tz 😀 ", "a", "end. ", "a\u00a0 b"):
        doc = nlp.make_doc(text)
        tokens = _Tokens(doc)
        assert [tokens.text(i) for i in range(len(doc))] == [t.text for t in doc]
        assert [bool(tokens.spaces[i]) for i in range(len(doc))] == [bool(t.whitespace_) for t in doc]
        assert [tokens.is_space(i) for i in range(len(doc))] == [t.is_space for t in doc]
        assert [tokens.holding(t.idx) for t in doc] == [t.i for t in doc]
