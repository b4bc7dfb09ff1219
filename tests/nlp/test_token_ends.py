"""`spans.token_ends`: every token's end, as spaCy's tokens give it, kept once per doc."""

from __future__ import annotations

from claimaudit.nlp.spans import ENDS_KEY, token_ends


def test_token_ends_are_spacy_s(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = (
        "", "a", "end. ", "Two  spaces, then\n\na break.", " \u3000lead\u2028line\t\ttab 😀 done ",
        "don't (e.g. this) U.S. 10.5 mg; ok", "trailing\n", "a\u00a0 b ",
    )
    for text in texts:
        doc = nlp.make_doc(text)
        assert token_ends(doc) == [t.idx + len(t) for t in doc], text


def test_token_ends_are_kept_with_the_doc(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc("Kept once; read twice.")
    ends = token_ends(doc)
    assert doc.user_data[ENDS_KEY] is ends
    assert token_ends(doc) is ends


def test_sentence_and_claim_readers_share_the_ends(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.claims.extract import _Tokens as ClaimTokens
    from claimaudit.nlp.sentences import _Tokens as SentenceTokens

    doc = nlp("First one here. A second; with a clause.\n- a bullet item")
    sentence_tokens, claim_tokens = SentenceTokens(doc), ClaimTokens(doc)
    assert sentence_tokens.ends is claim_tokens.ends is token_ends(doc)
    assert [claim_tokens.end(t.i) for t in doc] == [sentence_tokens.end(t.i) for t in doc] == [t.idx + len(t) for t in doc]


def test_token_offsets_agree_with_the_char_index_in_either_order(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.spans import CharIndex, token_offsets

    text = "Offsets read\ttogether,  or apart.\n"
    first = nlp.make_doc(text)  # the index first, then the ends
    index = CharIndex.of(first)
    assert token_offsets(first) == (index.starts, [t.idx + len(t) for t in first])
    second = nlp.make_doc(text)  # the offsets first: the index is theirs
    starts, ends = token_offsets(second)
    assert CharIndex.of(second).starts is starts
    assert starts == [t.idx for t in second] and ends == [t.idx + len(t) for t in second]
    assert token_offsets(nlp.make_doc("")) == ([], [])
