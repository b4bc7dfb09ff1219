"""extract_claims: spaCy Doc -> Claim records (with source spans) and page-level DocumentFacts."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Protocol

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START
from spacy.tokens import Doc, Span

from claimaudit.claims.described import described_studies
from claimaudit.claims.facts import gather_facts, page_haystack, readers_count, readers_literals
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
from claimaudit.claims.positions import ByStart, Headings, Intervals, Occurrences
from claimaudit.claims.references import resolve_citations, resolve_references
from claimaudit.claims.subjects import clause_subject
from claimaudit.nlp.prefilter import fold, may_name_year
from claimaudit.nlp.prefilter import needles
from claimaudit.nlp.quantities import ParsedQuantity, parse_quantity
from claimaudit.nlp.sentences import kept_sentence_starts
from claimaudit.nlp.spans import CharIndex, doc_text, group_spans, token_spaces
from claimaudit.nlp.analysis_cache import compiled
from claimaudit.slots import slot_maker

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

_mention = slot_maker(Mention)
_claim_of = slot_maker(Claim)
_quantity = slot_maker(Quantity)
_qualifier = slot_maker(Qualifier)


def extract_claims(
    doc: Doc, document: "NormalizedDocument", lookup: "KnowledgeLookup"
) -> tuple[tuple[Claim, ...], DocumentFacts]:
    """All claims of a processed document, and its page-level facts."""
    reference_spans = group_spans(doc, "references")
    references = resolve_references(reference_spans, lookup)
    markers = resolve_citations(group_spans(doc, "citations"), references, lookup, _links(document))
    text = doc_text(doc)
    tables = {key: SpanTable(group_spans(doc, key), text) for key in SPAN_KEYS}
    terms = tables["terms"].in_order
    page_terms = _PageTerms(lookup, terms)
    topic_substance, topic_indication = page_terms.topics()
    headings = Headings.of(_heading_ranges(document))
    list_items = Intervals.of((b.start, b.end) for b in document.blocks if b.kind == "list_item")
    in_references = Intervals.of((r.start_char, r.end_char) for r in reference_spans)
    tokens = _Tokens(doc, text)
    # the page's haystack (its facts' literals, and the mechanism words', found in one pass)
    haystack = page_haystack(document.text, _page_extra())
    if text == document.text:
        mech_words = Occurrences(haystack.folded, _MECH_NEEDLES, haystack)
    else:  # pragma: no cover - the doc's text is the document's
        mech_words = Occurrences(fold(text), _MECH_NEEDLES)
    mentions = page_terms.focus_mentions(tokens)
    by_start = ByStart(markers)
    claims: list[Claim] = []
    named = {start for start, _substance in mentions}
    previous_named = False
    idx = tokens.idx
    # the page's clauses (token ranges: `Bounds` are built for claims only), each with its
    # sentence and whether the sentence before names a focus substance
    units: list[tuple[tuple[int, int], tuple[int, int], bool]] = []
    semicolons = bool(tokens.semicolons)
    for sentence in tokens.sentence_ranges():
        sentence_start = idx[sentence[0]]
        if reference_spans and in_references.contains(sentence_start):  # (most pages list none)
            continue
        if semicolons:
            for clause in _clause_ranges(sentence[0], sentence[1], tokens):
                units.append((clause, sentence, previous_named))
        else:  # one clause a sentence (`_clause_ranges`, when the page holds no ";")
            trimmed = _trimmed(sentence[0], sentence[1], tokens)
            if trimmed is not None:
                units.append((trimmed, sentence, previous_named))
        previous_named = sentence_start in named
    # each group's spans by clause, in one walk of each group (clause number -> spans)
    firsts, lasts = [clause[0] for clause, _, _ in units], [clause[1] for clause, _, _ in units]
    cues_of, terms_of, quantities_of, modifiers_of, terminators_of = (
        _by_clause(tables[key].spans, firsts, lasts) for key in SPAN_KEYS
    )
    cited = bool(by_start.items)  # (most pages cite nothing)
    for number, (clause, sentence, after_substance) in enumerate(units):
        spans = (cues_of.get(number, ()), terms_of.get(number, ()), quantities_of.get(number, ()))
        if not (cited or spans[0] or spans[1] or spans[2]):
            continue  # nothing for a claim to be about (`_claim` gives None)
        claim = _claim(
            clause, sentence, tokens, text, document, by_start, headings, mentions, topic_substance,
            topic_indication, lookup, len(claims),
            (*spans, modifiers_of.get(number, ()), terminators_of.get(number, ())),
            list_items, after_substance, mech_words,
        )
        if claim is not None:
            claims.append(claim)
    groups = list_groups(document)
    if groups:
        indications = [
            Mention("indication", t.kb_id_, t.text, t.start_char, t.end_char)
            for t in tables["terms"].spans
            if t.label_ == "indication"
        ]
        claims = apply_lead_ins(claims, groups, indications)
    facts = gather_facts(
        doc, document, claims, references, markers, lookup, tables["cues"].in_order, terms, tokens.words, haystack,
        substances=tuple(page_terms.substances), indications=tuple(page_terms.indications),
    )
    return tuple(claims), facts


def _claim(
    clause: tuple[int, int],
    sentence: tuple[int, int],
    tokens: "_Tokens",
    text: str,
    document: "NormalizedDocument",
    markers: ByStart[CitationMarker],
    headings: Headings,
    focus: Sequence[tuple[int, str]],
    page_topic: str | None,
    topic_indication: str | None,
    lookup: "KnowledgeLookup",
    index: int,
    spans: "ClauseSpans",
    list_items: Intervals,
    after_substance: bool = True,
    mech_words: "Occurrences | None" = None,
) -> Claim | None:
    """`clause`, `sentence`: token ranges [start, end) of `tokens`. `focus`: the page's focus mentions (`_PageTerms.focus_mentions`) and `page_topic` its topic
    substance, whence what a claim naming no substance is about (`_antecedent`, asked only of
    a claim). `spans`: the spans of each group of `SPAN_KEYS` within the clause (`within_range`).
    `mech_words`: where the mechanism words' literals occur in the doc (see `_has_mech_words`)."""
    first, last = clause
    cues, terms, quantity_spans, modifiers, terminators = spans  # (quantities parsed only for a claim)
    clause_start, clause_end = tokens.idx[first], tokens.end(last - 1)
    citations = markers.between(clause_start, clause_end + 1) if markers.items else ()  # (most pages cite nothing)
    labels = {c.label_ for c in cues}  # each test below asks of the labels, not of each cue
    if not (terms or quantity_spans or citations or not labels.issubset(_WEAK_LABELS)):
        return None  # nothing for a claim to be about: `_kinds` gives no kind, whatever else is found
    clause_text = text[clause_start:clause_end]
    # history statements ("discovered in the 1970s") are matched against the base's history
    # records, which are mechanism records (a wrong origin is a MECH misconception)
    mechanisms = (
        lookup.mechanisms_matching(clause_text)
        if not labels.isdisjoint(_MECH_LABELS) or _has_mech_words(clause_text, mech_words, clause_start)
        else []
    )
    term_kinds = {t.label_ for t in terms}
    kinds = _kinds_of(labels, term_kinds, [q.label_ for q in quantity_spans], citations, bool(mechanisms))
    if not kinds:
        return None
    topic_substance = _antecedent(clause_start, focus, headings) or page_topic
    quantities = _quantities(quantity_spans)
    if modifiers:
        qualifiers, certainty = _certainty(Bounds(first, last, clause_start, clause_end), cues, terms, modifiers, terminators)
    else:  # `_certainty`'s answer without modifiers: only an absolute cue counts
        qualifiers, certainty = (), Certainty.ABSOLUTE if "safety_absolute" in labels else Certainty.ASSERTED
    inherited: tuple[Mention, ...] = ()
    other_subject = ""
    if "substance" not in term_kinds:
        subject = clause_subject(clause_text, after_substance)
        if subject is not None and subject.other:
            topic_substance = None  # "Meditation rewires the brain" is not about the page's drug
            other_subject = subject.other
        elif subject is not None and topic_substance:
            start = clause_start + subject.start
            inherited = (Mention("substance", topic_substance, subject.anaphor, start, start + len(subject.anaphor)),)
    return _claim_of(  # by position, in `_CLAIM_FIELDS` order (checked at import)
        f"c{index + 1}",  # id
        kinds,
        clause_text,  # text
        document.offsets.span(clause_start, clause_end),  # span
        clause_start,  # norm_start
        clause_end,  # norm_end
        certainty,
        qualifiers,
        tuple([_mention(t.label_, t.kb_id_, text[t.start_char:t.end_char], t.start_char, t.end_char)
               for t in terms])  # (the slice is Span.text, without rebuilding it from tokens)
        + inherited
        + _described(clause_text, clause_start, terms, topic_substance, lookup),  # mentions
        quantities,
        citations,
        tuple([_mention("cue", c.label_, text[c.start_char:c.end_char], c.start_char, c.end_char) for c in cues]),  # cues
        headings.section(clause_start),  # section
        list_items.contains(clause_start),  # in_list_item
        text[tokens.idx[sentence[0]] : tokens.end(sentence[1] - 1)],  # sentence_text
        topic_substance,
        topic_indication,
        other_subject,
    )


