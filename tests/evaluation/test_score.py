"""Matching semantics of the evaluation harness (the seed gold README's counting rule)."""

from __future__ import annotations

from pathlib import Path

from claimaudit.evaluation.gold import GoldClaim, GoldDocument, GoldFinding
from claimaudit.evaluation.score import Prediction, score_documents


def gold(findings: list[GoldFinding], claims: list[GoldClaim] | None = None) -> GoldDocument:
    return GoldDocument("doc.txt", Path("doc.txt"), tuple(claims or ()), tuple(findings))


def pred(family: str, start: int, end: int, severity: str = "warning", omits: str | None = None) -> Prediction:
    return Prediction("doc.txt", family, severity, start, end, "t", "m", family + "001", omits)


def test_same_family_overlapping_spans_match_one_to_one() -> None:
    document = gold([GoldFinding("EVI", "warning", 10, 50, "t", "w")])
    score = score_documents([(document, [pred("EVI", 40, 60), pred("EVI", 0, 20)])])
    assert (score.overall.tp, score.overall.fp, score.overall.fn) == (1, 1, 0)


def test_greedy_pairs_by_largest_overlap() -> None:
    document = gold([GoldFinding("CITE", "info", 0, 10, "a", "w"), GoldFinding("CITE", "info", 10, 30, "b", "w")])
    # The long prediction overlaps the second gold most; the short one takes the first.
    score = score_documents([(document, [pred("CITE", 5, 30), pred("CITE", 0, 6)])])
    assert score.overall.tp == 2


def test_family_mismatch_is_a_miss_and_a_false_positive() -> None:
    document = gold([GoldFinding("STAT", "error", 0, 10, "t", "w")])
    score = score_documents([(document, [pred("CITE", 0, 10)])])
    assert (score.by_family["STAT"].fn, score.by_family["CITE"].fp) == (1, 1)


def test_disc_requires_equal_omits() -> None:
    document = gold([GoldFinding("DISC", "warning", -1, -1, "", "w", omits="sources")])
    score = score_documents([(document, [pred("DISC", 0, 0, omits="side_effects"), pred("DISC", 0, 0, omits="sources")])])
    assert (score.overall.tp, score.overall.fp) == (1, 1)


def test_serious_only_drops_info_on_both_sides() -> None:
    document = gold([GoldFinding("MECH", "info", 0, 10, "t", "w")])
    score = score_documents([(document, [pred("MECH", 0, 10, severity="info")])], serious_only=True)
    assert (score.overall.tp, score.overall.fp, score.overall.fn) == (0, 0, 0)


def test_false_positive_on_ok_claim_is_reported() -> None:
    document = gold([], claims=[GoldClaim(0, 20, "careful", "efficacy", "ok")])
    score = score_documents([(document, [pred("EVI", 5, 15)])])
    assert len(score.fp_on_ok_claims) == 1
