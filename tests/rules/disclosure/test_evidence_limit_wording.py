"""DISC004: evidence limits said in everyday words count as stated; side effects fading does not."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, facts, make_claim  # noqa: E402

from claimaudit.rules.disclosure import evidence_limits_omitted  # noqa: E402
from claimaudit.rules.disclosure._page import evidence_limit_count  # noqa: E402

TITLE = "Ketamine for panic"
BENEFITS = [
    make_claim(text, substances=["ketamine"], claim_id=f"b{i}")
    for i, text in enumerate([
        "Ketamine calms panic for our clients.",
        "Ketamine works when other medicines have not.",
        "Ketamine helps people feel like themselves again.",
    ])
]
PAGE = replace(facts(), indications=("panic_disorder",))


def check(extra: str):  # type: ignore[no-untyped-def]
    ctx = domain_ctx(BENEFITS, document_text=TITLE + "\n" + extra, page=PAGE)
    return evidence_limit_count(ctx), list(evidence_limits_omitted.check_document(PAGE, ctx))


@pytest.mark.parametrize("sentence", [
    "Support for its use in panic is much weaker than for depression.",
    "Researchers still do not know who will benefit.",
    "The benefit of one dose typically wears off within days.",
    "Not everyone responds to it.",
])
def test_everyday_evidence_limits_count(sentence: str) -> None:
    count, findings = check(sentence)
    assert count >= 1 and findings == []


@pytest.mark.parametrize("sentence", [
    "Side effects typically wear off within an hour.",
    "Book a call to find out more.",
])
def test_other_sentences_do_not_count(sentence: str) -> None:
    count, findings = check(sentence)
    assert count == 0 and [f.omits for f in findings] == ["evidence_limits"]
