"""`spans.token_end` and `spans.token_spaces`: token ends as spaCy's tokens give them, for the
sentence splitter and claim extraction alike."""

from __future__ import annotations

from claimaudit.nlp.spans import SPACES_KEY, CharIndex, doc_text, token_end, token_spaces

TEXTS = (
    "", "a", "end. ", "Two  spaces, then\n\na break.", " \u3000lead\u2028line\t\ttab 😀 done ",
    "don't (e.g. this) U.S. 10.5 mg; ok", "trailing\n", "a\u00a0 b ",
)


def test_token_ends_are_spacy_s(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in TEXTS:
        doc = nlp.make_doc(text)
        starts, spaces = CharIndex.of(doc).starts, token_spaces(doc)
        assert spaces == [len(t.whitespace_) for t in doc], text
        assert [token_end(starts, spaces, len(doc_text(doc)), t.i) for t in doc] == [t.idx + len(t) for t in doc], text


def test_token_spaces_are_kept_with_the_doc(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc("Kept once; read twice.")
    spaces = token_spaces(doc)
    assert doc.user_data[SPACES_KEY] is spaces
    assert token_spaces(doc) is spaces


def test_sentence_and_claim_readers_give_the_same_ends(nlp) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.claims.extract import _Tokens as ClaimTokens
    from claimaudit.nlp.sentences import _Tokens as SentenceTokens

    for text in ("First one here. A second; with a clause.\n- a bullet item ", "x", "tail  "):
        doc = nlp(text)
        sentence_tokens, claim_tokens = SentenceTokens(doc), ClaimTokens(doc)
        assert sentence_tokens.spaces is token_spaces(doc)
        expected = [t.idx + len(t) for t in doc]
        assert [claim_tokens.end(t.i) for t in doc] == [sentence_tokens.end(t.i) for t in doc] == expected
        assert claim_tokens.ends == expected
