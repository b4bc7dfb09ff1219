"""build_pipeline: the one place that lists the components and their order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language

# Importing the modules registers their factories.
from claimaudit.nlp import citations, context, cues, quantities, sentences, terms  # noqa: F401
from claimaudit.nlp.extensions import register_extensions
from claimaudit.nlp.tokenizer import blank_english

if TYPE_CHECKING:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

COMPONENTS: tuple[str, ...] = (
    "claimaudit_sentences",
    "claimaudit_terms",
    "claimaudit_cues",
    "claimaudit_context",
    "claimaudit_quantities",
    "claimaudit_citations",
)


def build_pipeline(lookup: "KnowledgeLookup") -> Language:
    """A blank English pipeline with claimaudit's rule components, lexicon from the KB."""
    register_extensions()
    nlp = blank_english()
    for name in COMPONENTS:
        nlp.add_pipe(name)
    term_matcher = nlp.get_pipe("claimaudit_terms")
    assert isinstance(term_matcher, terms.TermMatcher)
    term_matcher.load_lexicon(lookup.lexicon())
    return nlp

