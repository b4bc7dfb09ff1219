"""Evaluate an Auditor on a gold corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimaudit.evaluation.gold import GoldDocument, load_corpus
from claimaudit.evaluation.score import Prediction, Score, ok_claim_errors, predictions_of, score_documents


@dataclass(frozen=True, slots=True)
class Evaluation:
    documents: tuple[GoldDocument, ...]
    predictions: tuple[tuple[Prediction, ...], ...]
    score: Score
    serious: Score
    ok_claim_errors: int


def evaluate_corpus(folder: str | Path, auditor: object) -> Evaluation:
    """Audit every annotated text of `folder` and score it against its gold."""
    from claimaudit.audit import Auditor

    assert isinstance(auditor, Auditor)
    documents = load_corpus(folder)
    results = list(auditor.audit_paths([d.text_path for d in documents]))
    predictions = tuple(tuple(predictions_of(d.name, r.findings)) for d, r in zip(documents, results))
    pairs = list(zip(documents, predictions))
    return Evaluation(
        documents=documents,
        predictions=predictions,
        score=score_documents(pairs),
        serious=score_documents(pairs, serious_only=True),
        ok_claim_errors=sum(len(ok_claim_errors(d, p)) for d, p in pairs),
    )
