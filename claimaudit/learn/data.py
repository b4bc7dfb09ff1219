"""Training rows from the project's own annotated sentences.

Kind rows: every sentence of the gold corpora in `TRAINING_CORPORA` (split by the auditor's own
pipeline); a sentence overlapping a gold claim is labelled with that claim's type (the one it
overlaps most), every other sentence is `none`. Extra labelled sentences come from
`corpora/training/kinds.jsonl` ({"text", "kind"}) and `corpora/training/certainty.jsonl`
({"text", "certainty"}). `corpora/blind` and `corpora/blind2` (evaluation sets) and the real
pages (they only measure) are never read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from claimaudit.claims.model import Certainty, ClaimKind
from claimaudit.errors import InputError
from claimaudit.learn.features import PlaceholderIndex, span_features

TRAINING_CORPORA: tuple[str, ...] = ("seeds", "written", "holdout")
EXCLUDED_CORPORA: frozenset[str] = frozenset({"blind", "blind2", "realpages"})
NONE = "none"
KIND_LABELS: tuple[str, ...] = (NONE, *(kind.value for kind in ClaimKind))
CERTAINTY_LABELS: tuple[str, ...] = tuple(level.label for level in Certainty)
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled sentence: its features, its label and where it came from."""

    features: tuple[str, ...]
    label: str
    origin: str  # "written/105_ocd_clinic_page.txt", "training/certainty.jsonl:12"


def kind_rows(corpora: Path, nlp: Language) -> list[Row]:
    """Sentence rows from the gold corpora plus `training/kinds.jsonl`."""
    rows: list[Row] = []
    folders = [corpora / name for name in TRAINING_CORPORA if (corpora / name / "gold").is_dir()]
    if not folders:
        raise InputError(
            f"{corpora}: none of {', '.join(TRAINING_CORPORA)} has a gold/ folder to train on", code="TR104"
        )
    for folder in folders:
        rows.extend(_corpus_rows(folder, nlp))
    rows.extend(_jsonl_rows(corpora / "training" / "kinds.jsonl", "kind", KIND_LABELS, nlp))
    return rows


def certainty_rows(corpora: Path, nlp: Language) -> list[Row]:
    return _jsonl_rows(corpora / "training" / "certainty.jsonl", "certainty", CERTAINTY_LABELS, nlp)


def _corpus_rows(folder: Path, nlp: Language) -> Iterator[Row]:
    from claimaudit.evaluation.gold import load_corpus
    from claimaudit.ingest import normalize, read_source

    if folder.name in EXCLUDED_CORPORA:
        raise InputError(f"{folder}: evaluation corpora are never used for training", code="TR101")
    for gold in load_corpus(folder):
        document = normalize(read_source(gold.text_path))
        doc = nlp(document.text)
        index = PlaceholderIndex(doc)
        claims = [(c.start, c.end, c.type) for c in gold.claims]
        for sentence in doc.sents:
            if len([t for t in sentence if t.is_alpha]) < MIN_WORDS:
                continue
            span = document.offsets.span(sentence.start_char, sentence.end_char)
            label = _overlapping_kind(span.start, span.end, claims)
            yield Row(tuple(span_features(sentence, index)), label, f"{folder.name}/{gold.name}")


def _overlapping_kind(start: int, end: int, claims: Sequence[tuple[int, int, str]]) -> str:
    best, best_overlap = NONE, 0
    for claim_start, claim_end, kind in claims:
        overlap = min(end, claim_end) - max(start, claim_start)
        if overlap > best_overlap:
            best, best_overlap = kind, overlap
    return best


def _jsonl_rows(path: Path, key: str, allowed: Sequence[str], nlp: Language) -> list[Row]:
    if not path.is_file():
        return []
    records: list[tuple[str, str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.parent.name}/{path.name}:{number}"
        try:
            record = json.loads(line)
            text, label = str(record["text"]), str(record[key])
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{where}: expected a JSON object with 'text' and '{key}'", code="TR102") from None
        if label not in allowed:
            raise InputError(f"{where}: unknown {key} {label!r} (expected one of {', '.join(allowed)})", code="TR103")
        records.append((text, label, where))
    docs = nlp.pipe(text for text, _label, _where in records)
    return [Row(tuple(span_features(doc[:])), label, where) for doc, (_t, label, where) in zip(docs, records)]