# `Claim`'s fields as `_claim` passes them, by position (faster than by keyword)
_CLAIM_FIELDS = (
    "id", "kinds", "text", "span", "norm_start", "norm_end", "certainty", "qualifiers", "mentions", "quantities",
    "citations", "cues", "section", "in_list_item", "sentence_text", "topic_substance", "topic_indication",
    "other_subject",
)
if tuple(f.name for f in dataclasses.fields(Claim) if f.init) != _CLAIM_FIELDS:  # pragma: no cover - a guard
    raise RuntimeError("Claim's fields changed: update extract._CLAIM_FIELDS and _claim's call")


def _described(
    clause_text: str, start: int, terms: Sequence["SpanLike"], topic_substance: str | None, lookup: "KnowledgeLookup"
) -> tuple[Mention, ...]:
    """Studies the clause names by description ("a 2021 meta-analysis")."""
    if not may_name_year(clause_text):
        return ()  # `described_studies`' own test, before the clause's ids are listed for it
    substances = [t.kb_id_ for t in terms if t.label_ == "substance"] or ([topic_substance] if topic_substance else [])
    indications = [t.kb_id_ for t in terms if t.label_ == "indication"]
    return described_studies(clause_text, start, substances, indications, lookup)


# Each claim kind of KIND_CUES as one bit (in KIND_CUES order), and the bits each cue label sets
_KIND_BIT = {kind: 1 << index for index, (kind, _wanted) in enumerate(KIND_CUES)}
_LABEL_BITS: dict[str, int] = {}
for _kind, _wanted in KIND_CUES:
    for _label in _wanted:
        _LABEL_BITS[_label] = _LABEL_BITS.get(_label, 0) | _KIND_BIT[_kind]
