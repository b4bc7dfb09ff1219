"""Assertion modifiers with scope, in the manner of medspaCy's ConText.

Each modifier phrase (patterns/context.yaml) has a category (negation, hedge, hypothetical,
booster, absolute, attribution, rebuttal, limitation) and a direction. Its scope runs from the
phrase forward (or backward) to the clause edge or the nearest terminator ("but", "however",
";" ...). The claim extractor asks which modifiers govern a claim's anchor cues.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimaudit.nlp.phrases import PhraseIndex
from claimaudit.nlp.resources import load_patterns
from claimaudit.nlp.spans import CharIndex, doc_text

DIRECTIONS = ("forward", "backward", "bidirectional")


@Language.factory(
    "claimaudit_context",
    assigns=["doc.spans"],
    default_config={"spans_key": "modifiers", "patterns": "context"},
)
def make_context(nlp: Language, name: str, spans_key: str, patterns: str) -> "ContextComponent":
    return ContextComponent(nlp, spans_key=spans_key, patterns=patterns)


class ContextComponent:
    """Marks modifiers in `doc.spans[spans_key]`: label = category, kb_id = direction.

    Terminators go to `doc.spans[spans_key + "_terminators"]`. Where modifiers overlap, the
    longest wins ("has been shown" over "shown").
    """

    def __init__(self, nlp: Language, *, spans_key: str = "modifiers", patterns: str = "context") -> None:
        self.spans_key = spans_key
        phrases_by_label: dict[str, list[str]] = {}
        for category, rules in load_patterns(patterns).items():
            if category == "terminate":
                phrases_by_label["terminate|"] = list(rules or ())
                continue
            for direction, phrases in (rules or {}).items():
                if direction not in DIRECTIONS:
                    raise ValueError(f"patterns/{patterns}.yaml: {category}: unknown direction {direction!r}")
                phrases_by_label[f"{category}|{direction}"] = list(phrases or ())
        self.index = PhraseIndex(nlp, phrases_by_label)

    def __call__(self, doc: Doc) -> Doc:
        chars = CharIndex.of(doc)
        modifiers: list[Span] = []
        terminators: list[Span] = []
        for label, start, end, is_char in self.index.matches(doc, doc_text(doc)):
            category, direction = label.split("|")
            if is_char:
                span = chars.span(start, end, label=category, kb_id=direction)
            else:
                span = Span(doc, start, end, label=category, kb_id=direction)
            if span is None:
                continue
            (terminators if category == "terminate" else modifiers).append(span)
        doc.spans[self.spans_key] = _drop_contained(modifiers)
        doc.spans[self.spans_key + "_terminators"] = terminators
        return doc


def _drop_contained(spans: list[Span]) -> list[Span]:
    """Drop a modifier strictly contained in a longer one."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    reach_start, reach_end = -1, -1
    for span in ordered:
        inside = reach_start <= span.start and span.end <= reach_end and (span.end - span.start) < (reach_end - reach_start)
        if inside:
            continue
        kept.append(span)
        if span.end > reach_end:
            reach_start, reach_end = span.start, span.end
    return kept
