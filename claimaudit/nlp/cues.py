"""Claim cues: general-language phrases that say what a sentence claims (patterns/cues.yaml)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimaudit.nlp.phrases import PhraseIndex
from claimaudit.nlp.resources import load_patterns
from claimaudit.nlp.spans import doc_text, set_group


@Language.factory(
    "claimaudit_cues",
    assigns=["doc.spans"],
    default_config={"spans_key": "cues", "patterns": "cues"},
)
def make_cue_matcher(nlp: Language, name: str, spans_key: str, patterns: str) -> "CueMatcher":
    return CueMatcher(nlp, spans_key=spans_key, patterns=patterns)


class CueMatcher:
    """Marks claim cues in `doc.spans[spans_key]` with the cue label as span label."""

    def __init__(self, nlp: Language, *, spans_key: str = "cues", patterns: str = "cues") -> None:
        self.spans_key = spans_key
        self.index = PhraseIndex(nlp, {label: phrases or () for label, phrases in load_patterns(patterns).items()})

    def __call__(self, doc: Doc) -> Doc:
        set_group(doc, self.spans_key, self.index.spans(doc, doc_text(doc)))
        return doc