_STATISTIC_BIT, _REGULATORY_BIT, _SAFETY_BIT, _MECHANISM_BIT, _CITATION_BIT = (
    _KIND_BIT[k] for k in (ClaimKind.STATISTIC, ClaimKind.REGULATORY, ClaimKind.SAFETY, ClaimKind.MECHANISM, ClaimKind.CITATION)
)
_KINDS_OF_BITS: dict[int, tuple[ClaimKind, ...]] = {}  # bits -> the kinds, in KIND_CUES order
_SAFETY_TERMS = frozenset({"adverse_effect", "contraindication"})
_WEAK_LABELS = frozenset({"efficacy", "design", "population"})
_MECH_LABELS = frozenset({"mechanism", "history"})  # cues that have a clause matched to mechanism records


def _kinds(
    cues: Sequence[SpanLike],
    terms: Sequence[SpanLike],
    quantities: Sequence[str],
    citations: Sequence[CitationMarker],
    has_mechanism: bool,
) -> tuple[ClaimKind, ...]:
    """`quantities`: the kinds of the clause's quantities (their span labels)."""
    return _kinds_of({c.label_ for c in cues}, {t.label_ for t in terms}, quantities, citations, has_mechanism)


def _kinds_of(
    labels: set[str],
    term_kinds: set[str],
    quantities: Sequence[str],
    citations: Sequence[CitationMarker],
    has_mechanism: bool,
) -> tuple[ClaimKind, ...]:
    """`_kinds`, given the labels of the clause's cues and of its terms."""
    bits = 0
    for label in labels:
        bits |= _LABEL_BITS.get(label, 0)
    if quantities and not STAT_KINDS.isdisjoint(quantities):
        bits |= _STATISTIC_BIT
    if "regulator" in term_kinds:
        bits |= _REGULATORY_BIT
    if not term_kinds.isdisjoint(_SAFETY_TERMS):
        bits |= _SAFETY_BIT
    if has_mechanism:
        bits |= _MECHANISM_BIT
    if citations:
        bits |= _CITATION_BIT
    if not bits:
        return ()
    # A claim needs something to be about: a known term, a number, a citation or a strong cue.
    if not (term_kinds or quantities or citations or not labels <= _WEAK_LABELS):
        return ()
    kinds = _KINDS_OF_BITS.get(bits)
    if kinds is None:
        kinds = _KINDS_OF_BITS[bits] = tuple(kind for kind, bit in _KIND_BIT.items() if bits & bit)
    return kinds


