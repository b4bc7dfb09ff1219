"""The claimaudit tokenizer: spaCy's English tokens plus the glued-sentence splits, cached."""

from __future__ import annotations

import spacy
from spacy.util import compile_infix_regex

from claimaudit.nlp.tokenizer import GLUED_SENTENCE_INFIXES, blank_english

# Long enough to take the cache-filling path; special cases ("what's", "—", "e.g.", ":)")
# early on are what stop spaCy's own per-document caching.
PAGE = (
    "What's new — ketamine e.g. works fast :) for some. Studies (Glue et al., 2018Journal) report "
    "properties.Reports of 70% response; U.S. approx. 10a.m. Dr. Smith's clinic isn't FDA-approved.\n\n"
    "  Side effects: nausea, dissociation, raised blood pressure. https://pubmed.ncbi.nlm.nih.gov/1/ "
) * 3


def _reference_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, *GLUED_SENTENCE_INFIXES]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in doc]


def test_same_tokens_as_spacy_with_the_glued_infixes_on_every_call() -> None:
    reference, nlp = _reference_nlp(), blank_english()
    for text in (PAGE, PAGE.upper(), PAGE, "fda-approved", ""):
        assert _tokens(nlp.make_doc(text)) == _tokens(reference.make_doc(text))


def test_glued_sentences_are_split() -> None:
    words = [t.text for t in blank_english().make_doc("calming properties.Reports from 2018Journal")]
    assert words == ["calming", "properties", ".", "Reports", "from", "2018", "Journal"]


def test_chunk_memory_is_bounded() -> None:
    nlp = blank_english()
    nlp.tokenizer.max_cache_size = 5
    nlp.make_doc(PAGE)
    assert len(nlp.tokenizer._seen_chunks) == 5
