"""extract_claims: spaCy Doc -> Claim records (with source spans) and page-level DocumentFacts."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spacy.attrs import ORTH
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Span

from claimaudit.claims.described import described_studies
from claimaudit.claims.facts import gather_facts
from claimaudit.claims.model import (
    Certainty,
    CitationMarker,
    Claim,
    ClaimKind,
    DocumentFacts,
    Mention,
    Qualifier,
    QualifierKind,
    Quantity,
)
from claimaudit.claims.lead_ins import apply_lead_ins, list_groups
from claimaudit.claims.positions import ByStart, Headings, Intervals
from claimaudit.claims.references import resolve_citations, resolve_references
from claimaudit.claims.subjects import clause_subject
from claimaudit.nlp.quantities import parse_quantity
from claimaudit.nlp.spans import doc_text

if TYPE_CHECKING:
    from claimaudit.ingest.source import NormalizedDocument
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

# Cue labels that make a sentence a claim of each kind, in priority order.
KIND_CUES: tuple[tuple[ClaimKind, frozenset[str]], ...] = (
    (ClaimKind.REGULATORY, frozenset({"approval", "off_label", "prescription", "regulator_action", "schedule"})),
    (ClaimKind.SAFETY, frozenset({"safety", "safety_absolute", "side_effect", "contraindication", "dependence"})),
    (ClaimKind.STATISTIC, frozenset()),
    (ClaimKind.MECHANISM, frozenset({"mechanism"})),
    (ClaimKind.ONSET, frozenset({"onset"})),
    (ClaimKind.DURABILITY, frozenset({"durability", "cure"})),
    (ClaimKind.HISTORY, frozenset({"history"})),
    (ClaimKind.EFFICACY, frozenset({"efficacy", "proven", "breakthrough", "research_backed", "cure", "comparison"})),
    (ClaimKind.SCOPE, frozenset({"design"})),
    (ClaimKind.CITATION, frozenset({"authority", "hypothetical_authority"})),
)
STAT_KINDS = frozenset({"percent", "ratio", "sample_size", "odds_ratio", "ci", "sessions", "effect_size", "p_value"})
# Cues that carry the claim's predicate: modifiers are judged by whether they govern one of these.
ANCHOR_CUES = frozenset(
    {
        "approval", "off_label", "prescription", "efficacy", "proven", "breakthrough", "safety",
        "safety_absolute", "onset", "durability", "cure", "mechanism", "research_backed",
        "side_effect", "dependence", "schedule",
    }
)
QUALIFIER_KINDS = {kind.value: kind for kind in QualifierKind}


def extract_claims(
    doc: Doc, document: "NormalizedDocument", lookup: "KnowledgeLookup"
) -> tuple[tuple[Claim, ...], DocumentFacts]:
    """All claims of a processed document, and its page-level facts."""
    references = resolve_references(doc.spans["references"], lookup)
    markers = resolve_citations(doc.spans["citations"], references, lookup, _links(document))
    topic_substance, topic_indication = _topics(doc, lookup)
    headings = Headings.of(_heading_ranges(document))
    list_items = Intervals.of((b.start, b.end) for b in document.blocks if b.kind == "list_item")
    tables = {key: SpanTable(doc.spans[key]) for key in SPAN_KEYS}
    in_references = Intervals.of((r.start_char, r.end_char) for r in doc.spans["references"])
    text = doc_text(doc)
    semicolons = _semicolons(doc)
    mentions = _focus_mentions(doc, lookup)
    by_start = ByStart(markers)
    claims: list[Claim] = []
    named = {start for start, _substance in mentions}
    previous_named = False
    for sentence in doc.sents:
        if in_references.contains(sentence.start_char):
            continue
        for clause in _clauses(sentence, semicolons):
            antecedent = _antecedent(clause.start_char, mentions, headings) or topic_substance
            claim = _claim(
                clause, sentence, text, document, by_start, headings, antecedent, topic_indication,
                lookup, len(claims), tables, list_items, previous_named,
            )
            if claim is not None:
                claims.append(claim)
        previous_named = sentence.start_char in named
    groups = list_groups(document)
    if groups:
        indications = [
            Mention("indication", t.kb_id_, t.text, t.start_char, t.end_char)
            for t in tables["terms"].spans
            if t.label_ == "indication"
        ]
        claims = apply_lead_ins(claims, groups, indications)
    facts = gather_facts(doc, document, claims, references, markers, lookup)
    return tuple(claims), facts


def _claim(
    clause: Span,
    sentence: Span,
    text: str,
    document: "NormalizedDocument",
    markers: ByStart[CitationMarker],
    headings: Headings,
    topic_substance: str | None,
    topic_indication: str | None,
    lookup: "KnowledgeLookup",
    index: int,
    tables: dict[str, "SpanTable"],
    list_items: Intervals,
    after_substance: bool = True,
) -> Claim | None:
    cues = tables["cues"].within(clause)
    terms = tables["terms"].within(clause)
    quantities = _quantities(tables["quantities"].within(clause))
    citations = markers.between(clause.start_char, clause.end_char + 1)
    clause_text = _span_text(clause, text)
    # history statements ("discovered in the 1970s") are matched against the base's history
    # records, which are mechanism records (a wrong origin is a MECH misconception)
    mechanisms = (
        lookup.mechanisms_matching(clause_text)
        if any(c.label_ in {"mechanism", "history"} for c in cues) or _has_mech_words(clause_text)
        else []
    )
    kinds = _kinds(cues, terms, quantities, citations, bool(mechanisms))
    if not kinds:
        return None
    qualifiers, certainty = _certainty(
        clause, cues, terms, tables["modifiers"].within(clause), tables["modifiers_terminators"].within(clause)
    )
    section = headings.section(clause.start_char)
    inherited: tuple[Mention, ...] = ()
    other_subject = ""
    if not any(t.label_ == "substance" for t in terms):
        subject = clause_subject(clause_text, after_substance)
        if subject is not None and subject.other:
            topic_substance = None  # "Meditation rewires the brain" is not about the page's drug
            other_subject = subject.other
        elif subject is not None and topic_substance:
            start = clause.start_char + subject.start
            inherited = (Mention("substance", topic_substance, subject.anaphor, start, start + len(subject.anaphor)),)
    return Claim(
        id=f"c{index + 1}",
        kinds=kinds,
        text=clause_text,
        span=document.offsets.span(clause.start_char, clause.end_char),
        norm_start=clause.start_char,
        norm_end=clause.end_char,
        certainty=certainty,
        qualifiers=qualifiers,
        mentions=tuple(Mention(t.label_, t.kb_id_, text[t.start_char:t.end_char], t.start_char, t.end_char)
                       for t in terms)  # the slice is Span.text, without rebuilding it from tokens
        + inherited
        + _described(clause, terms, topic_substance, lookup),
        quantities=quantities,
        citations=citations,
        cues=tuple(Mention("cue", c.label_, text[c.start_char:c.end_char], c.start_char, c.end_char) for c in cues),
        section=section,
        in_list_item=list_items.contains(clause.start_char),
        sentence_text=_span_text(sentence, text),
        topic_substance=topic_substance,
        topic_indication=topic_indication,
        other_subject=other_subject,
    )


def _described(
    clause: Span, terms: Sequence[Span], topic_substance: str | None, lookup: "KnowledgeLookup"
) -> tuple[Mention, ...]:
    """Studies the clause names by description ("a 2021 meta-analysis")."""
    substances = [t.kb_id_ for t in terms if t.label_ == "substance"] or ([topic_substance] if topic_substance else [])
    indications = [t.kb_id_ for t in terms if t.label_ == "indication"]
    return described_studies(clause.text, clause.start_char, substances, indications, lookup)


def _kinds(
    cues: Sequence[Span],
    terms: Sequence[Span],
    quantities: Sequence[Quantity],
    citations: Sequence[CitationMarker],
    has_mechanism: bool,
) -> tuple[ClaimKind, ...]:
    labels = {c.label_ for c in cues}
    term_kinds = {t.label_ for t in terms}
    kinds: list[ClaimKind] = []
    for kind, wanted in KIND_CUES:
        if kind is ClaimKind.STATISTIC:
            hit = any(q.kind in STAT_KINDS for q in quantities)
        elif kind is ClaimKind.REGULATORY:
            hit = bool(labels & wanted) or "regulator" in term_kinds
        elif kind is ClaimKind.SAFETY:
            hit = bool(labels & wanted) or bool(term_kinds & {"adverse_effect", "contraindication"})
        elif kind is ClaimKind.MECHANISM:
            hit = bool(labels & wanted) or has_mechanism
        elif kind is ClaimKind.CITATION:
            hit = bool(labels & wanted) or bool(citations)
        else:
            hit = bool(labels & wanted)
        if hit:
            kinds.append(kind)
    if not kinds:
        return ()
    # A claim needs something to be about: a known term, a number, a citation or a strong cue.
    about = bool(terms) or bool(quantities) or bool(citations) or bool(labels - {"efficacy", "design", "population"})
    return tuple(kinds) if about else ()


def _certainty(
    clause: Span,
    cues: Sequence[Span],
    terms: Sequence[Span],
    modifiers: Sequence[Span],
    terminators: Sequence[Span],
) -> tuple[tuple[Qualifier, ...], Certainty]:
    """Modifiers that govern the claim's predicate, and the certainty they set."""
    absolute_cues = [c for c in cues if c.label_ == "safety_absolute"]
    predicates = [c for c in cues if c.label_ in ANCHOR_CUES]
    anchors = predicates or [clause]
    governing: list[Span] = []
    for modifier in modifiers:
        if modifier.label_ == "negation" and any(_overlaps(modifier, c) for c in absolute_cues):
            continue  # "no side effects" is an absolute claim, not a negated one
        if modifier.label_ == "rebuttal" and not predicates:
            governing.append(modifier)  # "It is a myth that ..." rebuts the whole clause
            continue
        if any(_overlaps(modifier, anchor) for anchor in anchors) and modifier.label_ not in {"negation", "rebuttal"}:
            governing.append(modifier)
            continue
        targets = anchors if predicates else list(terms)
        if modifier.label_ == "negation" and absolute_cues:
            # "is not a narcotic and is not addictive": a negation never turns an absolute
            # safety claim ("not addictive") into a rejected one.
            targets = [t for t in targets if not any(_overlaps(t, c) for c in absolute_cues)]
        if any(_governs(modifier, anchor, terminators) for anchor in targets):
            governing.append(modifier)
    qualifiers = tuple(
        Qualifier(QUALIFIER_KINDS[m.label_], m.text, m.start_char, m.end_char)
        for m in governing
        if m.label_ in QUALIFIER_KINDS
    )
    labels = {m.label_ for m in governing}
    if absolute_cues:
        labels.add("absolute")
    return qualifiers, _level(labels)


