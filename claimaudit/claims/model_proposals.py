"""The learned sentence model's hook into claim extraction (setting `model`, on or off).

The rules stay the judges; the model only proposes, in two places:

1. Claim detection. A sentence the cue lexicon did not turn into a claim, which the model reads
   as a claim of kind K (probability >= KIND_THRESHOLD) and whose subject is resolved (it names
   a focus substance, or opens with "it" / "this treatment" / "infusions" ... on a page about
   one), becomes a candidate claim of kind K. Its certainty and qualifiers come from the same
   ConText modifiers as every other claim.
2. Certainty. Where the modifiers found nothing (a plain "asserted" claim with no qualifier),
   the model's certainty class replaces "asserted" when it is confident (>= CERTAINTY_THRESHOLD):
   "is believed to", "doctors find", "with zero risk" are read as hedged, boosted, absolute.

Weights ship in `claimaudit/models/sentence_model.json` (rebuilt by `claimaudit train`) and are
loaded once, on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from claimaudit.claims.model import Certainty, Claim, ClaimKind, DocumentFacts, Mention
from claimaudit.claims.references import resolve_citations
from claimaudit.learn.features import PlaceholderIndex, span_features
from claimaudit.learn.linear import LinearModel
from claimaudit.nlp.analysis_cache import compiled

if TYPE_CHECKING:
    from claimaudit.claims.extract import SpanLike
    from claimaudit.ingest.source import NormalizedDocument
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

MODEL_RESOURCE = "sentence_model.json"
KIND_THRESHOLD = 0.6
CERTAINTY_THRESHOLD = 0.6
# The levels the model may set. Absolute and rejected readings stay with the lexicon: a wrong
# "absolute" raises an error-level finding, a wrong "rejected" silences one.
MODEL_LEVELS = frozenset({Certainty.SPECULATIVE, Certainty.HEDGED, Certainty.BOOSTED})
MIN_WORDS = 4
MAX_TOKENS = 80
# A sentence opening with one of these is about the page's substance ("It lifts ...",
# "This treatment ...", "Infusions ...").
_SUBJECT_OPENERS = compiled(
    r"^\s*(?:it|they|(?:the|this|these) (?:treatments?|therapy|medication|medicine|drug|infusions?|spray)|"
    r"infusions|treatment sessions)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentenceModel:
    """The two heads: claim kind (with `none`) and asserted certainty."""

    kind: LinearModel
    certainty: LinearModel


@lru_cache(maxsize=1)
def load_model() -> SentenceModel:
    """The shipped model (read once per process)."""
    text = resources.files("claimaudit.models").joinpath(MODEL_RESOURCE).read_text("utf-8")
    return model_from_json(text)


def model_from_json(text: str) -> SentenceModel:
    data = json.loads(text)
    return SentenceModel(LinearModel.from_dict(data["kind"]), LinearModel.from_dict(data["certainty"]))


def apply_model(
    doc: Doc,
    document: "NormalizedDocument",
    lookup: "KnowledgeLookup",
    claims: tuple[Claim, ...],
    facts: DocumentFacts,
    model: SentenceModel | None = None,
) -> tuple[Claim, ...]:
    """The rule claims with model certainty where the rules found none, plus proposed claims."""
    model = model or load_model()
    index = PlaceholderIndex(doc)
    adjusted = [_with_certainty(claim, doc, index, model) for claim in claims]
    proposed = propose_claims(doc, document, lookup, claims, facts, model, index)
    if not proposed:
        return tuple(adjusted)
    ordered = sorted([*adjusted, *proposed], key=lambda c: (c.norm_start, c.norm_end))
    return tuple(replace(claim, id=f"c{i + 1}") for i, claim in enumerate(ordered))


def model_certainty(span: Span, model: SentenceModel, index: PlaceholderIndex | None = None) -> Certainty | None:
    """The certainty the model reads in a span, when it is confident; else None."""
    label, probability = model.certainty.predict(span_features(span, index))
    level = Certainty[label.upper()]
    if probability < CERTAINTY_THRESHOLD or level not in MODEL_LEVELS:
        return None
    return level


def _with_certainty(claim: Claim, doc: Doc, index: PlaceholderIndex, model: SentenceModel) -> Claim:
    if claim.qualifiers or claim.certainty is not Certainty.ASSERTED:
        return claim
    span = doc.char_span(claim.norm_start, claim.norm_end, alignment_mode="expand")
    if span is None:
        return claim
    level = model_certainty(span, model, index)
    return claim if level is None else replace(claim, certainty=level)


def propose_claims(
    doc: Doc,
    document: "NormalizedDocument",
    lookup: "KnowledgeLookup",
    claims: Sequence[Claim],
    facts: DocumentFacts,
    model: SentenceModel,
    index: PlaceholderIndex,
) -> list[Claim]:
    """Candidate claims for sentences the rules left alone (see the module docstring)."""
    from claimaudit.claims.extract import SPAN_KEYS, SpanTable, _certainty, _quantities, _topics

    covered = [(c.norm_start, c.norm_end) for c in claims]
    skipped = [(r.start_char, r.end_char) for r in doc.spans["references"]]
    topic_substance, topic_indication = _topics(doc, lookup)
    tables = {key: SpanTable(doc.spans[key]) for key in SPAN_KEYS}
    markers = resolve_citations(doc.spans["citations"], facts.references, lookup, _links(document))
    proposed: list[Claim] = []
    for sentence in doc.sents:
        if _overlaps_any(sentence.start_char, sentence.end_char, covered + skipped):
            continue
        if len(sentence) > MAX_TOKENS or sum(t.is_alpha for t in sentence) < MIN_WORDS:
            continue
        label, probability = model.kind.predict(span_features(sentence, index))
        if label == "none" or probability < KIND_THRESHOLD:
            continue
        terms = tables["terms"].within(sentence)
        subject = _subject(sentence, terms, topic_substance, lookup)
        if subject is None:
            continue
        qualifiers, certainty = _certainty(
            sentence, tables["cues"].within(sentence), terms, tables["modifiers"].within(sentence),
            tables["modifiers_terminators"].within(sentence),
        )
        if not qualifiers and certainty is Certainty.ASSERTED:
            certainty = model_certainty(sentence, model, index) or certainty
        start, end = _stripped(document.text, sentence.start_char, sentence.end_char)
        text = document.text[start:end]
        proposed.append(
            Claim(
                id="",
                kinds=(ClaimKind(label),),
                text=text,
                span=document.offsets.span(start, end),
                norm_start=start,
                norm_end=end,
                certainty=certainty,
                qualifiers=qualifiers,
                mentions=tuple(Mention(t.label_, t.kb_id_, t.text, t.start_char, t.end_char) for t in terms),
                quantities=_quantities(tables["quantities"].within(sentence)),
                citations=tuple(m for m in markers if start <= m.start < end + 1),
                cues=(Mention("cue", "model", f"{label} {probability:.2f}", start, start),),
                section=_section(start, document),
                in_list_item=any(b.kind == "list_item" and b.start <= start < b.end for b in document.blocks),
                sentence_text=text,
                topic_substance=subject,
                topic_indication=topic_indication,
            )
        )
    return proposed


def _subject(
    sentence: Span, terms: Sequence["SpanLike"], topic_substance: str | None, lookup: "KnowledgeLookup"
) -> str | None:
    """The focus substance the sentence is about: one it names, else the page's for "it ..."."""
    for term in terms:
        if term.label_ == "substance":
            record = lookup.substance(term.kb_id_)
            if record is not None and record.focus:
                return term.kb_id_
    if topic_substance and _SUBJECT_OPENERS.match(sentence.text):
        return topic_substance
    return None


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """`start`, `end` moved inwards past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps_any(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


def _section(offset: int, document: "NormalizedDocument") -> str:
    current = ""
    for block in document.blocks:
        if block.kind == "heading" and block.start <= offset:
            current = document.text[block.start : block.end]
    return current


def _links(document: "NormalizedDocument") -> tuple[tuple[int, int, str], ...]:
    links = getattr(document, "links", ()) or ()
    return tuple((link.text_start, link.text_end, link.url) for link in links)
