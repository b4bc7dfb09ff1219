"""Invariants of the bundled content: every fact sourced, facts.md numbers encoded faithfully."""

from __future__ import annotations

import re

import pytest

from claimaudit.knowledge_base.load import KINDS
from claimaudit.knowledge_base.model import KnowledgeBase

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_every_record_has_a_dated_linked_source(bundled_kb: KnowledgeBase) -> None:
    for kind in KINDS:
        for rid, record in getattr(bundled_kb, kind).items():
            assert record.sources, rid
            for source in record.sources:
                assert ISO.match(source.checked), rid
                assert source.link.startswith("https://") or source.link.startswith("http://"), rid


def test_every_study_has_pmid_doi_or_url(bundled_kb: KnowledgeBase) -> None:
    for study in bundled_kb.studies.values():
        assert study.pmid or study.doi or study.url, study.id
        assert study.link, study.id


def test_expected_coverage(bundled_kb: KnowledgeBase) -> None:
    assert {"ketamine", "esketamine", "arketamine", "midazolam", "ssris"} <= set(
        bundled_kb.substances
    )
    assert not bundled_kb.substances["midazolam"].focus
    assert {
        "gad",
        "sad",
        "panic_disorder",
        "trd",
        "mdd",
        "mdd_si",
        "ptsd",
        "ocd",
        "chronic_pain",
        "bipolar_depression",
        "substance_use_disorders",
        "anaesthesia",
    } <= set(bundled_kb.indications)
    assert {"fda", "health_canada", "ema", "mhra", "tga"} == set(bundled_kb.regulators)
    mechanisms = {m.id.split("-")[0] for m in bundled_kb.mechanisms.values()}
    assert {f"m{i:02d}" for i in range(1, 18)} <= mechanisms


@pytest.mark.parametrize(
    ("study", "n", "design", "randomized"),
    [
        ("glue2017", 12, "open_label", False),  # not an RCT
        ("glue2020", 12, "controlled_trial", True),  # N=12, not 28
        ("taylor2018", 18, "crossover_rct", True),
        ("murrough2013bp", 24, "open_label", False),
        ("abdallah2022", 158, "rct", True),
    ],
)
def test_study_designs_match_the_evidence(
    bundled_kb: KnowledgeBase, study: str, n: int, design: str, randomized: bool
) -> None:
    record = bundled_kb.studies[study]
    assert (record.n, record.design, record.randomized) == (n, design, randomized)


def test_unverified_numbers_are_flagged(bundled_kb: KnowledgeBase) -> None:
    zarate = {
        o.value: o.verified
        for o in bundled_kb.studies["zarate2006"].outcomes
        if o.measure == "response"
    }
    assert zarate == {71.0: False, 35.0: False}
    taylor = [o for o in bundled_kb.studies["taylor2018"].outcomes if o.measure == "response"]
    assert all(o.verified for o in taylor)
    assert taylor[0].definition == "LSAS reduction greater than 35%"


def test_no_absolute_contraindication_without_a_label(bundled_kb: KnowledgeBase) -> None:
    for record in bundled_kb.contraindications.values():
        if record.kind == "absolute":
            assert record.substances == ("esketamine",), record.id