def _level(labels: set[str]) -> Certainty:
    if labels & {"negation", "rebuttal"}:
        return Certainty.REJECTED
    if "hypothetical" in labels:
        return Certainty.SPECULATIVE
    if "hedge" in labels:
        return Certainty.HEDGED
    if "absolute" in labels:
        return Certainty.ABSOLUTE
    if labels & {"booster", "attribution"}:
        return Certainty.BOOSTED
    return Certainty.ASSERTED


def _governs(modifier: Span, anchor: Span, terminators: Sequence[Span]) -> bool:
    direction = modifier.kb_id_ or "forward"
    forward = modifier.end <= anchor.start and not _terminated(modifier.end, anchor.start, terminators)
    backward = anchor.end <= modifier.start and not _terminated(anchor.end, modifier.start, terminators)
    if direction == "forward":
        return forward
    if direction == "backward":
        return backward
    return forward or backward


def _terminated(start: int, end: int, terminators: Sequence[Span]) -> bool:
    return any(start <= t.start and t.end <= end for t in terminators)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


SPAN_KEYS = ("cues", "terms", "quantities", "modifiers", "modifiers_terminators")


class SpanTable:
    """A span group materialised once and indexed by start token, for fast per-clause look-ups."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]

    def within(self, container: Span) -> list[Span]:
        low = bisect.bisect_left(self.starts, container.start)
        high = bisect.bisect_left(self.starts, container.end)
        return [s for s in self.spans[low:high] if s.end <= container.end]


def _quantities(spans: Sequence[Span]) -> tuple[Quantity, ...]:
    quantities = []
    for span in spans:
        parsed = parse_quantity(span.label_, span.text)
        quantities.append(
            Quantity(span.label_, parsed.value, span.text, span.start_char, span.end_char, parsed.upper, parsed.unit)
        )
    return tuple(quantities)


def _span_text(span: Span, text: str) -> str:
    """`span.text`, sliced from the doc's text (spaCy joins the tokens on every access)."""
    return text[span.start_char : span.end_char]


