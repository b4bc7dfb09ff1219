"""Claim extraction's shortcuts answer as the direct computations they stand for."""

from __future__ import annotations

import itertools

from claimaudit.claims import extract
from claimaudit.claims.coverage import _unrecorded, unrecorded_conditions
from claimaudit.claims.model import Certainty, Claim, ClaimKind, Mention
from claimaudit.findings.model import SourceSpan
from claimaudit.nlp.quantities import parse_quantity


def _reaches(direction, start, end, anchor_start, anchor_end, terminators) -> bool:  # type: ignore[no-untyped-def]
    """The reference: a modifier governs one anchor, with no terminator between them."""
    def terminated(first: int, last: int) -> bool:
        return any(first <= t.start and t.end <= last for t in terminators)

    if direction != "backward" and end <= anchor_start and not terminated(end, anchor_start):
        return True
    return direction != "forward" and anchor_end <= start and not terminated(anchor_end, start)


def test_reaching_any_anchor_is_reaching_one_of_them() -> None:
    """`_reaches_any` over token ranges is `any(_reaches(...))` over the anchors, for every
    direction, with and without terminators between modifier and anchor."""
    ranges = [(0, 1), (2, 4), (5, 6), (7, 9)]
    terminator_sets = [[], [(1, 2)], [(4, 5)], [(1, 2), (6, 7)], [(3, 8)]]
    for direction in ("forward", "backward", "either"):
        for start, end in ranges:
            for count in range(len(ranges) + 1):
                for anchors in itertools.combinations(ranges, count):
                    for stops in terminator_sets:
                        records = [_Range(first, last) for first, last in stops]
                        expected = any(
                            _reaches(direction, start, end, first, last, records) for first, last in anchors
                        )
                        assert extract._reaches_any(direction, start, end, list(anchors), stops) is expected


class _Range:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


class _Quantity:
    """A quantity span as `_quantities` reads it."""

    def __init__(self, label: str, text: str, start: int) -> None:
        self.label_, self.text, self.start_char, self.end_char = label, text, start, start + len(text)


def test_quantities_parsed_before_are_the_ones_parsed_afresh() -> None:
    spans = [
        _Quantity("percent", "70%", 0), _Quantity("duration", "within hours", 10), _Quantity("ci", "95% CI 1.2-3.4", 30),
        _Quantity("dose", "0.5 mg/kg", 50), _Quantity("percent", "more than half", 60), _Quantity("percent", "70%", 80),
    ]
    extract._PARSED.clear()
    for _ in range(2):  # parsed, then remembered
        quantities = extract._quantities(spans)
        for quantity, span in zip(quantities, spans):
            parsed = parse_quantity(span.label_, span.text)
            assert (quantity.kind, quantity.value, quantity.upper, quantity.unit) == (
                span.label_, parsed.value, parsed.upper, parsed.unit
            )
            assert (quantity.text, quantity.start, quantity.end) == (span.text, span.start_char, span.end_char)


def test_unrecorded_conditions_read_the_claims_indications_only_at_a_match() -> None:
    text = "Ketamine helps migraine and depression."
    cases = (((), ("migraine",)), ((Mention("indication", "migraine", "migraine", 15, 23),), ()))
    for mentions, expected in cases:
        claim = Claim(
            "c1", (ClaimKind.EFFICACY,), text, SourceSpan(0, len(text), 1, 1, 1, len(text) + 1), 0, len(text),
            Certainty.ASSERTED,
            mentions=mentions,
        )
        folded = text.lower()
        present = {literal for literal in ("migraine", "depression", "pain") if literal in folded}
        assert _unrecorded(claim, present) == unrecorded_conditions(claim) == expected


PAGE = """Ketamine and esketamine for depression

Ketamine helps depression. Esketamine (Spravato) is approved for depression; ketamine is not.
It may help PTSD and anxiety. Psilocybin and ketamine were compared in depression and PTSD.
Esketamine works within hours. Esketamine is approved for depression in adults.
"""


def _topics(doc, lookup):  # type: ignore[no-untyped-def]
    """The reference: the most-mentioned focus substance and indication, by Counter."""
    from collections import Counter

    substances: Counter[str] = Counter()
    indications: Counter[str] = Counter()
    for term in doc.spans["terms"]:
        if term.label_ == "substance":
            record = lookup.substance(term.kb_id_)
            if record is not None and record.focus:
                substances[term.kb_id_] += 1
        elif term.label_ == "indication":
            indications[term.kb_id_] += 1
    return (substances.most_common(1)[0][0] if substances else None,
            indications.most_common(1)[0][0] if indications else None)


