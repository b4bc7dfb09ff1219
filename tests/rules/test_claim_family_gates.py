"""Gates of the EVI, REG, STAT, SCOPE and CITE rules answer as the direct computation: a gate
that says no only where the pattern it guards cannot match."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import make_claim  # noqa: E402

from claimaudit.nlp import prefilter  # noqa: E402
from claimaudit.rules.evidence_strength import _grading  # noqa: E402

TEXTS = [
    "Ketamine works better than ECT for many people.",
    "It is BETTER THAN   antidepressants, say some.",
    "Esketamine outperformed placebo in two trials.",
    "It outperforms SSRIs in speed.",
    "Ketamine beats every pill on the market.",
    "It is as effective as electroconvulsive therapy.",
    "Just as good as ECT, and faster.",
    "Equally powerful as infusions at home.",
    "The nasal spray works just as well as infusions do.",
    "It helped about as well as therapy alone.",
    "The most effective treatment for depression available today.",
    "Ketamine is the best therapy there is.",
    "The fastest-acting medication ever made.",
    "It beats every other option.",
    "Every other treatment failed me.",
    "Adding therapy doubles its effectiveness.",
    "Boosts ketamine's results, in our experience.",
    "It is twice as effective, and three times more effective in some.",
    "It is no better than placebo.",
    "Ketamine is effective for depression and works well for many.",
    "The treatment is available today at our clinic.",
    "Book a consultation with our team.",
    "Ketamine, as well as esketamine, is used in anaesthesia.",
    "As effective? As well? Better.",
    "İt is better than ECT, ſo they say.",
    "Stronger to the end: ketamine works.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_superiority_gate_closed_only_without_a_match(text: str) -> None:
    gate = _grading._superiority_gate()
    assert gate is not None
    if _grading.SUPERIORITY.search(text) is not None:
        assert gate.may_match(prefilter.folded(text))


@pytest.mark.parametrize("index", range(len(_grading.SUPERIORITY.pieces)))
def test_superiority_gate_opens_on_generated_matches_of_every_piece(index: int) -> None:
    """The gate's pieces are kept by hand beside SUPERIORITY's: text generated from each of
    SUPERIORITY's pieces (a space for each word boundary) opens the gate wherever SUPERIORITY
    matches, so a piece edited on one side only fails here."""
    import re

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    piece = _grading.SUPERIORITY.pieces[index]
    source = piece if isinstance(piece, str) else piece.pattern
    generated = st.from_regex(re.compile(source.replace(r"\b", " "), re.I), fullmatch=True)
    gate = _grading._superiority_gate()
    assert gate is not None
    matched = []

    @settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(generated, st.sampled_from(["", "Ketamine ", "It is ", "The "]))
    def opens(body: str, lead: str) -> None:
        text = lead + body
        if _grading.SUPERIORITY.search(text) is not None:
            matched.append(text)
            assert gate.may_match(prefilter.folded(text)), text

    opens()
    assert matched


ABSOLUTE_TEXTS = [
    "Ketamine cures depression.",
    "It ENDS anxiety for good.",
    "The pain stopped completely after one infusion.",
    "Symptoms completely disappeared within a day.",
    "It works in 100% of patients; 100 % of them improved.",
    "It helps almost everyone and nearly all patients.",
    "Effective across the board: PTSD, OCD, you name it.",
    "No matter what you have tried, whatever your condition.",
    "It eliminates symptoms and eradicated pain; it wipes out fear.",
    "It is not a cure, and recommends nothing.",
    "Depends on the patient; it extends relief.",
    "The evidence is overwhelming and conclusive.",
    "There is strong evidence; the science is settled, beyond doubt.",
    "Indisputable, irrefutable, undeniable proof of it.",
    "The evidence is strong.",
    "Book a consultation with our team today.",
    "İt ends depreſſion; the data are ſettled.",
]


@pytest.mark.parametrize("text", ABSOLUTE_TEXTS)
def test_absolute_gate_closed_only_without_a_match(text: str) -> None:
    lowered = prefilter.folded(text)
    if _grading.ABSOLUTE_OUTCOME.search(text) is not None:
        assert "100" in lowered or _grading._absolute_gate().may_match(lowered)
    if _grading.evidence_strength_level(text) >= 5:
        assert _grading._TOTAL_WORDS.search(lowered)


def test_approval_cue_test_reads_the_cue_labels() -> None:
    from claimaudit.rules.regulatory._frames import has_approval_cue

    text = "Ketamine is FDA approved for depression."
    for cues in ([("approval", "approved")], [("off_label", "FDA")], [("off_label", "FDA"), ("approval", "approved")], []):
        claim = make_claim(text, cues=cues)
        assert has_approval_cue(claim) == any(c.entity_id == "approval" for c in claim.cues)


STUDY_TEXTS = [
    "In the TRANSFORM-2 trial, esketamine plus an antidepressant beat placebo.",
    "TRANSFORM-23 is not a trial name; SUSTAIN-1 is.",
    "The CANMAT guidelines list it third-line.",
    "Glue et al. (2017) found a response in social anxiety.",
    "Feder and colleagues (2019) reported a benefit in PTSD.",
    "A 2014 trial found it worked within hours.",
    "Ketamine works quickly for most people.",
    "The FDA and the NIH say so.",
    "",
]


@pytest.mark.parametrize("text", STUDY_TEXTS)
def test_claim_studies_fast_path_equals_direct(auditor, text: str) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.rules.scope import _studies

    kb = auditor.lookup
    claim = make_claim(text)
    found: dict[str, object] = {}
    for study in _studies.studies_named_in_text(text, kb):
        found.setdefault(study[0].id, study[0])
    for study in _studies.studies_named_by_acronym(text, kb):
        found.setdefault(study.id, study)
    if not found:
        for _, _, studies in _studies.authors_with_wrong_year(text, kb):
            for study in studies:
                found.setdefault(study.id, study)
    assert _studies.claim_studies(claim, kb) == tuple(found.values())
    names = {n for n in _studies._ACRONYM.findall(text) if n in _studies._acronym_index(kb)}
    assert bool(_studies.studies_named_by_acronym(text, kb)) == bool(names)


def _close_reference(stated, candidate: float) -> bool:  # type: ignore[no-untyped-def]
    """`close` as it was written per candidate (the reference for the hoisted bounds)."""
    value = stated.value
    kind = stated.quantity.kind
    if stated.upper is not None and kind in {"percent", "ratio", "ci"}:
        if value - 1.5 <= candidate <= stated.upper + 1.5:
            return True
    if kind == "sample_size":
        slack = 0.0 if stated.relation == "exact" else max(2.0, 0.12 * value)
    elif kind in {"percent", "ratio"}:
        slack = 1.5 if stated.relation == "exact" else 2.5
        candidate = abs(candidate)
    else:
        slack = max(0.06 * abs(value), 0.05) if stated.relation == "exact" else 0.15 * abs(value)
    if stated.relation == "lower":
        return value - slack <= candidate <= value + max(slack, 0.25 * abs(value))
    if stated.relation == "upper":
        return value - max(slack, 0.25 * abs(value)) <= candidate <= value + slack
    return abs(candidate - value) <= slack


def test_close_equals_the_per_candidate_reference() -> None:
    from claimaudit.claims.model import Quantity
    from claimaudit.rules.statistics._numbers import Stated, close, matches_any

    values = [0.0, 0.3, 1.0, 2.5, 7.0, 12.0, 30.0, 49.5, 50.0, 64.0, 100.0, 250.0]
    candidates = [-60.0, -50.0, -2.0, 0.0, 0.25, 0.31, 0.9, 1.0, 1.04, 2.0, 2.5, 4.0, 6.6, 7.0, 7.5, 10.6, 12.0,
                  13.44, 27.5, 30.0, 32.5, 47.0, 48.0, 49.5, 51.5, 52.5, 53.0, 62.5, 64.0, 80.0, 100.0, 220.0, 250.0]
    for kind in ("percent", "ratio", "ci", "sample_size", "odds_ratio", "count", "sessions"):
        for relation in ("exact", "approx", "lower", "upper"):
            for value in values:
                for upper in (None, value + 5.0):
                    stated = Stated(Quantity(kind, value, str(value), 0, 1, upper), value, upper, relation, False)
                    for candidate in candidates:
                        assert close(stated, candidate) == _close_reference(stated, candidate)
                    expected = any(_close_reference(stated, c) for c in candidates[::3])
                    assert matches_any(stated, candidates[::3]) == expected


def test_lowest_supported_equals_the_pairs_judged(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.rules.scope._studies import claim_indications, focus_substances

    kb = auditor.lookup
    indications = [None, *sorted(kb.kb.indications)[:6], "no_such_condition"]
    substances = [None, *sorted(kb.kb.substances)[:6], "no_such_drug"]
    for substance in substances:
        for indication in indications:
            for topic in (None, "ptsd"):
                claim = make_claim(
                    "It works.", substances=[substance] if substance else [],
                    indications=[indication] if indication else [], topic_indication=topic,
                )
                named = [i for i in claim_indications(claim) if kb.indication(i) is not None]
                levels = [
                    a.grade.supported_level for s in focus_substances(claim, kb) for i in named
                    if (a := kb.assessment_for(s, i)) is not None
                ]
                expected = (min(levels) if levels else None) if named else None
                assert _grading.lowest_supported(claim, kb) == expected


RESEARCH_TEXTS = [
    "Ketamine has been clinically proven to relieve depression.",
    "It has been shown in several clinical trials to help.",
    "Demonstrated by researchers in three studies.",
    "Science has now established that it works.",
    "Researchers have confirmed the effect.",
    "Medicine has finally SHOWN what it can do.",
    "It has been proven safe.",
    "Research on ketamine is ongoing in many studies.",
    "Book a consultation with our team today.",
    "İt has been ſhown in trials.",
]


@pytest.mark.parametrize("text", RESEARCH_TEXTS)
def test_research_wording_gate_equals_direct(text: str) -> None:
    from claimaudit.rules.citation import uncited_research

    direct = [m.span() for m in uncited_research._RESEARCH_WORDING.finditer(text)]
    assert [m.span() for m in uncited_research._research_wording(text)] == direct


def _category_reference(window: str, names_treatment: bool, compares: bool) -> str:
    from claimaudit.rules.statistics import _topic

    for name, patterns in _topic._categories():
        if name in {"prevalence", "other_treatment"} and names_treatment:
            continue
        if name == "other_treatment" and compares:
            continue
        if any(p.search(window) for p in patterns):
            return name
    return _topic.OUTCOME


CATEGORY_TEXTS = [
    "About 1 in 5 adults will develop depression in their lifetime.",
    "The prevalence of PTSD is 7% among veterans.",
    "SSRIs help 40% of patients, and ECT helps 60%.",
    "Ketamine has a half-life of 2.5 hours and 90% bioavailability.",
    "A package of six infusions costs $2,400; we have given 11,000 infusions.",
    "Response was defined as a 50% reduction in MADRS score.",
    "70% of patients responded within 24 hours.",
    "Peak plasma levels occur at 30 minutes; the fee is $400.",
    "",
]


@pytest.mark.parametrize("text", CATEGORY_TEXTS)
def test_number_category_equals_the_loop_over_patterns(text: str) -> None:
    from claimaudit.rules.statistics import _topic

    for names_treatment in (False, True):
        for compares in (False, True):
            assert _topic._category(text, names_treatment, compares) == _category_reference(text, names_treatment, compares)
