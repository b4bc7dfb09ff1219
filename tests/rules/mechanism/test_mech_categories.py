"""MECH categories carried by the knowledge base: plasticity, new connections, glutamate increase,
inflammation, pain transmission, dated origins, and what stays clean (pharmacology stated plainly)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.knowledge_base.load import load_knowledge_base  # noqa: E402
from claimaudit.knowledge_base.model import KnowledgeBase  # noqa: E402
from claimaudit.rules.mechanism import misconception, overstated_mechanism  # noqa: E402

_BUNDLED: list[KnowledgeBase] = []


def bundled() -> KnowledgeBase:
    """The bundled base (the categories live in its records), loaded once."""
    if not _BUNDLED:
        _BUNDLED.append(load_knowledge_base(cache=False))
    return _BUNDLED[0]


def codes(text: str, certainty: Certainty = Certainty.ASSERTED) -> dict[str, str]:
    """Rule code -> record id cited by each MECH finding on one ketamine mechanism claim."""
    claim = make_claim(text, kinds=[ClaimKind.MECHANISM], certainty=certainty, substances=["ketamine"])
    ctx = domain_ctx([claim], kb=bundled())
    found = {}
    for module in (misconception, overstated_mechanism):
        for finding in module.check(claim, ctx):
            found[finding.code] = finding.evidence[0].id if finding.evidence else ""
    return found


@pytest.mark.parametrize(("text", "record"), [
    ("Ketamine boosts brain plasticity so the mind can adapt again.", "m08-synaptogenesis"),
    ("Its neuroplastic effects let patients learn new habits.", "m08-synaptogenesis"),
    ("Each session helps your brain build new connections.", "m08-synaptogenesis"),
    ("Ketamine raises glutamate levels, which lifts low mood.", "m04-glutamate-surge"),
    ("The drug works by quickly increasing glutamate activity.", "m04-glutamate-surge"),
    ("Ketamine calms inflammation in the brain that fuels low mood.", "m21-anti-inflammatory"),
    ("It also dampens microglia, the immune cells of the brain.", "m21-anti-inflammatory"),
    ("Our infusions heal the brain after years of stress.", "m14-rewires"),
    ("A series of infusions resets central sensitisation in the spinal cord.", "m14-rewires"),
    ("Long-term depression weakens the connections between brain cells.", "m15-reverses-damage"),
    ("It strengthens synaptic links so the brain copes better.", "m08-synaptogenesis"),
    ("It gives you a chance to forge healthier neural pathways.", "m08-synaptogenesis"),
])
def test_overstated_categories_asserted(text: str, record: str) -> None:
    assert record in codes(text).get("MECH002", "")


@pytest.mark.parametrize("text", [
    "Ketamine may boost brain plasticity, according to animal work.",
    "Ketamine might lower inflammation in the brain.",
])
def test_hedged_categories_not_flagged(text: str) -> None:
    assert "MECH002" not in codes(text, Certainty.HEDGED)


@pytest.mark.parametrize(("text", "record"), [
    ("Ketamine was invented in the 1950s for surgery.", "h11-pre-1962-origin"),
    ("It was used as an anaesthetic first on animals and later on soldiers.", "h05-veterinary-origin"),
    ("It blocks NMDA receptors, which transmit pain from the nerves to the brain.", "m22-nmda-transmits-pain"),
    ("Ketamine blocks NMDA receptors and so shuts off pain signals.", "m22-nmda-transmits-pain"),
    ("It dulls pain by stopping nerve cells from firing.", "m22-nmda-transmits-pain"),
    ("Ketamine halts glutamate production in the brain.", "m12-blocks-glutamate"),
])
def test_wrong_history_and_pharmacology(text: str, record: str) -> None:
    assert record in codes(text).get("MECH001", "")


@pytest.mark.parametrize("text", [
    "Ketamine works by blocking NMDA receptors.",  # established pharmacology, no effect claimed
    "Its primary mechanism of action is NMDA receptor blockade.",
    "Ketamine blocks NMDA receptors that help amplify pain signals.",  # sensitisation, not transmission
    "The blockade can lead to a quick rise in glutamate release.",  # not 'blocks glutamate'
    "The glutamate system plays a key role in brain plasticity.",  # about the system, not the drug's effect
    "Ketamine was first made in 1962 and approved in 1970.",
    "The clinic supports patients' mental health through the week.",  # 'health' is not 'heal'
])
def test_clean_statements_not_flagged(text: str) -> None:
    assert codes(text) == {}


def test_nmda_named_as_the_cause_of_relief_still_flagged() -> None:
    assert "m02-nmda-is-the-cause" in codes("Ketamine relieves depression because it blocks NMDA receptors.")["MECH002"]


@pytest.mark.parametrize("text", [
    "Should the first visits go well, later ones will strengthen the drug's neuron-mending powers.",
    "Ketamine might reverse the harm done by years of stress.",
])
def test_presupposed_mechanism_not_rescued_by_hedge_or_condition(text: str) -> None:
    for certainty in (Certainty.SPECULATIVE, Certainty.HEDGED):
        assert "MECH002" in codes(text, certainty)


def test_presupposition_inside_a_reported_belief_is_hedged() -> None:
    text = "Some researchers believe that its ability to grow new synapses explains the benefit."
    assert "MECH002" not in codes(text, Certainty.HEDGED)


def test_presupposed_established_pharmacology_not_flagged() -> None:
    assert codes("Its ability to block NMDA receptors is well documented.", Certainty.BOOSTED) == {}


def _codes_of(claim) -> set[str]:  # type: ignore[no-untyped-def]
    ctx = domain_ctx([claim], kb=bundled())
    return {f.code for module in (misconception, overstated_mechanism) for f in module.check(claim, ctx)}


def test_a_healing_attribute_of_a_drug_named_by_the_base_is_presupposed() -> None:
    """The owner of "'s neuron-mending powers" is a focus substance the claim mentions (any of
    the base's names for it), not a word in the pattern file; a substance that is no focus of
    the base (a trial's control arm) owns none."""
    from dataclasses import replace

    from claimaudit.claims.model import Mention

    text = "Should the first visits go well, later ones will strengthen Spravato's neuron-mending powers."
    at = text.index("Spravato")
    claim = make_claim(text, kinds=[ClaimKind.MECHANISM], certainty=Certainty.HEDGED)
    named = replace(claim, mentions=(Mention("substance", "esketamine", "Spravato", at, at + 8),))
    assert "MECH002" in _codes_of(named)
    comparator = replace(claim, mentions=(Mention("substance", "ssris", "Spravato", at, at + 8),))
    assert "MECH002" not in _codes_of(comparator)
    assert "MECH002" not in _codes_of(claim)  # no owner: the hedge stands
    mixed = "After Spravato visits go well, later ones will strengthen midazolam's neuron-mending powers."
    control = make_claim(mixed, kinds=[ClaimKind.MECHANISM], certainty=Certainty.HEDGED)
    drug, arm = mixed.index("Spravato"), mixed.index("midazolam")
    control = replace(control, mentions=(Mention("substance", "esketamine", "Spravato", drug, drug + 8),
                                         Mention("substance", "midazolam", "midazolam", arm, arm + 9)))
    assert "MECH002" not in _codes_of(control)  # midazolam is in the base, but no focus substance


def test_a_pronoun_the_clause_inherits_is_no_owner_of_an_attribute() -> None:
    """"It could have abilities to ...": the inherited mention of the page's drug is the pronoun,
    not a name of it, so the modal still hedges the mechanism."""
    from dataclasses import replace

    from claimaudit.claims.model import Mention

    text = "It could have abilities to rewire the brain and regrow synapses."
    claim = make_claim(text, kinds=[ClaimKind.MECHANISM], certainty=Certainty.SPECULATIVE)
    inherited = replace(claim, mentions=(Mention("substance", "ketamine", "It", 0, 2),))
    assert "MECH002" not in _codes_of(inherited)