_SEMICOLON = hash_string(";")


def _semicolons(doc: Doc) -> list[int]:
    """Indices of the doc's ";" tokens, in order."""
    return [int(i) for i in (doc.to_array(ORTH) == _SEMICOLON).nonzero()[0]] if len(doc) else []


def _clauses(sentence: Span, semicolons: Sequence[int]) -> list[Span]:
    """A sentence split at semicolons into independent clauses (trimmed of spaces)."""
    clauses, start = [], sentence.start
    first = bisect.bisect_left(semicolons, sentence.start)
    last = bisect.bisect_left(semicolons, sentence.end)
    for index in semicolons[first:last]:
        if index > start:
            clauses.append(sentence.doc[start:index])
            start = index + 1
    clauses.append(sentence.doc[start : sentence.end])
    return [trimmed for clause in clauses if (trimmed := _trim(clause)) is not None]


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_space or doc[start].text in {"•", "-", "–", "*", "·"}):
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if end - start < 3:
        return None
    return doc[start:end]


_MECH_WORDS = re.compile(r"veterinar|glutamin|rewir|regrow|neuro|synap|receptor|brain|damage|discover|invent|synthesi", re.I)  # history words: misconception records judge them


def _has_mech_words(text: str) -> bool:
    return bool(_MECH_WORDS.search(text))