def _certainty(
    clause: TokenRange,
    cues: Sequence[SpanLike],
    terms: Sequence[SpanLike],
    modifiers: Sequence[SpanLike],
    terminators: Sequence[SpanLike],
) -> tuple[tuple[Qualifier, ...], Certainty]:
    """Modifiers that govern the claim's predicate, and the certainty they set."""
    if not modifiers:  # most claims: nothing governs, only an absolute cue counts
        return (), Certainty.ABSOLUTE if any(c.label_ == "safety_absolute" for c in cues) else Certainty.ASSERTED
    absolute: list[tuple[int, int]] = []  # the absolute cues' token ranges
    predicates: list[SpanLike] = []
    for cue in cues:  # (one pass for both)
        label = cue.label_
        if label == "safety_absolute":
            absolute.append((cue.start, cue.end))
        if label in ANCHOR_CUES:
            predicates.append(cue)
    anchors: Sequence[TokenRange] = predicates or [clause]
    # many anchors (a huge one-clause text): bisection, not pairwise tests (`_overlap_test`)
    overlaps_anchor = _overlap_test(anchors) if len(anchors) > _FEW_RANGES else None
    governing: list[SpanLike] = []
    targets: list[tuple[int, int]] | None = None  # what a modifier may govern, read when first asked
    unabsolute: list[tuple[int, int]] | None = None  # `targets` a negation may govern (see below)
    stops: list[tuple[int, int]] | None = None  # the terminators' token ranges
    for modifier in modifiers:
        label, start, end = modifier.label_, modifier.start, modifier.end
        if label == "negation":
            if absolute and any(start < cue_end and cue_start < end for cue_start, cue_end in absolute):
                continue  # "no side effects" is an absolute claim, not a negated one
        elif label == "rebuttal":
            if not predicates:
                governing.append(modifier)  # "It is a myth that ..." rebuts the whole clause
                continue
        elif overlaps_anchor is not None:
            if overlaps_anchor(start, end):
                governing.append(modifier)
                continue
        else:
            for anchor in anchors:
                if start < anchor.end and anchor.start < end:
                    break
            else:
                anchor = None
            if anchor is not None:
                governing.append(modifier)
                continue
        if targets is None:
            targets = [(t.start, t.end) for t in (predicates or terms)]
            stops = [(t.start, t.end) for t in terminators]
        chosen = targets
        if label == "negation" and absolute:
            # "is not a narcotic and is not addictive": a negation never turns an absolute
            # safety claim ("not addictive") into a rejected one.
            if unabsolute is None:
                unabsolute = [
                    (first, last) for first, last in targets
                    if not any(first < cue_end and cue_start < last for cue_start, cue_end in absolute)
                ]
            chosen = unabsolute
        if _reaches_any(modifier.kb_id_ or "forward", start, end, chosen, stops or ()):
            governing.append(modifier)
    if not governing:  # (most claims with modifiers)
        return (), Certainty.ABSOLUTE if absolute else Certainty.ASSERTED
    qualifiers = []
    labels = {"absolute"} if absolute else set()
    for m in governing:
        label = m.label_
        labels.add(label)
        kind = QUALIFIER_KINDS.get(label)
        if kind is not None:
            qualifiers.append(_qualifier(kind, m.text, m.start_char, m.end_char))
    return tuple(qualifiers), _level(labels)


def _overlap_test(ranges: Sequence[TokenRange]) -> Callable[[int, int], bool]:
    """Whether a token range start-end overlaps one of `ranges`: the pairs tested one by one
    for the few ranges of most clauses, by bisection for the many of a huge one-clause text
    (where testing every modifier against every range would be quadratic)."""
    if len(ranges) <= _FEW_RANGES:
        return lambda start, end: any(start < r.end and r.start < end for r in ranges)
    ordered = sorted(ranges, key=lambda r: r.start)
    starts = [r.start for r in ordered]
    reach = list(itertools.accumulate((r.end for r in ordered), max))  # the furthest end so far

    def overlaps(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)  # the ranges starting before `end`
        return before > 0 and reach[before - 1] > start

    return overlaps


_FEW_RANGES = 16


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


