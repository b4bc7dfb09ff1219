"""Place words as jurisdictions, and knowledge-base triggers denied by a negation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, make_claim  # noqa: E402

from claimaudit.rules._helpers import (  # noqa: E402
    jurisdictions_named,
    regulators_in_scope_by_place,
    trigger_terms_negated,
)


def test_place_words_name_jurisdictions() -> None:
    assert jurisdictions_named("Our practice in Germany") == ("EU",)
    assert jurisdictions_named("licensed in the UK and on the NHS") == ("UK",)
    assert jurisdictions_named("Ketamine lifts mood") == ()


def test_claim_naming_a_place_is_judged_by_that_places_regulators() -> None:
    claim = make_claim("Ketamine is authorised in Australia for anxiety.", substances=["ketamine"])
    regulators = regulators_in_scope_by_place(claim, domain_ctx([claim], document_text=claim.text))
    assert regulators and all(r not in ("fda", "health_canada") for r in regulators)


def test_places_named_elsewhere_on_the_page_add_their_regulators() -> None:
    claim = make_claim("Ketamine is authorised for anxiety.", substances=["ketamine"])
    ctx = domain_ctx([claim], document_text="A clinic in Sydney, Australia\n" + claim.text)
    with_page = regulators_in_scope_by_place(claim, ctx)
    without = regulators_in_scope_by_place(claim, domain_ctx([claim], document_text=claim.text))
    assert set(without) < set(with_page)


def test_negated_trigger_term_denies_the_record() -> None:
    triggers = [("veterinar*", "origin*")]
    assert trigger_terms_negated(triggers, "veterinary practice was not its origin.")
    assert not trigger_terms_negated(triggers, "Its origin was veterinary practice.")
