"""The Span objects the components keep (nlp/spans.py set_group) are the spans of their groups."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from claimaudit.claims.extract import SPAN_KEYS
from claimaudit.nlp.spans import GROUPS_KEY, extend_group, group_spans, set_group

TEXT = (
    "Ketamine infusions reduced depression scores by 50% within 24 hours in a 2019 trial (Smith et al., 2019). "
    "It may be FDA-approved for treatment-resistant depression; studies show lasting relief for weeks. "
    "Esketamine is not a cure, but research suggests it works fast."
)


def _fields(spans: object) -> list[tuple[int, int, int, int, str, str]]:
    return [(s.start, s.end, s.start_char, s.end_char, s.label_, s.kb_id_) for s in spans]  # type: ignore[attr-defined]


def test_kept_spans_are_the_groups(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    keys = (*SPAN_KEYS, "references", "citations")
    assert set(keys) <= set(doc.user_data[GROUPS_KEY])
    for key in keys:
        assert _fields(group_spans(doc, key)) == _fields(doc.spans[key])
    assert any(len(doc.spans[key]) for key in SPAN_KEYS)


def test_a_replaced_or_changed_group_is_read_from_spacy() -> None:
    doc = spacy.blank("en")("one two three four five")
    set_group(doc, "k", [Span(doc, 0, 1, label="a"), Span(doc, 2, 4, label="b")])
    extend_group(doc, "k", [Span(doc, 4, 5, label="c")])
    assert _fields(group_spans(doc, "k")) == _fields(doc.spans["k"])
    assert [s.label_ for s in group_spans(doc, "k")] == ["a", "b", "c"]
    doc.spans["k"].append(Span(doc, 1, 2, label="d"))  # changed behind set_group's back
    assert [s.label_ for s in group_spans(doc, "k")] == ["a", "b", "c", "d"]
    doc.spans["k"] = [Span(doc, 1, 3, label="e")]  # replaced
    assert [s.label_ for s in group_spans(doc, "k")] == ["e"]
    doc.spans["plain"] = [Span(doc, 0, 2, label="f")]  # never kept
    assert [s.label_ for s in group_spans(doc, "plain")] == ["f"]
