"""Memoized and indexed lookups answer exactly as the direct computations over the base do."""

from __future__ import annotations

import itertools
import random

from claimaudit.knowledge_base.lookup import KnowledgeLookup, _fold, _trigger_matches
from claimaudit.knowledge_base.model import Mechanism


def _direct_mechanisms(lookup: KnowledgeLookup, text: str) -> tuple[Mechanism, ...]:
    """mechanisms_matching as a plain search of every trigger and exclude term."""
    lowered = _fold(text)
    hits = []
    for order, compiled in enumerate(lookup._mechanisms):
        if any(_trigger_matches(t, lowered) for t in compiled.exclude):
            continue
        best = max((len(t) for t in compiled.triggers if _trigger_matches(t, lowered)), default=0)
        if best:
            hits.append((not compiled.mechanism.misconception, -best, order, compiled.mechanism))
    return tuple(hit[3] for hit in sorted(hits, key=lambda h: h[:3]))


def _texts(lookup: KnowledgeLookup) -> list[str]:
    """Sentences made of the base's own trigger words, with accents, capitals and dashes."""
    words = sorted(
        {w.replace("*", "") for m in lookup.kb.mechanisms.values() for t in (*m.triggers, *m.exclude)
         for term in t for w in term.split("|")}
    )
    rng = random.Random(12)
    texts = ["", "Nothing to see here.", "Ketamine café – naïve Ḱetamine", "FDA-approved, Schedule III"]
    for _ in range(300):
        picked = rng.sample(words, rng.randint(1, 5))
        joiner = rng.choice([" ", "-", " and ", ", "])
        text = joiner.join(picked)
        texts.append(text.upper() if rng.random() < 0.2 else text.capitalize() + " helps.")
    return texts


def test_mechanisms_matching_equals_direct_search(lookup: KnowledgeLookup) -> None:
    for text in _texts(lookup):
        assert tuple(lookup.mechanisms_matching(text)) == _direct_mechanisms(lookup, text), text


def test_fold_ascii_shortcut_equals_full_fold() -> None:
    import unicodedata

    def full(text: str) -> str:
        text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")
        text = text.replace("\u2013", "-").replace("\u2014", "-")
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()

    for text in ("Plain ASCII Text, 100%", "Straße Ǆ ǅ", "café – it’s", "İstanbul ﬁne", ""):
        assert _fold(text) == full(text)


def test_memoized_queries_equal_fresh_lookup(lookup: KnowledgeLookup) -> None:
    fresh = KnowledgeLookup(lookup.kb)
    indications = [*lookup.kb.indications, "unknown_condition", ""]
    substances = [*lookup.kb.substances, "unknown_drug"]
    regulator_sets = [None, (), tuple(lookup.kb.regulators)[:1], tuple(lookup.kb.regulators)]
    for _ in range(2):  # the second round answers from the memo
        for indication in indications:
            assert lookup.indication_ancestors(indication) == fresh._indication_ancestors(indication)
            assert lookup.indication_descendants(indication) == fresh._indication_descendants(indication)
        for substance in substances:
            assert lookup.substance_family(substance) == fresh._substance_family(substance)
            assert lookup.approvals_for(substance) == fresh._approvals_for(substance, None, None)
            for indication in indications[:6]:
                assert lookup.studies_for(substance, indication) == fresh._studies_for(substance, indication)
                assert lookup.assessment_for(substance, indication) == KnowledgeLookup(lookup.kb).assessment_for(
                    substance, indication
                )
                for regulators in regulator_sets:
                    assert lookup.approval_status(substance, indication, regulators) == fresh._approval_status(
                        substance, indication, regulators
                    )
    # a generator of regulators is read once, like a tuple
    first = next(itertools.islice(lookup.kb.regulators, 1), None)
    if first:
        answer = lookup.approval_status("ketamine", "mdd", (r for r in [first]))
        assert answer == fresh._approval_status("ketamine", "mdd", (first,))


def test_candidate_terms_hold_every_matching_term(lookup: KnowledgeLookup) -> None:
    """The word-start index keeps every term that occurs, whatever stands around the words."""
    terms = {p for c in lookup._mechanisms for t in (*c.triggers, *c.exclude) for p in t}
    rng = random.Random(5)
    texts = _texts(lookup)
    for text in list(texts):
        glue = rng.choice(["_", "'", "2", "x", "é", "-", "’s "])
        texts.append(glue.join(text.split(" ")))
        texts.append(glue + text + glue)
    for text in texts:
        lowered = _fold(text)
        candidates = lookup._candidate_terms(lowered)
        for term in terms:
            if term.search(lowered):
                assert term in candidates, (text, term.pattern)