def _reaches_any(
    direction: str, start: int, end: int, anchors: Sequence[tuple[int, int]], terminators: Sequence[tuple[int, int]]
) -> bool:
    """Does a modifier at tokens [start, end) govern one of the anchors (token ranges [start,
    end)): before it (`direction` "forward"), after it ("backward") or either, with none of
    the terminators' token ranges between them?"""
    forward, backward = direction != "backward", direction != "forward"
    if not terminators:  # (most clauses)
        return any((forward and end <= first) or (backward and last <= start) for first, last in anchors)
    for first, last in anchors:
        if forward and end <= first and not any(end <= t_start and t_end <= first for t_start, t_end in terminators):
            return True
        if backward and last <= start and not any(last <= t_start and t_end <= start for t_start, t_end in terminators):
            return True
    return False


SPAN_KEYS = ("cues", "terms", "quantities", "modifiers", "modifiers_terminators")


class TokenRange(Protocol):
    """Token offsets: a spaCy `Span`, a `SpanRecord` or `Bounds`."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class SpanLike(TokenRange, Protocol):
    """What claim extraction reads of a span: a spaCy `Span` or a `SpanRecord`."""

    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def label_(self) -> str: ...
    @property
    def kb_id_(self) -> str: ...
    @property
    def text(self) -> str: ...


class SpanRecord:
    """A span's fields, read once: spaCy builds a new `Span` and looks its label up in the
    string store on every access."""

    __slots__ = ("start", "end", "start_char", "end_char", "label_", "kb_id_", "_source")

    def __init__(self, span: Span, source: str, names: dict[int, str] | None = None) -> None:
        """`names`: string-store hashes already looked up (`Span.label_` is
        `doc.vocab.strings[span.label]`), added to as new ones are met."""
        self.start, self.end = span.start, span.end
        self.start_char, self.end_char = span.start_char, span.end_char
        if names is None:
            self.label_, self.kb_id_ = span.label_, span.kb_id_
        else:
            label, kb_id = span.label, span.kb_id
            found = names.get(label)
            self.label_ = found if found is not None else names.setdefault(label, span.label_)
            found = names.get(kb_id)
            self.kb_id_ = found if found is not None else names.setdefault(kb_id, span.kb_id_)
        self._source = source  # the doc's text

    @property
    def text(self) -> str:
        """`Span.text`: the doc's text between the span's offsets."""
        return self._source[self.start_char : self.end_char]


_SPAN_FIELDS = attrgetter("start", "end", "start_char", "end_char", "label", "kb_id")
# the strings of the span labels and knowledge-base ids met so far, by their string-store hash
# (the hash of the string itself): labels and ids recur from page to page
_NAMES: dict[int, str] = {}
_NAMES_KEPT = 50_000  # more (a base with as many ids) starts it afresh


def _records_and_starts(spans: list[Span], source: str) -> tuple[list[SpanRecord], list[int] | None]:
    """`[SpanRecord(s, source, names) for s in spans]`, the spans' fields read in one
    `attrgetter` call each and the records' slots set here (no `__init__` call per span); and
    the records' starts when they come sorted by (start, end) (the order `SpanTable` sorts
    them in; None otherwise), checked while they are read."""
    if not spans:
        return [], []
    strings = spans[0].doc.vocab.strings  # `Span.label_` is `doc.vocab.strings[span.label]`
    names = _NAMES  # (a hash names one string in every store)
    if len(names) > _NAMES_KEPT:
        names.clear()
    new = object.__new__
    records = []
    starts: list[int] | None = []
    last_start = last_end = -1
    for start, end, start_char, end_char, label, kb_id in map(_SPAN_FIELDS, spans):
        record = new(SpanRecord)
        record.start, record.end, record.start_char, record.end_char = start, end, start_char, end_char
        found = names.get(label)
        record.label_ = found if found is not None else names.setdefault(label, strings[label])
        found = names.get(kb_id)
        record.kb_id_ = found if found is not None else names.setdefault(kb_id, strings[kb_id])
        record._source = source
        records.append(record)
        if starts is not None:
            if start < last_start or (start == last_start and end < last_end):
                starts = None  # out of order: `SpanTable` sorts them
            else:
                starts.append(start)
                last_start, last_end = start, end
    return records, starts


class SpanTable:
    """A span group materialised once and indexed by start token, for fast per-clause look-ups.
    `text`: the doc's text (`doc_text`), when the caller has it."""

    def __init__(self, spans: Iterable[Span], text: str | None = None) -> None:
        listed = list(spans)
        source = text if text is not None or not listed else doc_text(listed[0].doc)
        self.in_order, starts = _records_and_starts(listed, source or "")  # the group's order
        if starts is not None:  # already by (start, end), as most groups come: the same list
            self.spans, self.starts = self.in_order, starts
        else:
            self.spans = sorted(self.in_order, key=attrgetter("start", "end"))
            self.starts = [s.start for s in self.spans]

    def within(self, container: TokenRange) -> list[SpanRecord]:
        return self.within_range(container.start, container.end)

    def within_range(self, start: int, end: int) -> list[SpanRecord]:
        """The spans inside the tokens [start, end), by start."""
        starts = self.starts
        low = bisect.bisect_left(starts, start)
        if low == len(starts) or starts[low] >= end:
            return []  # most clauses hold no span of a group
        high = bisect.bisect_left(starts, end, low + 1)
        return [s for s in self.spans[low:high] if s.end <= end]


