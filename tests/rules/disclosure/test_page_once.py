"""Page-level DISC answers computed once per document give the direct answers."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import domain_ctx, facts, make_claim  # noqa: E402

from claimaudit.rules.disclosure import _page  # noqa: E402

LIMITS = [
    "",
    "The evidence is preliminary.",
    "Evidence is limited. Small studies only. More research is needed. The data are mixed.",
    "Preliminary, preliminary, preliminary and preliminary findings.",
]


def test_capped_count_is_min_of_findall_count_and_cap() -> None:
    for text in LIMITS:
        full = sum(len(p.findall(text)) for p in _page._limit_patterns())
        for cap in (1, 2, 3, 10):
            assert _page._count_upto(text, cap) == min(full, cap)


def test_answers_follow_the_facts_object_they_are_asked_about() -> None:
    claims = [make_claim("Ketamine lifts a low mood for our clients.", substances=["ketamine"], claim_id=f"b{i}")
              for i in range(3)]
    plain_page = replace(facts(), indications=("panic_disorder",))
    careful = replace(plain_page, mentions_off_label=True, mentions_side_effects=True,
                      mentions_contraindications=True, has_review_date=True, has_sources=True)
    ctx = domain_ctx(claims, document_text="Title\nThe evidence is preliminary.", page=plain_page)
    first = (_page.is_promotional(plain_page, ctx), _page.is_balanced(plain_page, ctx))
    second = (_page.is_promotional(careful, ctx), _page.is_balanced(careful, ctx))
    fresh = domain_ctx(claims, document_text="Title\nThe evidence is preliminary.", page=careful)
    assert second == (_page.is_promotional(careful, fresh), _page.is_balanced(careful, fresh))
    assert first == (_page.is_promotional(plain_page, ctx), _page.is_balanced(plain_page, ctx))
    assert _page.benefit_claims(ctx) == _page._benefit_claims(ctx, _page.Certainty.ASSERTED)
    assert first != second  # the memo did not answer for the other facts
    assert _page.evidence_limit_count(ctx) == 2 and _page.states_evidence_limits(ctx)


def test_care_threshold_matches_the_care_score() -> None:
    claims = [make_claim("Ketamine lifts a low mood for our clients.", substances=["ketamine"], claim_id=f"b{i}")
              for i in range(3)]
    base = replace(facts(), indications=("panic_disorder",))
    for flags in range(16):
        page = replace(base, mentions_off_label=bool(flags & 1), mentions_contraindications=bool(flags & 2),
                       has_sources=bool(flags & 4), has_review_date=bool(flags & 8))
        for text in LIMITS:
            ctx = domain_ctx(claims, document_text="Title\n" + text, page=page)
            for score in range(0, 9):
                fresh = domain_ctx(claims, document_text="Title\n" + text, page=page)
                assert _page._care_at_least(page, ctx, score) == (_page.care_score(page, fresh) >= score)


def test_every_dateline_pattern_needs_a_year() -> None:
    """`_has_dateline` answers False for a page without a year: no dateline pattern can match
    one. Each pattern, with its year pieces made impossible, matches none of these datelines."""
    import re

    from claimaudit.rules.disclosure import _page

    datelines = [
        "Last checked: 20 February 2025", "Medically reviewed on March 3, 2024 by Dr. Lee",
        "Updated 2023", "Posted: 2019", "Toronto, Ont., Sept. 9, 2021 \u2014 A new study",
        "Health desk | 9 October 2023", "By Jane Roe, March 4, 2022",
    ]
    patterns = _page.table("dateline_regex").patterns
    for pattern in patterns:
        year = r"(?:19|20)\d\d"
        assert year in pattern.pattern
        impossible = re.compile(pattern.pattern.replace(year, r"(?!x)x"), pattern.flags)
        assert not any(impossible.search(line) for line in datelines)
    assert all(any(p.search(line) for p in patterns) for line in datelines)
    assert not _page._has_dateline.__wrapped__("Updated March 3\nno year here")  # type: ignore[attr-defined]
    assert _page._has_dateline.__wrapped__("intro\nUpdated March 3, 2024\n")  # type: ignore[attr-defined]
