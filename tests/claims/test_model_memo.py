"""A claim's remembered entity ids are the ones its mentions give, and are no part of its value."""

from __future__ import annotations

import pickle
from dataclasses import replace

from claimaudit.claims.model import Certainty, Claim, ClaimKind, Mention, Qualifier, QualifierKind
from claimaudit.findings.model import SourceSpan


def _claim(mentions: tuple[Mention, ...], qualifiers: tuple[Qualifier, ...] = ()) -> Claim:
    return Claim("c1", (ClaimKind.EFFICACY,), "text", SourceSpan(0, 4, 1, 1, 1, 5), 0, 4, Certainty.ASSERTED,
                 qualifiers=qualifiers, mentions=mentions)


def _direct(claim: Claim, kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.entity_id for m in claim.mentions if m.kind == kind))


def test_entity_ids_equal_the_mentions_in_order_each_time() -> None:
    mentions = (
        Mention("substance", "ketamine", "ketamine", 0, 8), Mention("indication", "mdd", "depression", 9, 19),
        Mention("substance", "esketamine", "Spravato", 20, 28), Mention("substance", "ketamine", "it", 30, 32),
    )
    claim = _claim(mentions)
    for _ in range(2):
        for kind in ("substance", "indication", "regulator", "study"):
            assert claim.entity_ids(kind) == _direct(claim, kind)
    assert claim.substances == ("ketamine", "esketamine")
    other = replace(claim, mentions=mentions[1:2])
    assert other.substances == () and other.indications == ("mdd",)
    assert claim == _claim(mentions) and hash(claim) == hash(_claim(mentions))
    assert "_entity_ids" not in repr(claim)
    assert pickle.loads(pickle.dumps(claim)).substances == claim.substances


def test_has_qualifier() -> None:
    hedge = Qualifier(QualifierKind.HEDGE, "may", 0, 3)
    assert _claim((), (hedge,)).has_qualifier(QualifierKind.HEDGE)
    assert not _claim((), (hedge,)).has_qualifier(QualifierKind.NEGATION)
    assert not _claim(()).has_qualifier(QualifierKind.HEDGE)
