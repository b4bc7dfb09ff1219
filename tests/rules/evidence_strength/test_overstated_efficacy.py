"""EVI001: certainty above the evidence grade, judged per substance x indication."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, small_kb, with_control_arm_substance  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, QualifierKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.evidence_strength.overstated_efficacy import check  # noqa: E402


def run(claim):  # type: ignore[no-untyped-def]
    return list(check(claim, make_ctx([claim])))


def test_overstated_efficacy_boosted_claim_on_preliminary_evidence_is_warning() -> None:
    claim = make_claim(
        "Ketamine has been shown to relieve generalized anxiety disorder.",
        certainty=Certainty.BOOSTED, substances=["ketamine"], indications=["gad"],
        cues=[("research_backed", "has been shown")],
    )
    [finding] = run(claim)
    assert finding.code == "EVI001"
    assert finding.severity is Severity.WARNING
    assert "preliminary" in finding.message and "level 4" in finding.message
    assert "'has been shown'" in finding.message
    assert "Okafor et al. 2016 n=9 open-label" in finding.message  # names the studies behind the grade
    assert finding.suggestion and "may" in finding.suggestion


def test_overstated_efficacy_one_step_plain_assertion_is_info() -> None:
    claim = make_claim("Ketamine treats PTSD.", substances=["ketamine"], indications=["ptsd"])
    [finding] = run(claim)
    assert finding.severity is Severity.INFO
    assert "mixed" in finding.message


@pytest.mark.parametrize("certainty", [Certainty.HEDGED, Certainty.SPECULATIVE, Certainty.REJECTED])
def test_overstated_efficacy_hedged_or_rejected_is_not_flagged(certainty: Certainty) -> None:
    claim = make_claim("Ketamine may ease social anxiety.", certainty=certainty,
                       substances=["ketamine"], indications=["sad"])
    assert run(claim) == []


def test_overstated_efficacy_established_use_at_level_four_is_not_flagged() -> None:
    claim = make_claim("Ketamine has been shown to work in TRD.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["trd"])
    assert run(claim) == []


def test_overstated_efficacy_reports_weakest_of_several_indications() -> None:
    claim = make_claim("Ketamine is proven for TRD, PTSD and social anxiety.", certainty=Certainty.BOOSTED,
                       substances=["ketamine"], indications=["trd", "ptsd", "sad"])
    [finding] = run(claim)
    assert "(also above the evidence for" in finding.message
    assert "trd" not in finding.message.split("also above")[1]


def test_overstated_efficacy_uses_topic_indication_when_none_named() -> None:
    claim = make_claim("It is a breakthrough treatment.", certainty=Certainty.BOOSTED,
                       topic_indication="gad", cues=[("breakthrough", "breakthrough")])
    [finding] = run(claim)
    assert "GAD" in finding.message


def test_overstated_efficacy_unknown_indication_or_non_efficacy_claim_is_not_judged() -> None:
    unknown = make_claim("Ketamine is proven for tinnitus.", certainty=Certainty.BOOSTED,
                         substances=["ketamine"], indications=["tinnitus"])
    mechanism = make_claim("Ketamine is proven to block NMDA receptors in anxiety.",
                           kinds=(ClaimKind.MECHANISM,), certainty=Certainty.BOOSTED,
                           substances=["ketamine"], indications=["gad"])
    assert run(unknown) == [] and run(mechanism) == []


def test_overstated_efficacy_comparator_substance_is_not_judged() -> None:
    claim = make_claim("SSRIs are proven for anxiety.", certainty=Certainty.BOOSTED,
                       substances=["ssris"], indications=["anxiety_disorders"], topic_substance=None)
    assert run(claim) == []


def test_overstated_efficacy_strong_claim_put_in_hypothetical_guidelines_mouth() -> None:
    claim = make_claim("The guidelines would acknowledge the strong evidence for ketamine in PTSD.",
                       certainty=Certainty.SPECULATIVE, substances=["ketamine"], indications=["ptsd"],
                       cues=[("hypothetical_authority", "guidelines would")],
                       qualifiers=[(QualifierKind.BOOSTER, "strong evidence")])
    [finding] = run(claim)
    assert finding.severity is Severity.WARNING


def test_overstated_efficacy_absolute_claim_far_above_grade_is_error() -> None:
    claim = make_claim("Ketamine cures anxiety.", certainty=Certainty.ABSOLUTE,
                       substances=["ketamine"], indications=["anxiety_disorders"])
    [finding] = run(claim)
    assert finding.severity is Severity.ERROR


# --- comparisons, total outcomes, promotional headings -------------------------------------

from helpers import study  # noqa: E402

from claimaudit.knowledge_base.model import Outcome  # noqa: E402


def _with_head_to_head():  # type: ignore[no-untyped-def]
    trial = study("vance2020", "Vance", 2020, design="rct", randomized=True, controlled=True, n=120,
                  substances=("ketamine",), indications=("mdd",), comparator="light therapy",
                  topics=("light_therapy",),
                  outcomes=(Outcome("remission", 30, definition="MADRS <= 10", comparator_value=48,
                                    p_value=0.01, indication="mdd"),))
    return small_kb(extra_studies=[trial])


def test_comparison_contradicted_by_a_head_to_head_trial_is_error() -> None:
    claim = make_claim("Ketamine is better than light therapy for treatment-resistant depression.",
                       substances=["ketamine"], indications=["trd"])
    [finding] = list(check(claim, make_ctx([claim], kb=_with_head_to_head())))
    assert finding.severity is Severity.ERROR
    assert "Vance" in finding.message and "contradicts" in finding.message


def test_comparison_with_no_head_to_head_study_is_flagged_even_for_established_use() -> None:
    claim = make_claim("Ketamine works better than talking therapy for treatment-resistant depression.",
                       substances=["ketamine"], indications=["trd"])
    [finding] = run(claim)
    assert "no head-to-head" in finding.message and "talking therapy" in finding.message


def test_trial_result_against_placebo_and_negated_comparison_are_not_comparisons() -> None:
    outperformed = make_claim("Ketamine outperformed placebo in social anxiety disorder.",
                              substances=["ketamine"], indications=["sad"], certainty=Certainty.HEDGED)
    negated = make_claim("Ketamine worked no better than light therapy for depression.",
                         substances=["ketamine"], indications=["trd"], certainty=Certainty.REJECTED)
    assert run(outperformed) == [] and list(check(negated, make_ctx([negated], kb=_with_head_to_head()))) == []


def test_total_outcome_raises_an_established_use_to_absolute() -> None:
    claim = make_claim("Ketamine ends treatment-resistant depression.", substances=["ketamine"], indications=["trd"])
    [finding] = run(claim)
    assert "level 5" in finding.message


def test_promotional_heading_is_judged_but_plain_topic_heading_is_not() -> None:
    claim = make_claim("PTSD Care That Works", substances=["ketamine"], indications=["ptsd"])
    topic = make_claim("Ketamine for PTSD", substances=["ketamine"], indications=["ptsd"])
    assert len(run(claim)) == 1 and run(topic) == []


# ---------------------------------------------------------------- generalisations (third pass)

from claimaudit.rules.evidence_strength import _grading  # noqa: E402


def test_evidence_superlatives_set_the_asserted_level() -> None:
    assert _grading.evidence_strength_level("The evidence for it in PTSD is now overwhelming.") == 5
    assert _grading.evidence_strength_level("There is strong evidence that it helps.") == 4
    assert _grading.evidence_strength_level("There is no strong evidence that it helps.") == 0
    assert _grading.evidence_strength_level("The evidence is limited to small trials.") == 0


def test_works_for_anything_counts_as_absolute() -> None:
    assert _grading.absolute_outcome("It helps with PTSD, OCD, you name it.")
    assert _grading.absolute_outcome("This therapy works across the board.")
    assert not _grading.absolute_outcome("Results vary across patients.")


def test_gain_over_the_treatment_itself_is_a_comparison_without_head_to_head_data() -> None:
    kb = make_ctx().kb
    match = _grading.superiority("Adding therapy doubles its effectiveness.", kb)
    assert match is not None and match.group("selfcmp")
    assert _grading.superiority("Twice as effective as before, our clients say.", kb) is not None
    assert _grading.superiority("The dose was doubled after a week.", kb) is None


@pytest.mark.parametrize(("text", "other"), [
    ("Clients here are more likely to recover than those who stay on pills.", "those who stay on pills"),
    ("You are twice as likely to reach remission as with talk therapy alone.", "with talk therapy alone"),
    ("Patients are 3 times more likely to feel better than with standard care.", "with standard care"),
])
def test_a_better_chance_of_benefit_than_other_treatments_is_a_comparison(text: str, other: str) -> None:
    match = _grading.superiority(text, make_ctx().kb)
    assert match is not None and match.group("other5") == other


@pytest.mark.parametrize("text", [
    "Patients are more likely to feel dizzy than those on placebo.",  # a side effect, not a benefit
    "People on the drug were more likely to respond than those on placebo.",  # a trial against placebo
    "Younger adults are more likely to seek help.",  # no comparison with a treatment
    "After ketamine, patients are more likely to respond to therapy than before.",  # an earlier time
    "Ketamine patients were more likely to feel better than they had in years.",  # the same people
])
def test_other_likelihoods_are_not_comparisons_of_benefit(text: str) -> None:
    assert _grading.superiority(text, make_ctx().kb) is None


def test_a_win_over_a_control_arm_substance_is_a_trial_result_not_a_comparison() -> None:
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

    text = "In the trial, ketamine outperformed Calmazine within a day."
    assert _grading.superiority(text, KnowledgeLookup(with_control_arm_substance(small_kb(), True))) is None
    assert _grading.superiority(text, KnowledgeLookup(with_control_arm_substance(small_kb(), False))) is not None
    # a later comparison with a treatment still counts
    both = "Ketamine outperformed calmazine, and it works better than ECT for many."
    match = _grading.superiority(both, KnowledgeLookup(with_control_arm_substance(small_kb(), True)))
    assert match is not None and "ECT" in match.group(0)


def test_proof_label_fragment_takes_the_page_conditions() -> None:
    from helpers import make_claim

    fragment = make_claim("Clinically proven.", cues=[("proven", "proven")], certainty=Certainty.BOOSTED)
    scoped = _grading.scoped_to_page(fragment, ("gad", "mdd"))
    assert set(scoped.indications) == {"gad", "mdd"}
    sentence = make_claim("Our team is clinically proven to care.", cues=[("proven", "proven")])
    assert _grading.scoped_to_page(sentence, ("gad",)).indications == ()


@pytest.mark.parametrize(
    ("substances", "indications", "topic_indication"),
    [
        (["ketamine"], ["gad"], None), (["ketamine"], ["ptsd"], None), (["ketamine"], [], "ptsd"),
        (["ketamine"], [], None), ([], ["gad"], None), (["ketamine"], ["no_such_condition"], None),
        (["no_such_drug"], ["gad"], None), (["ketamine", "esketamine"], ["gad", "ptsd"], None),
        (["ketamine"], ["anaesthesia"], None), (["ketamine"], ["trd"], None), (["esketamine"], ["trd"], None),
    ],
)
@pytest.mark.parametrize("certainty", [Certainty.ASSERTED, Certainty.BOOSTED, Certainty.ABSOLUTE])
def test_the_early_gates_of_evi001_rule_out_only_claims_with_no_overstated_pair(  # type: ignore[no-untyped-def]
    substances, indications, topic_indication, certainty
) -> None:
    """`lowest_supported` is None only when `judgements` finds no pair; with every grade at
    "boosted" or above and `may_exceed_boosted` false, no pair is above its evidence."""
    from claimaudit.rules.evidence_strength._grading import judgements, lowest_supported, may_exceed_boosted

    texts = ("Ketamine treats it.", "Ketamine has been proven to cure it.", "It works better than ECT.",
             "The evidence for ketamine is overwhelming.", "Strong evidence shows ketamine works.")
    for text in texts:
        claim = make_claim(text, certainty=certainty, substances=substances, indications=indications,
                           topic_indication=topic_indication)
        ctx = make_ctx([claim])
        found = judgements(claim, ctx.kb)
        lowest = lowest_supported(claim, ctx.kb)
        if lowest is None:
            assert found == [] and run(claim) == []
        else:
            if found and not found[0].comparison:
                assert lowest == min(j.supported for j in found)
            if lowest >= Certainty.BOOSTED and not may_exceed_boosted(claim, ctx.kb):
                assert all(j.gap <= 0 for j in found) and run(claim) == []


def test_a_gain_over_any_treatment_s_own_effect_is_a_self_comparison() -> None:
    kb = make_ctx().kb
    for text in ("Our protocol doubles psilocybin's benefits.", "Music amplifies the therapy\u2019s effects."):
        match = _grading.superiority(text, kb)
        assert match is not None and match.group("selfcmp"), text
    assert _grading.superiority("The team's results doubled.", kb) is None
    for interaction in ("Drinking alcohol amplifies the medication's effects.",
                        "Grapefruit juice doubles the drug's effect.", "Mixed with opioids it boosts the sedative's effects."):
        assert _grading.superiority(interaction, kb) is None, interaction  # a safety statement
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

    with_sedative = KnowledgeLookup(with_control_arm_substance(small_kb(), True))
    assert _grading.superiority("Calmazine boosts the infusion's effects.", with_sedative) is None  # no focus substance
    assert _grading.superiority("The protocol boosts the infusion's effects.", with_sedative) is not None


def test_the_combined_exceed_gate_answers_as_the_outcome_and_comparison_tests() -> None:
    """`may_exceed_boosted`'s one search (`_exceed_gate`) rules out only texts where neither a
    total outcome nor a comparison with other treatments nor conclusive evidence is found."""
    kb = make_ctx().kb
    texts = (
        "Ketamine treats depression.", "It ends depression for good.", "This cured my back pain.",
        "Works better than ECT, patients say.", "It performed just as well as therapy.",
        "The most effective treatment for PTSD available today.", "Beats every other option.",
        "It helped in 100% of our patients.", "Results: 100 % remission.", "It stopped the pain completely.",
        "Almost everyone responds.", "It helps, you name it.", "The evidence is conclusive.",
        "Overwhelming evidence backs this.", "The weekends are busy; it depends.", "Secure your booking now.",
        "It doubles its effectiveness.", "Twice as effective as a pill.", "Ketamine\u2019s effects beat the blues.",
        "WORKS BETTER THAN ECT.", "", "A", "best", "Our clinic is the best place for infusions ever.",
    )
    gate = _grading._exceed_gate()
    assert gate is not None
    for text in texts:
        lowered = _grading.prefilter.folded(text)
        ruled_out = "100" not in lowered and not gate.may_match(lowered) and _grading._TOTAL_WORDS.search(lowered) is None
        direct = (
            _grading.absolute_outcome(text)
            or (_grading._TOTAL_WORDS.search(lowered) is not None and _grading.evidence_strength_level(text) >= 5)
            or _grading.superiority(text, kb) is not None
        )
        assert not (ruled_out and direct), text
        for certainty in (Certainty.ASSERTED, Certainty.BOOSTED, Certainty.ABSOLUTE):
            claim = make_claim(text or "x", certainty=certainty)
            expected = certainty >= Certainty.ABSOLUTE or bool(
                _grading.absolute_outcome(claim.text)
                or (_grading._TOTAL_WORDS.search(_grading.prefilter.folded(claim.text)) is not None
                    and _grading.evidence_strength_level(claim.text) >= 5)
                or _grading.superiority(claim.text, kb) is not None
            )
            assert _grading.may_exceed_boosted(claim, kb) == expected, (text, certainty)


def test_a_proof_label_needs_a_proof_cue_to_be_scoped() -> None:
    """`scoped_to_page` tests the proof cue before the claim's indications: a claim with other
    cues, or with its own condition, is returned as it is."""
    plain = make_claim("Clinically proven.", cues=[("onset_fast", "fast")], certainty=Certainty.BOOSTED)
    assert _grading.scoped_to_page(plain, ("gad",)) is plain
    own = make_claim("Proven for GAD.", cues=[("proven", "proven")], indications=["gad"], certainty=Certainty.BOOSTED)
    assert _grading.scoped_to_page(own, ("mdd",)) is own
    label = make_claim("Clinically proven.", cues=[("proven", "proven")], certainty=Certainty.BOOSTED)
    scoped = _grading.scoped_to_page(label, ("mdd", "gad"))
    assert scoped is not label and scoped.indications == ("mdd", "gad")
    assert _grading.scoped_to_page(label, ()) is label


def test_a_trial_against_a_control_arm_substance_is_no_head_to_head_with_other_treatments() -> None:
    """"The best treatment available" is judged against active comparators only: a study whose
    comparator the base gives to control arms (`trial_control`) counts as one only when the
    substance is not so marked."""
    from dataclasses import replace

    from claimaudit.knowledge_base.lookup import KnowledgeLookup

    trial = study("ito2021", "Ito", 2021, design="rct", randomized=True, controlled=True, n=80,
                  substances=("ketamine",), indications=("mdd",), comparator="calmazine",
                  outcomes=(Outcome("response", 25, comparator_value=50, p_value=0.01, indication="mdd"),))
    compared = _grading.superiority("Ketamine is the most effective treatment available today.", make_ctx().kb)
    assert compared is not None
    levels = {}
    for flagged in (True, False):
        base = with_control_arm_substance(small_kb(extra_studies=[trial]), flagged)
        base = replace(base, studies={key: s for key, s in base.studies.items() if not s.comparator or key == "ito2021"})
        levels[flagged] = _grading.comparative_support(KnowledgeLookup(base), "ketamine", "mdd", compared)
    assert levels[True][:2] == (int(Certainty.SPECULATIVE), None)  # the control-arm trial is passed over
    assert levels[False][1] is not None and levels[False][1].id == "ito2021" and levels[False][0] == int(Certainty.REJECTED)


def test_a_total_outcome_credited_to_a_study_the_base_does_not_know_is_judged(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    def evi(sentence: str) -> list[str]:
        text = f"# Ketamine for depression\n\n{sentence}\n"
        result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
        return [f.message for f in result.findings if f.code == "EVI001"]

    [message] = evi("A study in The Lancet found ketamine eliminated depression in every patient.")
    assert "absolute" in message
    # a report that is no total outcome stays with STAT and SCOPE
    assert evi("A study in The Lancet found ketamine eased depression in many patients.") == []


def test_ends_is_a_total_outcome_only_when_it_ends_the_condition() -> None:
    assert _grading.absolute_outcome("Ketamine ends depression for good.")
    assert _grading.absolute_outcome("It ends the suffering.")
    # a bare verb is a purpose ("helps banish the fog"), as "helps eliminate" is
    assert not _grading.absolute_outcome("Ketamine helps banish the fog of depression.")
    assert not _grading.absolute_outcome("It is designed to wipe out cravings.")
    for text in ("Ketamine treatment ends after six sessions.", "The infusion ends within an hour.",
                 "Treatment for depression ends following your sixth infusion.",
                 "Each visit ends with a check-in.", "Care ends the day you choose."):
        assert not _grading.absolute_outcome(text), text


@pytest.mark.parametrize("sentence", ["Ketamine wipes out depression.", "Ketamine banishes anxiety.",
                                      "Ketamine wiped out my depression."])
def test_wiping_out_or_banishing_a_condition_is_a_total_outcome_claim(auditor, sentence: str) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    text = f"# Ketamine for depression and anxiety\n\n{sentence}\n"
    result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
    assert any(f.code == "EVI001" and "absolute" in f.message for f in result.findings)


def test_a_likelier_benefit_than_another_treatment_reaches_evi001(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    text = "# Ketamine for depression\n\nPatients on ketamine are more likely to respond than those given SSRIs.\n"
    result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
    assert any(f.code == "EVI001" and "comparison" in f.message for f in result.findings)