# A clause's spans of each group of `SPAN_KEYS` (cues, terms, quantities, modifiers, terminators)
ClauseSpans = tuple[
    Sequence["SpanRecord"], Sequence["SpanRecord"], Sequence["SpanRecord"], Sequence["SpanRecord"], Sequence["SpanRecord"]
]


def _by_clause(spans: Sequence[SpanRecord], firsts: Sequence[int], lasts: Sequence[int]) -> dict[int, list[SpanRecord]]:
    """The spans (by (start, end), as `SpanTable.spans`) within each clause that holds one:
    clause number -> `SpanTable.within_range(firsts[number], lasts[number])`, for clauses
    whose token ranges [firsts[n], lasts[n]) are in order and do not overlap."""
    found: dict[int, list[SpanRecord]] = {}
    count = len(firsts)
    if not count:
        return found
    clause, last = 0, lasts[0]
    bucket: list[SpanRecord] = []
    bucket_clause = -1  # the clause `bucket` holds the spans of
    for span in spans:
        start = span.start
        if start >= last:  # past the clause: on to the one the span may be in
            clause += 1
            while clause < count and lasts[clause] <= start:
                clause += 1  # (the spans come by start: no later span is in a clause passed)
            if clause == count:
                break
            last = lasts[clause]
        if firsts[clause] <= start and span.end <= last:
            if bucket_clause == clause:
                bucket.append(span)
            else:
                bucket = found[clause] = [span]
                bucket_clause = clause
    return found


def _quantities(spans: Sequence[SpanLike]) -> tuple[Quantity, ...]:
    quantities = []
    parsed_before = _PARSED
    for span in spans:
        label, text = span.label_, span.text
        parsed = parsed_before.get((label, text))
        if parsed is None:
            if len(parsed_before) >= _PARSED_KEPT:
                parsed_before.clear()
            parsed = parsed_before[label, text] = parse_quantity(label, text)
        quantities.append(_quantity(label, parsed.value, text, span.start_char, span.end_char, parsed.upper, parsed.unit))
    return tuple(quantities)


# `parse_quantity`'s answers by (label, text): quantity phrases ("50%", "2 weeks", "within
# hours") recur from page to page; a parsed quantity is immutable
_PARSED: dict[tuple[str, str], ParsedQuantity] = {}
_PARSED_KEPT = 4096  # more starts it afresh


_NO_START = ("•", "-", "–", "*", "·")  # the bullet tokens a clause does not start with
_BULLET_CHARACTERS = "".join(_NO_START)  # (each one character)


