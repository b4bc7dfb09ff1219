"""Per-claim, per-text and per-record memos: each answer is the direct computation's."""

from __future__ import annotations

from dataclasses import replace

from claimaudit.claims.model import QualifierKind
from claimaudit.rules import base
from claimaudit.rules._helpers import is_rebutted
from claimaudit.rules.base import per_claim, per_claim_in_context, per_record, per_text
from claimaudit.rules.evidence_strength import _grading
from claimaudit.rules.statistics._numbers import RESULT_KINDS, _stated_numbers, stated_numbers
from tests.rules.helpers import make_claim, make_ctx


def test_per_claim_is_keyed_by_identity_and_arguments() -> None:
    calls: list[tuple[str, int]] = []

    @per_claim
    def length_plus(claim, extra: int) -> int:  # type: ignore[no-untyped-def]
        calls.append((claim.text, extra))
        return len(claim.text) + extra

    one = make_claim("Ketamine works.")
    twin = replace(one)  # equal, but another object: computed on its own
    assert length_plus(one, 1) == length_plus(one, 1) == 16
    assert length_plus(one, 2) == 17
    assert length_plus(twin, 1) == 16
    assert calls == [("Ketamine works.", 1), ("Ketamine works.", 2), ("Ketamine works.", 1)]


def test_a_new_context_empties_the_memos() -> None:
    claim = make_claim("Ketamine works.")
    counter = iter(range(100))
    claim_fn = per_claim(lambda claim: next(counter))
    text_fn = per_text(lambda text: next(counter))
    first_claim, first_text = claim_fn(claim), text_fn("some text")
    assert (claim_fn(claim), text_fn("some text")) == (first_claim, first_text)
    make_ctx([claim])
    assert claim_fn(claim) != first_claim
    assert text_fn("some text") != first_text


def test_per_claim_in_context_answers_for_that_context_only() -> None:
    claim = make_claim("Ketamine works.")

    @per_claim_in_context
    def claims_on_page(claim, ctx) -> int:  # type: ignore[no-untyped-def]
        return len(ctx.claims)

    small = make_ctx([claim])
    assert claims_on_page(claim, small) == 1
    big = make_ctx([claim, make_claim("Another one.", claim_id="c2")])
    assert claims_on_page(claim, big) == 2
    assert claims_on_page(claim, small) == 1  # not the other context's answer


def test_per_record_holds_its_record() -> None:
    seen: list[int] = []

    @per_record
    def record_id(record: object) -> int:
        seen.append(id(record))
        return id(record)

    records = [object() for _ in range(3)]
    assert [record_id(r) for r in records * 2] == [id(r) for r in records * 2]
    assert len(seen) == 3


def test_memoized_helpers_equal_their_direct_computation() -> None:
    texts = [
        "Ketamine cures depression in 100% of patients.",
        "Myth: ketamine is addictive.",
        "Studies show ketamine is better than ECT for depression.",
        "The evidence for ketamine is overwhelming.",
        "It may help some people.",
        "Clinically proven.",
    ]
    claims = [make_claim(t, indications=["mdd"]) for t in texts]
    claims.append(make_claim("A common myth is that it is unsafe.", qualifiers=[(QualifierKind.REBUTTAL, "myth")]))
    make_ctx(claims)
    for claim in claims:
        for _ in range(2):
            assert is_rebutted(claim) == is_rebutted.__wrapped__(claim)  # type: ignore[attr-defined]
            assert _grading.asserted_level(claim) == _grading.asserted_level.__wrapped__(claim)  # type: ignore[attr-defined]
            assert _grading.absolute_outcome(claim.text) == _grading.absolute_outcome.__wrapped__(claim.text)  # type: ignore[attr-defined]
            spans = [m.span() for m in _grading._comparisons(claim.text)]
            assert spans == [m.span() for m in _grading._comparisons.__wrapped__(claim.text)]  # type: ignore[attr-defined]
            assert stated_numbers(claim) == list(_stated_numbers.__wrapped__(claim, RESULT_KINDS))  # type: ignore[attr-defined]


