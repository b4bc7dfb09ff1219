"""`claimaudit train`: the same data gives the same bytes; the shipped model is a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimaudit.cli import main
from claimaudit.claims.model_proposals import load_model, model_from_json
from claimaudit.learn.data import KIND_LABELS, certainty_rows, kind_rows
from claimaudit.learn.train import build_model, serialize

CORPORA = Path(__file__).resolve().parents[2] / "corpora"


@pytest.fixture()
def small_corpora(tmp_path: Path) -> Path:
    shutil.copytree(CORPORA / "seeds", tmp_path / "seeds")
    shutil.copytree(CORPORA / "training", tmp_path / "training")
    return tmp_path


def test_train_twice_gives_identical_bytes(small_corpora: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    target = small_corpora / "model.json"
    result = CliRunner().invoke(main, ["train", "--corpora", str(small_corpora), "-o", str(target)])
    assert result.exit_code == 0, result.output
    written = target.read_text(encoding="utf-8")
    assert serialize(build_model(small_corpora, nlp)) == written
    model = model_from_json(written)
    assert model.kind.labels == KIND_LABELS


def test_check_reports_a_stale_model(small_corpora: Path) -> None:
    target = small_corpora / "model.json"
    target.write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train", "--corpora", str(small_corpora), "-o", str(target), "--check"])
    assert result.exit_code == 1 and "differs" in result.output


@pytest.mark.slow
def test_shipped_model_agrees_with_a_fresh_build(nlp) -> None:  # type: ignore[no-untyped-def]
    """A rebuild from corpora/ predicts what the shipped file predicts on the training sentences.

    Exact bytes are `claimaudit train --check`'s job; here a small knowledge-base or gold change
    merged since the last `claimaudit train` may move a few sentences, a stale or corrupt model
    moves many.
    """
    shipped = load_model()
    fresh = build_model(CORPORA, nlp)
    for head, rows in (("kind", kind_rows(CORPORA, nlp)), ("certainty", certainty_rows(CORPORA, nlp))):
        old, new = getattr(shipped, head), getattr(fresh, head)
        same = sum(old.predict(list(r.features))[0] == new.predict(list(r.features))[0] for r in rows)
        assert same / len(rows) >= 0.97, head