def _focus_mentions(lookup, tokens, terms):  # type: ignore[no-untyped-def]
    """The reference: (sentence start, first focus substance named) per sentence."""
    firsts: dict[int, tuple[int, str]] = {}
    for term in terms:
        record = lookup.substance(term.kb_id_) if term.label_ == "substance" else None
        if record is None or not record.focus:
            continue
        sentence_start = tokens.sentence_start_char(term.start)
        if sentence_start not in firsts or term.start_char < firsts[sentence_start][0]:
            firsts[sentence_start] = (term.start_char, term.kb_id_)
    return sorted((start, substance) for start, (_offset, substance) in firsts.items())


def test_the_page_terms_pass_gives_the_topics_and_focus_mentions(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.nlp.spans import doc_text

    doc = auditor.nlp(PAGE)
    terms = extract.SpanTable(doc.spans["terms"], doc_text(doc)).in_order
    tokens = extract._Tokens(doc, doc_text(doc))
    page = extract._PageTerms(auditor.lookup, terms)
    assert page.topics() == _topics(doc, auditor.lookup) == extract._topics(doc, auditor.lookup, terms)
    assert page.focus_mentions(tokens) == _focus_mentions(auditor.lookup, tokens, terms)
    assert page.focus_mentions(tokens)  # (the page names focus substances)
    assert tuple(page.substances) == tuple(dict.fromkeys(t.kb_id_ for t in terms if t.label_ == "substance"))
    assert tuple(page.indications) == tuple(dict.fromkeys(t.kb_id_ for t in terms if t.label_ == "indication"))
    assert len(page.indications) > 1


def test_the_most_mentioned_is_the_first_among_equals() -> None:
    assert extract._most({}) is None
    assert extract._most({"a": 1, "b": 2, "c": 2}) == "b"
    assert extract._most({"a": 3, "b": 2}) == "a"


def test_spans_by_clause_are_the_ones_each_clause_looks_up(auditor) -> None:  # type: ignore[no-untyped-def]
    """`_by_clause` gives each clause what `SpanTable.within_range` gives it, for a page's
    groups and for made-up spans (crossing clause ends, nested, before and after every clause)."""
    from claimaudit.nlp.spans import doc_text

    doc = auditor.nlp(PAGE + "It is safe; it is not addictive ; the effect may fade after a week.\n")
    text = doc_text(doc)
    tokens = extract._Tokens(doc, text)
    clauses = [c for s in tokens.sentence_ranges() for c in extract._clause_ranges(s[0], s[1], tokens)]
    firsts, lasts = [c[0] for c in clauses], [c[1] for c in clauses]
    for key in extract.SPAN_KEYS:
        table = extract.SpanTable(doc.spans[key], text)
        found = extract._by_clause(table.spans, firsts, lasts)
        assert [found.get(n, []) for n in range(len(clauses))] == [table.within_range(f, l) for f, l in clauses]
    made_up = [
        _Span(start, end) for start in range(0, 30) for end in range(start + 1, min(start + 6, 31))
    ]
    made_up.sort(key=lambda s: (s.start, s.end))
    firsts, lasts = [2, 8, 9, 20], [7, 9, 15, 24]
    found = extract._by_clause(made_up, firsts, lasts)  # type: ignore[arg-type]
    for number, (first, last) in enumerate(zip(firsts, lasts)):
        expected = [s for s in made_up if first <= s.start < last and s.end <= last]
        assert found.get(number, []) == expected


class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def test_a_quantity_seen_before_is_not_parsed_again_and_the_memo_stays_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[tuple[str, str]] = []

    def counted(label: str, text: str):  # type: ignore[no-untyped-def]
        calls.append((label, text))
        return parse_quantity(label, text)

    monkeypatch.setattr(extract, "parse_quantity", counted)
    monkeypatch.setattr(extract, "_PARSED_KEPT", 3)
    extract._PARSED.clear()
    extract._quantities([_Quantity("percent", "70%", 0), _Quantity("percent", "70%", 9)])
    assert calls == [("percent", "70%")]  # the second is the first's answer
    extract._quantities([_Quantity("percent", f"{n}%", 0) for n in range(10)])
    assert len(extract._PARSED) <= 3
    extract._PARSED.clear()