class _Tokens:
    """Per-token facts of a doc read in one pass (`doc.to_array`), so clause splitting and
    trimming never build `Token` objects: the ";" tokens, which tokens a clause may not start
    with (spaces and bullets) or end with (spaces), sentence starts and token offsets.
    `text`: the doc's text (`doc_text`), when the caller has it."""

    __slots__ = ("doc", "semicolons", "space", "sentence_starts", "idx", "words", "_spacy", "_text_end", "_text")

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.doc = doc
        self.idx: list[int]
        self._spacy: list[int]
        if not len(doc):
            self.semicolons, self.space, self.sentence_starts, self.idx, self._spacy = [], [], [], [], []
            self.words, self._text_end, self._text = 0, 0, ""
            return
        text = doc_text(doc) if text is None else text
        array = doc.to_array([IS_SPACE, IS_PUNCT])  # (offsets: `CharIndex`'s; spaces: `token_spaces`)
        self.words = len(array) - int(numpy.count_nonzero(numpy.logical_or(array[:, 0], array[:, 1])))  # facts.py `_word_count`
        self.space = array[:, 0].astype(bool).tolist()
        # what `Span.sent` and `doc.sents` take for sentence starts: token 0, and every token
        # whose sent_start is 1 (the sentence splitter's, as it set them)
        kept = kept_sentence_starts(doc)
        if kept is None:
            starts = doc.to_array(SENT_START) == 1
            starts[0] = True
            kept = numpy.flatnonzero(starts).tolist()
        self.sentence_starts = kept
        self.idx = CharIndex.of(doc).starts  # token offsets, as the pipeline's components read them
        # a token ends where the next one starts, less its trailing space (`end`): read only at
        # clause ends, not listed for every token
        self._spacy, self._text_end, self._text = token_spaces(doc), len(text), text  # (the sentence splitter's)
        # the ";" tokens, found in the text: a token is one when it spans exactly one ";"
        self.semicolons = self._exactly(text, ";")

    def no_start(self, token: int) -> bool:
        """A clause does not start with the token: a space, or a bullet (a token that is one
        `_NO_START` character). Asked at clause starts only, not worked out for every token."""
        if self.space[token]:
            return True
        at = self.idx[token]
        return self._text[at] in _BULLET_CHARACTERS and self.end(token) == at + 1

    def end(self, token: int) -> int:
        """Where the token's text ends (`token.idx + len(token)`): `token_end`, inlined (asked
        at every clause's end)."""
        idx = self.idx
        return (idx[token + 1] if token + 1 < len(idx) else self._text_end) - self._spacy[token]

    @property
    def ends(self) -> list[int]:
        """Every token's `end`."""
        return [self.end(token) for token in range(len(self.idx))]

    def _exactly(self, text: str, char: str) -> list[int]:
        """The tokens (in order) whose text is `char`."""
        found, idx, end = [], self.idx, self.end
        at = text.find(char)
        while at >= 0:
            token = bisect.bisect_right(idx, at) - 1
            if token >= 0 and idx[token] == at and end(token) == at + 1:
                found.append(token)
            at = text.find(char, at + 1)
        return found

    def sentence_start_char(self, token: int) -> int:
        """`doc[token].sent.start_char`."""
        first = self.sentence_starts[bisect.bisect_right(self.sentence_starts, token) - 1]
        return int(self.idx[first])

    def bounds(self, start: int, end: int) -> "Bounds":
        """The tokens [start, end) (not empty) as `doc[start:end]` would give them."""
        return Bounds(start, end, self.idx[start], self.end(end - 1))

    def sentences(self) -> Iterable["Bounds"]:
        """`doc.sents`, as bounds."""
        return [self.bounds(start, end) for start, end in self.sentence_ranges()]

    def sentence_ranges(self) -> list[tuple[int, int]]:
        """`doc.sents`, as token ranges [start, end)."""
        if not self.doc.has_annotation("SENT_START"):
            list(self.doc.sents)  # raises ValueError, as doc.sents does
        starts = self.sentence_starts
        return list(zip(starts, starts[1:] + [len(self.doc)]))


class Bounds:
    """A span's token and character offsets, without the spaCy `Span` (clauses, sentences)."""

    __slots__ = ("start", "end", "start_char", "end_char")

    def __init__(self, start: int, end: int, start_char: int, end_char: int) -> None:
        self.start, self.end, self.start_char, self.end_char = start, end, start_char, end_char

    def __len__(self) -> int:
        return self.end - self.start


def _clauses(sentence: "Bounds | Span", tokens: _Tokens) -> list[Bounds]:
    """A sentence split at semicolons into independent clauses (trimmed of spaces)."""
    return [tokens.bounds(*clause) for clause in _clause_ranges(sentence.start, sentence.end, tokens)]


def _clause_ranges(sentence_start: int, sentence_end: int, tokens: _Tokens) -> list[tuple[int, int]]:
    """`_clauses` of the sentence's tokens [sentence_start, sentence_end), as token ranges."""
    semicolons = tokens.semicolons
    bounds, start = [], sentence_start
    first = bisect.bisect_left(semicolons, sentence_start)
    if first == len(semicolons) or semicolons[first] >= sentence_end:  # most sentences: one clause
        trimmed = _trimmed(start, sentence_end, tokens)
        return [] if trimmed is None else [trimmed]
    last = bisect.bisect_left(semicolons, sentence_end)
    for index in semicolons[first:last]:
        if index > start:
            bounds.append((start, index))
            start = index + 1
    bounds.append((start, sentence_end))
    return [trimmed for start, end in bounds if (trimmed := _trimmed(start, end, tokens)) is not None]


