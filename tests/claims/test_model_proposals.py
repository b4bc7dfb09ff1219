"""The learned model's hook: proposals for sentences the rules skip, certainty where none was read.

Hook logic is tested with hand-set models (so each test states exactly what the model says);
one test checks that the shipped model reads sentences of new wording sensibly.
"""

from __future__ import annotations

import numpy as np
import pytest

from claimaudit.audit import Auditor, audit_text
from claimaudit.claims.model import Certainty, ClaimKind
from claimaudit.claims.model_proposals import SentenceModel, load_model
from claimaudit.learn.data import CERTAINTY_LABELS, KIND_LABELS
from claimaudit.learn.features import span_features
from claimaudit.learn.linear import LinearModel
from claimaudit.settings import Settings

PAGE = """Ketamine at our clinic

Ketamine was synthesised by a chemist looking for a gentler anaesthetic.
It reportedly lifts low mood within a day.
Our office is reportedly open on Saturdays.
"""


def _model(labels: tuple[str, ...], prior: str, pushes: dict[str, str]) -> LinearModel:
    """A model whose prior is `prior` and where each feature in `pushes` votes for its label."""
    vocabulary = {"bias": 0, **{feature: i + 1 for i, feature in enumerate(pushes)}}
    weights = np.zeros((len(vocabulary), len(labels)))
    weights[0, labels.index(prior)] = 3.0
    for feature, label in pushes.items():
        weights[vocabulary[feature], labels.index(label)] = 8.0
    return LinearModel(labels, vocabulary, weights)


@pytest.fixture(scope="module")
def model_auditor() -> Auditor:
    return Auditor(Settings(model=True))


@pytest.fixture()
def fake_model(model_auditor, monkeypatch):  # type: ignore[no-untyped-def]
    """fake_model(kind pushes, certainty pushes) -> an auditor whose sentence model says that."""
    import claimaudit.claims.model_proposals as hook

    def build(kind: dict[str, str], certainty: dict[str, str]) -> Auditor:
        model = SentenceModel(_model(KIND_LABELS, "none", kind), _model(CERTAINTY_LABELS, "asserted", certainty))
        monkeypatch.setattr(hook, "load_model", lambda: model)
        return model_auditor

    return build


def test_rules_alone_leave_the_sentences_unclaimed(auditor) -> None:  # type: ignore[no-untyped-def]
    claims = audit_text(PAGE, auditor=auditor).claims
    assert not any("lifts low mood" in c.text for c in claims)
    assert not any(c.cue_labels() & {"model"} for c in claims)


def test_model_proposes_a_claim_about_the_resolved_substance(fake_model) -> None:  # type: ignore[no-untyped-def]
    auditor = fake_model({"w=lifts": "efficacy", "w=open": "efficacy"}, {})
    claims = audit_text(PAGE, auditor=auditor).claims
    proposed = [c for c in claims if "model" in c.cue_labels()]
    assert [c.text for c in proposed] == ["It reportedly lifts low mood within a day."]
    claim = proposed[0]
    assert claim.kinds == (ClaimKind.EFFICACY,)
    assert claim.topic_substance == "ketamine"
    assert PAGE[claim.span.start : claim.span.end] == claim.text
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c.norm_start for c in claims] == sorted(c.norm_start for c in claims)


def test_no_proposal_below_the_threshold_or_without_a_subject(fake_model) -> None:  # type: ignore[no-untyped-def]
    auditor = fake_model({}, {})  # the model reads every sentence as "none"
    assert not any("model" in c.cue_labels() for c in audit_text(PAGE, auditor=auditor).claims)


def test_model_certainty_fills_in_where_no_modifier_was_found(fake_model) -> None:  # type: ignore[no-untyped-def]
    auditor = fake_model({}, {"w=synthesised": "hedged"})
    claim = next(c for c in audit_text(PAGE, auditor=auditor).claims if "synthesised" in c.text)
    assert not claim.qualifiers
    assert claim.certainty is Certainty.HEDGED


def test_model_never_sets_absolute_or_rejected(fake_model) -> None:  # type: ignore[no-untyped-def]
    auditor = fake_model({}, {"w=synthesised": "absolute", "w=chemist": "absolute"})
    claim = next(c for c in audit_text(PAGE, auditor=auditor).claims if "synthesised" in c.text)
    assert claim.certainty is Certainty.ASSERTED


def test_modifiers_found_by_the_rules_win(fake_model) -> None:  # type: ignore[no-untyped-def]
    text = "Ketamine may ease the pain of fibromyalgia.\n"
    auditor = fake_model({}, {"w=ease": "boosted"})
    claim = audit_text(text, auditor=auditor).claims[0]
    assert claim.qualifiers and claim.certainty is Certainty.HEDGED


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("The lozenges are not approved by Health Canada for any psychiatric use.", "regulatory"),
        ("Drowsiness and a brief rise in blood pressure are common after a dose.", "safety"),
        ("It works by blocking NMDA receptors, which sets off a wave of new synapse growth.", "mechanism"),
        ("Relief typically lasts about one to two weeks after a single infusion.", "durability"),
        ("Please park in the rear lot and check in at the front desk.", "none"),
    ],
)
def test_shipped_model_reads_new_wording(nlp, sentence: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    label, _probability = load_model().kind.predict(span_features(nlp(sentence)[:]))
    assert label == kind


def test_claims_command_lists_proposals_only_with_model(fake_model, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from claimaudit.cli import main

    fake_model({"w=lifts": "efficacy"}, {})
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    texts = {}
    for flag in ("--model", "--no-model"):
        result = CliRunner().invoke(main, ["claims", flag, "--format", "json", str(page)])
        assert result.exit_code == 0, result.output
        texts[flag] = [c["text"] for d in json.loads(result.output) for c in d["claims"]]
    assert "It reportedly lifts low mood within a day." in texts["--model"]
    assert "It reportedly lifts low mood within a day." not in texts["--no-model"]
