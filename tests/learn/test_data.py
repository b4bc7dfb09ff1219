"""Training rows: gold sentences by kind, extra labelled sentences, evaluation sets refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimaudit.errors import InputError
from claimaudit.learn import data

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


def test_sentence_takes_the_kind_of_the_claim_it_overlaps_most() -> None:
    claims = [(0, 10, "safety"), (8, 40, "efficacy")]
    assert data._overlapping_kind(5, 30, claims) == "efficacy"
    assert data._overlapping_kind(50, 60, claims) == data.NONE


def test_gold_corpus_gives_claims_and_negatives(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(CORPORA / "seeds", tmp_path / "seeds")
    rows = data.kind_rows(tmp_path, nlp)
    labels = {row.label for row in rows}
    assert data.NONE in labels and {"efficacy", "regulatory", "safety"} <= labels
    assert all(row.origin.startswith("seeds/") for row in rows)


@pytest.mark.parametrize("name", sorted(data.EXCLUDED_CORPORA))
def test_evaluation_corpora_are_refused(nlp, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as error:
        list(data._corpus_rows(tmp_path / name, nlp))
    assert error.value.code == "TR101"


def test_blind_is_not_a_training_corpus() -> None:
    assert "blind" not in data.TRAINING_CORPORA and "realpages" not in data.TRAINING_CORPORA


def test_no_gold_folder_is_a_clear_error(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as error:
        data.kind_rows(tmp_path, nlp)
    assert error.value.code == "TR104"


def test_unknown_label_in_a_jsonl_file_names_the_line(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "training"
    folder.mkdir()
    lines = [json.dumps({"text": "It may help.", "certainty": "hedged"}), json.dumps({"text": "x", "certainty": "sure"})]
    (folder / "certainty.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        data.certainty_rows(tmp_path, nlp)
    assert error.value.code == "TR103" and "certainty.jsonl:2" in str(error.value)


def test_shipped_training_sentences_are_valid_and_cover_every_level(nlp) -> None:  # type: ignore[no-untyped-def]
    rows = data.certainty_rows(CORPORA, nlp)
    assert {row.label for row in rows} == set(data.CERTAINTY_LABELS)
