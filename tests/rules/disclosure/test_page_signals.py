"""Page-level signals of the DISC rules: balanced pages, played-down side effects, datelines,
other exclusion wording, research appeals, and evidence limits on established uses."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, facts, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind  # noqa: E402
from claimaudit.rules.disclosure import (  # noqa: E402
    contraindications_omitted,
    review_date_omitted,
    side_effects_omitted,
    sources_omitted,
)
from claimaudit.rules.disclosure._page import (  # noqa: E402
    care_score,
    discloses_side_effects,
    has_dateline,
    is_balanced,
    is_promotional,
)

TITLE = "Ketamine for low mood"
BENEFITS = [
    make_claim(text, substances=["ketamine"], claim_id=f"b{i}")
    for i, text in enumerate([
        "Ketamine lifts a low mood for our clients.",
        "Ketamine works when other medicines have not.",
        "Ketamine helps people feel like themselves again.",
    ])
]


def page(**changes):  # type: ignore[no-untyped-def]
    return replace(facts(), indications=("panic_disorder",), **changes)


def test_page_with_many_care_signals_and_no_boosted_claim_is_balanced() -> None:
    careful = page(mentions_off_label=True, mentions_side_effects=True, mentions_contraindications=True,
                   has_review_date=True, has_sources=True)
    denied = make_claim("Ketamine is not approved for panic disorder.", kinds=[ClaimKind.REGULATORY],
                        substances=["ketamine"], certainty=Certainty.REJECTED, claim_id="r")
    risk = make_claim("Ketamine can cause nausea and dizziness.", kinds=[ClaimKind.SAFETY], substances=["ketamine"],
                      certainty=Certainty.HEDGED, claim_id="s", cues=[("side_effect", "nausea")])
    ctx = domain_ctx([*BENEFITS, denied, risk], document_text=TITLE, page=careful)
    assert care_score(careful, ctx) >= 5 and is_balanced(careful, ctx)
    assert not is_promotional(careful, ctx)


def test_boosted_claims_keep_a_page_promotional_despite_disclosures() -> None:
    careful = page(mentions_off_label=True, mentions_contraindications=True, has_review_date=True,
                   has_sources=True, mentions_side_effects=True)
    boosted = [replace(c, certainty=Certainty.BOOSTED) for c in BENEFITS]
    ctx = domain_ctx(boosted, document_text=TITLE + "\nThe evidence is preliminary.", page=careful)
    assert not is_balanced(careful, ctx) and is_promotional(careful, ctx)


def test_playing_side_effects_down_is_not_disclosing_them() -> None:
    rare = make_claim("Any side effects are few and mild.", kinds=[ClaimKind.SAFETY], claim_id="s",
                      cues=[("side_effect", "side effects")])
    check = make_claim("A nurse measures your blood pressure during the visit.", kinds=[ClaimKind.SAFETY],
                       claim_id="m", cues=[("side_effect", "blood pressure")])
    promo = page(mentions_side_effects=True)
    ctx = domain_ctx([*BENEFITS, rare, check], document_text=TITLE, page=promo)
    assert not discloses_side_effects(promo, ctx)
    [finding] = side_effects_omitted.check_document(promo, ctx)
    assert finding.omits == "side_effects"
    rise = make_claim("Blood pressure often rises for an hour after a dose.", kinds=[ClaimKind.SAFETY], claim_id="r",
                      cues=[("side_effect", "Blood pressure")])
    assert discloses_side_effects(promo, domain_ctx([*BENEFITS, rise], document_text=TITLE, page=promo))


def test_datelines_count_as_a_date_but_a_copyright_year_does_not() -> None:
    for line in ("Science desk | 4 June 2024", "Content last checked: 1 May 2025", "Published 2023.",
                 "DENVER, Colo., June 4, 2024 - A clinic group said"):
        assert has_dateline(domain_ctx(BENEFITS, document_text=f"{TITLE}\n{line}", page=page())), line
    ctx = domain_ctx(BENEFITS, document_text=f"{TITLE}\nCopyright 2024 Example Clinic", page=page())
    assert not has_dateline(ctx)
    assert [f.omits for f in review_date_omitted.check_document(page(), ctx)] == ["review_date"]


def test_other_exclusion_wording_counts_as_contraindications() -> None:
    text = f"{TITLE}\nThis treatment may not be right for you if you have heart disease."
    assert list(contraindications_omitted.check_document(page(), domain_ctx(BENEFITS, document_text=text, page=page()))) == []


def test_appeal_to_trials_or_an_authority_calls_for_sources() -> None:
    trial = make_claim("In clinical trials, most people felt better.", substances=["ketamine"], claim_id="t")
    ctx = domain_ctx([*BENEFITS, trial], document_text=TITLE, page=page())
    [finding] = sources_omitted.check_document(page(), ctx)
    assert finding.omits == "sources"
    assert list(sources_omitted.check_document(page(), domain_ctx(BENEFITS, document_text=TITLE, page=page()))) == []