def test_the_memo_store_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(base, "_CLAIM_MEMO_LIMIT", 3)
    seen = per_claim(lambda claim: True)
    claims = [make_claim(f"Claim {i}.") for i in range(10)]
    for claim in claims:
        assert seen(claim)
    assert 1 <= len(base._CLAIM_STORES[-1]) <= 3  # the store of `seen`, the newest


def test_year_and_acronym_gates_give_the_plain_scans_answers() -> None:
    import random
    import re

    from claimaudit.rules.scope import _studies

    year = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
    rng = random.Random(5)
    pieces = ["19", "20", "2", "0", "1", "9", "99", "\u0661\u0669", "a", " ", "TRANSFORM-2", "Ab", "AB", "A1", "x"]
    texts = ["In 2019 and 1999.", "n=20", "12019", "no years", "", "CANMAT 2023", "\u0661\u0669\u0662\u0660"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(3000)]
    for text in texts:
        assert _studies.years_in(text) == {int(y) for y in year.findall(text)}, text
        # the trial-name gate: a name the scan finds in the index is written in the text
        names = {"TRANSFORM-2", "CANMAT", "AB", "A1"}
        found = {n for n in _studies._ACRONYM.findall(text) if n in names}
        assert any(name in text for name in names) or not found, text



def test_memo_wrappers_of_every_shape_answer_as_the_function() -> None:
    """The claim-only, claim-and-one-argument and general wrappers (`_fixed_arity`) give the
    direct answers, keyed by the claim's identity and the other arguments."""
    calls: list[tuple[object, ...]] = []

    @per_claim
    def alone(claim):  # type: ignore[no-untyped-def]
        calls.append(("alone", claim.text))
        return claim.text.upper()

    @per_claim
    def with_default(claim, extra=0):  # type: ignore[no-untyped-def]
        calls.append(("default", claim.text, extra))
        return len(claim.text) + extra

    @per_claim
    def with_many(claim, *extras):  # type: ignore[no-untyped-def]
        calls.append(("many", claim.text, extras))
        return len(claim.text) + sum(extras)

    @per_claim_in_context
    def in_context(claim, ctx):  # type: ignore[no-untyped-def]
        calls.append(("context", claim.text))
        return claim.text in {c.text for c in ctx.claims}

    @per_claim_in_context
    def in_context_with(claim, ctx, back, fit):  # type: ignore[no-untyped-def]
        calls.append(("context with", claim.text, back, fit))
        return (back, fit)

    assert base._fixed_arity(alone.__wrapped__) == 1
    assert base._fixed_arity(with_default.__wrapped__) is None
    assert base._fixed_arity(with_many.__wrapped__) is None
    assert base._fixed_arity(in_context.__wrapped__) == 2
    one, other = make_claim("Ketamine works."), make_claim("It helps.", claim_id="c2")
    ctx = make_ctx([one])
    for _ in range(2):
        assert alone(one) == "KETAMINE WORKS." and alone(other) == "IT HELPS."
        assert with_default(one) == 15 and with_default(one, 2) == 17
        assert with_many(one) == 15 and with_many(one, 1, 2) == 18
        assert in_context(one, ctx) is True and in_context(other, ctx) is False
        assert in_context_with(one, ctx, 3, True) == (3, True) and in_context_with(one, ctx, 2, False) == (2, False)
    assert len(calls) == 10  # each distinct question answered once


def test_surname_index_finds_what_substring_tests_find() -> None:
    """`_surnames(kb).present(text)` holds exactly the first authors written in the text."""
    from claimaudit.rules.scope import _studies

    kb = make_ctx([]).kb
    surnames = sorted({s.first_author for s in kb.kb.studies.values() if s.first_author})
    assert surnames
    texts = ["No names here (2019).", " and ".join(surnames[:3]) + " 2018", surnames[-1].lower(), surnames[0] + surnames[1]]
    for text in texts:
        assert _studies._surnames(kb).present(text) == {s for s in surnames if s in text}
