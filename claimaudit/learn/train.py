"""Fit the sentence model's two heads and write it as JSON (package data).

`claimaudit train` calls `build_model` then `write_model`; the same corpora give the same file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimaudit.learn import linear
from claimaudit.learn.data import CERTAINTY_LABELS, KIND_LABELS, TRAINING_CORPORA, Row, certainty_rows, kind_rows

FORMAT = 1
# L2 strength per head: the certainty head learns from a few hundred sentences and needs more
# shrinking (5-fold accuracy on corpora/training/certainty.jsonl: 0.58 at 1e-4, 0.62 at 3e-3).
KIND_L2 = 1e-4
CERTAINTY_L2 = 3e-3
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "sentence_model.json"


@dataclass(frozen=True)
class TrainedModel:
    kind: linear.LinearModel
    certainty: linear.LinearModel
    counts: dict[str, dict[str, int]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "trained_on": {"corpora": list(TRAINING_CORPORA), "rows": self.counts},
            "kind": self.kind.to_dict(),
            "certainty": self.certainty.to_dict(),
        }


def build_model(corpora: Path, nlp: Language | None = None) -> TrainedModel:
    """Train both heads on the corpora under `corpora` (seeds, written, holdout, training/).

    `nlp` is the auditor's pipeline over the bundled knowledge base (built when not given).
    """
    if nlp is None:
        from claimaudit.knowledge_base.load import load_knowledge_base
        from claimaudit.knowledge_base.lookup import KnowledgeLookup
        from claimaudit.nlp.pipeline import build_pipeline

        nlp = build_pipeline(KnowledgeLookup(load_knowledge_base(())))
    kinds = kind_rows(corpora, nlp)
    certainties = certainty_rows(corpora, nlp)
    return TrainedModel(
        kind=fit(kinds, KIND_LABELS, l2=KIND_L2),
        certainty=fit(certainties, CERTAINTY_LABELS, l2=CERTAINTY_L2),
        counts={"kind": _count(kinds), "certainty": _count(certainties)},
    )


def fit(rows: list[Row], labels: tuple[str, ...], *, l2: float) -> linear.LinearModel:
    if not rows:
        raise ValueError("no training rows")
    return linear.train([r.features for r in rows], [r.label for r in rows], labels=labels, l2=l2)


def serialize(model: TrainedModel) -> str:
    return json.dumps(model.to_dict(), separators=(",", ":"), sort_keys=True) + "\n"


def write_model(model: TrainedModel, path: Path = MODEL_PATH) -> int:
    """Write the model; returns its size in bytes."""
    text = serialize(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def _count(rows: list[Row]) -> dict[str, int]:
    return dict(sorted(Counter(r.label for r in rows).items()))
