"""The auditor's score on the gold corpora must not drop below the recorded floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimaudit.evaluation.run import evaluate_corpus

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("corpus", sorted(FLOORS), ids=str)
def test_score_stays_above_floor(corpus: str, auditor) -> None:  # type: ignore[no-untyped-def]
    folder = ROOT / "corpora" / corpus
    if not (folder / "gold").is_dir():
        pytest.skip(f"corpus {corpus} not present")
    evaluation = evaluate_corpus(folder, auditor)
    overall = evaluation.score.overall
    floor = FLOORS[corpus]
    assert overall.precision >= floor["precision"], f"precision {overall.precision:.3f} < {floor['precision']}"
    assert overall.recall >= floor["recall"], f"recall {overall.recall:.3f} < {floor['recall']}"
    assert evaluation.ok_claim_errors <= floor.get("max_ok_claim_errors", 0)
    for family, minimum in floor.get("family_recall", {}).items():
        recall = evaluation.score.by_family[family].recall
        assert recall >= minimum, f"{family} recall {recall:.3f} < {minimum}"


def test_every_finding_span_points_at_its_text(auditor) -> None:  # type: ignore[no-untyped-def]
    folder = ROOT / "corpora" / "seeds"
    evaluation = evaluate_corpus(folder, auditor)
    for document, predictions in zip(evaluation.documents, evaluation.predictions):
        source = document.text_path.read_text(encoding="utf-8")
        for p in predictions:
            if p.omits is None:
                assert source[p.start : p.end] == p.text
