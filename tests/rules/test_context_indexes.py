"""RuleContext's per-document indexes answer as a scan over all claims would."""

from __future__ import annotations

import random
from dataclasses import replace

from claimaudit.claims.model import Mention
from tests.rules.helpers import make_claim, make_ctx


def _claims(seed: int, shuffled: bool) -> list:  # type: ignore[type-arg]
    rng = random.Random(seed)
    claims = []
    for index in range(60):
        claim = make_claim(f"Claim number {index}.", claim_id=f"c{index + 1}")
        claims.append(replace(claim, norm_start=index * 10, section=rng.choice(["", "A", "B"]),
                              mentions=tuple(Mention("regulator", r, r, 0, 1)
                                             for r in rng.sample(["fda", "ema", "mhra"], rng.randint(0, 2)))))
    if shuffled:
        rng.shuffle(claims)
    return claims


def test_indexes_match_linear_scans_in_and_out_of_document_order() -> None:
    for seed, shuffled in ((1, False), (2, True)):
        claims = _claims(seed, shuffled)
        ctx = make_ctx(claims)
        assert ctx.page_regulators() == tuple(r for c in claims for r in c.regulators)
        for claim in claims:
            assert ctx.claim_position(claim) == next(i for i, c in enumerate(claims) if c.id == claim.id)
            earlier = [c for c in claims if c.norm_start < claim.norm_start and c.section == claim.section]
            for limit in (1, 2, 5):
                assert list(ctx.earlier_in_section(claim, limit)) == earlier[-limit:]
