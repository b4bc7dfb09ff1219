"""Sentence features: knowledge-base terms and numbers become placeholders."""

from __future__ import annotations

from claimaudit.learn.features import span_features, span_tokens, token_features


def test_terms_and_numbers_become_placeholders(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Esketamine helped 54% of adults with treatment-resistant depression.")
    tokens = span_tokens(doc[:])
    assert tokens[0] == "<substance>"
    assert "<percent>" in tokens
    assert "<indication>" in tokens
    assert "esketamine" not in tokens and "54" not in tokens


def test_two_substances_read_alike(nlp) -> None:  # type: ignore[no-untyped-def]
    first = span_features(nlp("Ketamine is believed to ease depression.")[:])
    second = span_features(nlp("Esketamine is believed to ease depression.")[:])
    assert first == second


def test_token_features_hold_unigrams_bigrams_and_edges() -> None:
    features = token_features(["is", "believed", "to"])
    assert {"bias", "w=believed", "b=is|believed", "b=^|is", "b=to|$", "first=is", "len=0"} <= set(features)
    assert features == sorted(set(features))
