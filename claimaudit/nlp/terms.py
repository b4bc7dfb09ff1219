"""Knowledge-driven term recognition: substances, indications, regulators, adverse effects...

The lexicon comes from the knowledge base (`KnowledgeLookup.lexicon()`), never from code.
Short all-capital abbreviations (GAD, SAD, OCD) match case-sensitively (an "I" in one also as
the Turkish "İ"); everything else case-insensitively, on LOWER (which reads "İ" and "ı" as
"i"). Overlaps keep the longest match ("treatment-resistant depression" over
"depression").
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Protocol

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from claimaudit.nlp.spans import set_group


class LexiconEntry(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def entity_id(self) -> str: ...

    @property
    def phrase(self) -> str: ...


@Language.factory("claimaudit_terms", assigns=["doc.spans"], default_config={"spans_key": "terms"})
def make_term_matcher(nlp: Language, name: str, spans_key: str) -> "TermMatcher":
    return TermMatcher(nlp, spans_key=spans_key)


class TermMatcher:
    """Marks every knowledge-base term in `doc.spans[spans_key]` (label = kind, kb_id = entity id)."""

    def __init__(self, nlp: Language, *, spans_key: str = "terms") -> None:
        self.nlp = nlp
        self.spans_key = spans_key
        self.case_sensitive = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.case_insensitive = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.entries: dict[str, tuple[str, str]] = {}
        self._ids: dict[int, tuple[int, int]] = {}  # match id: hashes of kind and entity id

    def load_lexicon(self, entries: Iterable[LexiconEntry]) -> None:
        """Compile the lexicon once (called by the pipeline builder)."""
        for entry in entries:
            phrase = entry.phrase.strip()
            if not phrase:
                continue
            key = f"{entry.kind}|{entry.entity_id}"
            self.entries[key] = (entry.kind, entry.entity_id)
            exact = _is_abbreviation(phrase)
            matcher = self.case_sensitive if exact else self.case_insensitive
            # an abbreviation typed on a Turkish keyboard has "İ" for "I" ("SSRİ"; LOWER folds it
            # for the other terms, see nlp/lexattrs.py)
            variants = {phrase, phrase.replace("I", "\u0130")} if exact else {phrase, phrase.lower()}
            for variant in variants:
                matcher.add(key, [self.nlp.make_doc(variant)])

    def __call__(self, doc: Doc) -> Doc:
        found = [(start, end, match_id) for match_id, start, end in self.case_sensitive(doc)]
        found += [(start, end, match_id) for match_id, start, end in self.case_insensitive(doc)]
        spans = []
        known = self._ids
        for start, end, match_id in filter_matches(found):
            ids = known.get(match_id)
            if ids is None:
                kind, entity_id = self.entries[self.nlp.vocab.strings[match_id]]
                ids = known[match_id] = (self.nlp.vocab.strings.add(kind), self.nlp.vocab.strings.add(entity_id))
            spans.append(Span(doc, start, end, label=ids[0], kb_id=ids[1]))
        set_group(doc, self.spans_key, spans)
        return doc


def filter_matches(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """`spacy.util.filter_spans` on (start, end, id) tuples: the longest (then first) of
    overlapping matches, in order of start; no Span is made for the dropped ones.

    Matches overlapping nothing are kept as they are; only each run of overlapping ones
    (matches by start, each overlapping the run so far) is sorted by length: a match competes
    only with those it overlaps, so the choice is filter_spans' own."""
    ordered = sorted(matches, key=_start)  # stable: equal matches keep their order
    kept: list[tuple[int, int, int]] = []
    run: list[tuple[int, int, int]] = []
    reach = -1
    for match in ordered:
        if match[0] >= reach:
            if len(run) > 1:
                kept.extend(_longest_first(run))
            elif run:
                kept.append(run[0])
            run = [match]
            reach = match[1]
        else:
            run.append(match)
            reach = max(reach, match[1])
    kept.extend(_longest_first(run) if len(run) > 1 else run)
    return kept


_start = operator.itemgetter(0)


def _longest_first(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """filter_spans' choice among matches: longest, then first, dropping any overlapping one kept."""
    ordered = sorted(matches, key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
    kept = []
    seen: set[int] = set()
    for match in ordered:
        start, end = match[0], match[1]
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    return sorted(kept, key=_start)


def _is_abbreviation(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and len(phrase) <= 6 and all(c.isupper() for c in letters)
