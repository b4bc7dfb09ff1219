"""The numpy logistic regression: learns, is deterministic, round-trips through JSON."""

from __future__ import annotations

import json

import pytest

from claimaudit.learn.linear import LinearModel, train

ROWS = [
    ["bias", "w=may", "w=help"], ["bias", "w=might", "w=help"], ["bias", "w=may", "w=ease"],
    ["bias", "w=proven", "w=help"], ["bias", "w=proven", "w=ease"], ["bias", "w=confirmed", "w=help"],
] * 3
TARGETS = ["hedged", "hedged", "hedged", "boosted", "boosted", "boosted"] * 3


def test_learns_a_separable_problem() -> None:
    model = train(ROWS, TARGETS, min_count=1)
    assert model.predict(["bias", "w=may", "w=ease"])[0] == "hedged"
    assert model.predict(["bias", "w=proven", "w=help"])[0] == "boosted"
    label, probability = model.predict(["bias", "w=might"])
    assert label == "hedged" and probability > 0.8


def test_same_rows_give_the_same_bytes() -> None:
    first = json.dumps(train(ROWS, TARGETS).to_dict())
    second = json.dumps(train(list(ROWS), list(TARGETS)).to_dict())
    assert first == second


def test_round_trip_keeps_predictions() -> None:
    model = train(ROWS, TARGETS, min_count=1)
    loaded = LinearModel.from_dict(json.loads(json.dumps(model.to_dict())))
    for row in ROWS[:6]:
        assert loaded.probabilities(row) == pytest.approx(model.probabilities(row))


def test_unknown_features_fall_back_to_the_prior() -> None:
    model = train(ROWS, TARGETS, labels=("boosted", "hedged", "asserted"), min_count=1)
    probabilities = model.probabilities(["w=never-seen"])
    assert probabilities == pytest.approx({"boosted": 1 / 3, "hedged": 1 / 3, "asserted": 1 / 3})


def test_explain_names_the_features_behind_a_label() -> None:
    model = train(ROWS, TARGETS, min_count=1)
    top = [name for name, _weight in model.explain(["bias", "w=may", "w=help"], "hedged", top=1)]
    assert top == ["w=may"]


def test_rejects_mismatched_rows() -> None:
    with pytest.raises(ValueError):
        train(ROWS, TARGETS[:-1])