def _topics(doc: Doc, lookup: "KnowledgeLookup") -> tuple[str | None, str | None]:
    """The page's most-mentioned focus substance and indication."""
    substances: Counter[str] = Counter()
    indications: Counter[str] = Counter()
    for term in doc.spans["terms"]:
        if term.label_ == "substance":
            record = lookup.substance(term.kb_id_)
            if record is not None and record.focus:
                substances[term.kb_id_] += 1
        elif term.label_ == "indication":
            indications[term.kb_id_] += 1
    substance = substances.most_common(1)[0][0] if substances else None
    indication = indications.most_common(1)[0][0] if indications else None
    return substance, indication


ANTECEDENT_WINDOW = 400  # characters back to look for the substance "it" refers to


def _focus_mentions(doc: Doc, lookup: "KnowledgeLookup") -> list[tuple[int, str]]:
    """(sentence start, substance) for every sentence naming a focus substance: the first one it
    names, which is usually its subject ("Esketamine (Spravato) is a form of ketamine")."""
    firsts: dict[int, tuple[int, str]] = {}
    for term in doc.spans["terms"]:
        if term.label_ != "substance":
            continue
        record = lookup.substance(term.kb_id_)
        if record is None or not record.focus:
            continue
        sentence_start = term.sent.start_char
        if sentence_start not in firsts or term.start_char < firsts[sentence_start][0]:
            firsts[sentence_start] = (term.start_char, term.kb_id_)
    return sorted((start, substance) for start, (_offset, substance) in firsts.items())


def _antecedent(
    offset: int, mentions: Sequence[tuple[int, str]], headings: Headings
) -> str | None:
    """What a claim naming no substance ("In the US it is approved for ...") is about: the subject
    of the nearest earlier sentence that names one, in the same section and close by."""
    section_start = headings.section_start(offset)
    index = bisect.bisect_left(mentions, (offset, "")) - 1
    if index < 0:
        return None
    position, substance = mentions[index]
    return substance if position >= max(section_start, offset - ANTECEDENT_WINDOW) else None


def _heading_ranges(document: "NormalizedDocument") -> list[tuple[int, int, str]]:
    return [(b.start, b.end, document.text[b.start : b.end]) for b in document.blocks if b.kind == "heading"]


def _links(document: "NormalizedDocument") -> tuple[tuple[int, int, str], ...]:
    links = getattr(document, "links", ()) or ()
    return tuple((link.text_start, link.text_end, link.url) for link in links)