def _trimmed(start: int, end: int, tokens: _Tokens) -> tuple[int, int] | None:
    """Token bounds without leading spaces and bullets or trailing spaces; None under 3 tokens."""
    no_start, space = tokens.no_start, tokens.space
    while start < end and no_start(start):
        start += 1
    while end > start and space[end - 1]:
        end -= 1
    if end - start < 3:
        return None
    return start, end


_MECH_WORDS = compiled(r"veterinar|glutamin|rewir|regrow|neuro|synap|receptor|brain|damage|discover|invent|synthesi", re.I)  # history words: misconception records judge them


_MECH_NEEDLES = tuple(needles(_MECH_WORDS) or ())  # one of them is in every match


def _page_extra() -> tuple[str, ...]:
    """The literals the page's haystack finds besides its facts' (`facts.page_haystack`): the
    mechanism words', those coverage looks for in the page (`coverage.page_literals`) and
    those rules read from it (`facts.read_from_page`), asked again when a reader is added."""
    return _page_extra_of(readers_count())


@cache
def _page_extra_of(readers: int) -> tuple[str, ...]:
    """`_page_extra` while there are `readers` page readers."""
    from claimaudit.claims.coverage import page_literals

    return tuple(dict.fromkeys((*_MECH_NEEDLES, *page_literals(), *readers_literals())))


def _has_mech_words(text: str, occurrences: Occurrences | None = None, start: int = 0) -> bool:
    """`occurrences`: of the pattern's literals in the folded doc text, where `text` starts at
    `start`: the pattern runs only when one of them is inside the text."""
    if occurrences is not None and _MECH_NEEDLES and not occurrences.any_within(start, start + len(text)):
        return False
    return bool(_MECH_WORDS.search(text))


def _topics(
    doc: Doc, lookup: "KnowledgeLookup", terms: Sequence[SpanLike] | None = None
) -> tuple[str | None, str | None]:
    """The page's most-mentioned focus substance and indication. `terms`: the doc's "terms"
    spans in their group's order, when the caller has them."""
    return _PageTerms(lookup, doc.spans["terms"] if terms is None else terms).topics()


class _PageTerms:
    """What the page's "terms" spans (in their group's order) tell, read in one pass: the
    substances and the indications it names (in order of first mention, with how often), and
    its focus substances' mentions."""

    __slots__ = ("substances", "indications", "focus", "_focus_terms")

    def __init__(self, lookup: "KnowledgeLookup", terms: Sequence[SpanLike]) -> None:
        self.substances: dict[str, None] = {}
        self.indications: dict[str, int] = {}
        self.focus: dict[str, int] = {}  # focus substance -> mentions
        self._focus_terms: list[SpanLike] = []
        is_focus: dict[str, bool] = {}  # (each substance's record looked up once)
        for term in terms:
            label = term.label_
            if label == "substance":
                kb_id = term.kb_id_
                self.substances[kb_id] = None
                focus = is_focus.get(kb_id)
                if focus is None:
                    record = lookup.substance(kb_id)
                    focus = is_focus[kb_id] = record is not None and bool(record.focus)
                if focus:
                    self.focus[kb_id] = self.focus.get(kb_id, 0) + 1
                    self._focus_terms.append(term)
            elif label == "indication":
                kb_id = term.kb_id_
                self.indications[kb_id] = self.indications.get(kb_id, 0) + 1

    def topics(self) -> tuple[str | None, str | None]:
        """The most-mentioned focus substance and indication (the first in order among equals)."""
        return _most(self.focus), _most(self.indications)

    def focus_mentions(self, tokens: "_Tokens") -> list[tuple[int, str]]:
        """(sentence start, substance) for every sentence naming a focus substance: the first one
        it names, which is usually its subject ("Esketamine (Spravato) is a form of ketamine")."""
        firsts: dict[int, tuple[int, str]] = {}
        for term in self._focus_terms:
            sentence_start = tokens.sentence_start_char(term.start)  # term.sent.start_char
            first = firsts.get(sentence_start)
            if first is None or term.start_char < first[0]:
                firsts[sentence_start] = (term.start_char, term.kb_id_)
        return sorted((start, substance) for start, (_offset, substance) in firsts.items())


def _most(counts: dict[str, int]) -> str | None:
    """The key with the highest count, the first one in order among equals."""
    return max(counts.items(), key=itemgetter(1))[0] if counts else None


ANTECEDENT_WINDOW = 400  # characters back to look for the substance "it" refers to


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
