"""STAT001-003: numbers against the studies they cite or name, and numbers with no source."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, marker, quantity  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, Reference  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.statistics import number_mismatch, outcome_definition, uncited_number  # noqa: E402


def run(module, claim, others=()):  # type: ignore[no-untyped-def]
    return list(module.check(claim, make_ctx([*others, claim])))


def stat_claim(text, snippets, *, cite=None, **kw):  # type: ignore[no-untyped-def]
    quantities = [quantity(text, s, k, v, unit="%" if k == "percent" else "") for s, k, v in snippets]
    citations = [marker(text, cite[0], "author_year", label=cite[1], year=cite[2], study_id=cite[3])] if cite else []
    kw.setdefault("kinds", (ClaimKind.STATISTIC, ClaimKind.EFFICACY))
    kw.setdefault("cues", [("efficacy", "responded")])
    return make_claim(text, quantities=quantities, citations=citations, **kw)


# ---------------------------------------------------------------- STAT001


def test_number_mismatch_wrong_sample_size_of_named_study_is_error() -> None:
    text = "The trial enrolled 40 patients (Lee et al., 2019)."
    claim = stat_claim(text, [("40 patients", "sample_size", 40)], cite=("(Lee et al., 2019)", "Lee", 2019, "lee2019"))
    [finding] = run(number_mismatch, claim)
    assert finding.severity is Severity.ERROR
    assert "n=24" in finding.message


def test_number_mismatch_reported_values_pass() -> None:
    text = "In Lee et al. (2019), 37.5% responded versus 4% with placebo, among 24 adults."
    claim = stat_claim(text, [("37.5%", "percent", 37.5), ("4%", "percent", 4), ("24 adults", "sample_size", 24)],
                       studies=["lee2019"])
    assert run(number_mismatch, claim) == []


def test_number_mismatch_unreported_percent_is_warning() -> None:
    text = "About 60% of patients responded (Lee et al., 2019)."
    claim = stat_claim(text, [("60%", "percent", 60)], cite=("(Lee et al., 2019)", "Lee", 2019, "lee2019"))
    [finding] = run(number_mismatch, claim)
    assert finding.severity is Severity.WARNING and "37.5" in finding.message


def test_number_mismatch_approximate_count_tolerates_rounding() -> None:
    text = "Novak and colleagues followed over 1,400 patients in 2020."
    claim = stat_claim(text, [("1,400 patients", "sample_size", 1400)], studies=["novak2020"])
    assert run(number_mismatch, claim) == []


def test_number_mismatch_counts_of_studies_are_not_sample_sizes() -> None:
    text = "Novak 2020 pooled 7 studies."
    claim = stat_claim(text, [("7", "sample_size", 7)], studies=["novak2020"])
    assert run(number_mismatch, claim) == []


def test_number_mismatch_uses_study_named_earlier_in_section() -> None:
    first = make_claim("Okafor et al. (2016) treated refractory anxiety.", claim_id="c0",
                       studies=["okafor2016"], section="Trials")
    text = "Of those, 95% improved."
    second = stat_claim(text, [("95%", "percent", 95)], claim_id="c1", section="Trials")
    [finding] = run(number_mismatch, second, [first])
    assert finding.severity is Severity.INFO  # linked by context only


# ---------------------------------------------------------------- STAT002


def test_uncited_number_with_no_close_study_is_error() -> None:
    text = "Over 95% of patients experience relief from anxiety."
    claim = stat_claim(text, [("95%", "percent", 95)], indications=["anxiety_disorders"])
    [finding] = run(uncited_number, claim)
    assert finding.severity is Severity.ERROR


def test_uncited_number_close_to_a_study_is_warning() -> None:
    text = "About 78% of patients with anxiety respond."
    claim = stat_claim(text, [("78%", "percent", 78)], indications=["anxiety_disorders"])
    [finding] = run(uncited_number, claim)
    assert finding.severity is Severity.WARNING


def test_uncited_number_sessions_protocol_is_warning() -> None:
    text = "Four to six sessions are the optimal course for the best results."
    claim = stat_claim(text, [("Four to six sessions", "sessions", 4)], cues=[("efficacy", "results")])
    [finding] = run(uncited_number, claim)
    assert finding.severity is Severity.WARNING and "sessions" in finding.message


def test_uncited_number_blog_citation_does_not_count_as_source() -> None:
    text = "Over 95% of patients feel better [2]."
    ref = Reference("2", "Webb. A rising star. Society blog, 2024.", 0, 10, study_id="blog2024")
    claim = stat_claim(text, [("95%", "percent", 95)], indications=["anxiety_disorders"])
    claim = make_claim(text, kinds=claim.kinds, quantities=claim.quantities, cues=[("efficacy", "better")],
                       indications=["anxiety_disorders"], citations=[marker(text, "[2]", reference=ref)])
    [finding] = run(uncited_number, claim)
    assert "does not resolve to a peer-reviewed study" in finding.message


def test_uncited_number_not_flagged_for_cited_hedged_or_non_treatment_claims() -> None:
    cited = stat_claim("37.5% responded (Lee et al., 2019).", [("37.5%", "percent", 37.5)],
                       cite=("(Lee et al., 2019)", "Lee", 2019, "lee2019"))
    hedged = stat_claim("Perhaps 90% could respond.", [("90%", "percent", 90)], certainty=Certainty.SPECULATIVE)
    dose = stat_claim("Doses of 0.5 mg/kg are used.", [("0.5 mg/kg", "dose", 0.5)])
    comparator = stat_claim("SSRIs help 60% of patients.", [("60%", "percent", 60)], substances=["ssris"])
    for claim in (cited, hedged, dose, comparator):
        assert run(uncited_number, claim) == [], claim.text


# ---------------------------------------------------------------- STAT003


def test_outcome_definition_wrong_threshold_is_warning() -> None:
    text = "In Lee et al. 2019, 37.5% versus 4% achieved a ≥30% improvement."
    claim = stat_claim(text, [("37.5%", "percent", 37.5), ("4%", "percent", 4), ("≥30%", "percent", 30)],
                       studies=["lee2019"])
    [finding] = run(outcome_definition, claim)
    assert ">35%" in finding.message
    assert run(number_mismatch, claim) == []  # the threshold is not a result


def test_outcome_definition_matching_threshold_passes() -> None:
    text = "In Lee et al. 2019, 37.5% achieved a more than 35% reduction."
    claim = stat_claim(text, [("37.5%", "percent", 37.5), ("35%", "percent", 35)], studies=["lee2019"])
    assert run(outcome_definition, claim) == []


def test_outcome_definition_acute_change_presented_as_lasting_is_info() -> None:
    text = "In Okafor 2016, anxiety remained reduced by 50% from baseline."
    claim = stat_claim(text, [("50%", "percent", 50)], studies=["okafor2016"])
    [finding] = run(outcome_definition, claim)
    assert finding.severity is Severity.INFO and "1 h after each dose" in finding.message


# --- clinic figures, generic trial wording, full two-arm reports --------------------------

def test_uncited_number_clinic_own_figure_with_outcome_words_is_flagged() -> None:
    text = "91% of our clients report fewer panic attacks within weeks."
    claim = make_claim(text, kinds=(ClaimKind.STATISTIC,), indications=["anxiety_disorders"],
                       quantities=[quantity(text, "91%", "percent", 91, unit="%")])
    [finding] = list(uncited_number.check(claim, make_ctx([claim])))
    assert finding.code == "STAT002"


def test_uncited_number_generic_trials_wording_is_not_a_study_report() -> None:
    text = "In clinical trials, ketamine helped 72% of people with treatment-resistant depression."
    claim = make_claim(text, substances=["ketamine"], indications=["trd"], cues=["efficacy"],
                       quantities=[quantity(text, "72%", "percent", 72, unit="%")])
    [finding] = list(uncited_number.check(claim, make_ctx([claim])))
    assert finding.severity is Severity.WARNING  # close to a recorded result, but unsourced


def test_uncited_number_both_arms_of_a_recorded_result_is_a_checkable_report() -> None:
    text = "Response was 37.5% with ketamine against 4.2% with placebo in social anxiety disorder."
    claim = make_claim(text, substances=["ketamine"], indications=["sad"], cues=["efficacy"],
                       quantities=[quantity(text, "37.5%", "percent", 37.5, unit="%"),
                                   quantity(text, "4.2%", "percent", 4.2, unit="%")])
    assert list(uncited_number.check(claim, make_ctx([claim]))) == []


def test_uncited_number_questioned_by_the_writer_is_not_flagged() -> None:
    text = "A clinic said 97% of users improved, but did not say how improvement was measured."
    claim = make_claim(text, kinds=(ClaimKind.STATISTIC,), indications=["anxiety_disorders"],
                       quantities=[quantity(text, "97%", "percent", 97, unit="%")])
    assert list(uncited_number.check(claim, make_ctx([claim]))) == []


def test_number_mismatch_author_named_as_group_with_wrong_year() -> None:
    text = "Rivera and colleagues (2017) found that 95% responded after six infusions."
    claim = make_claim(text, substances=["ketamine"], indications=["trd"],
                       quantities=[quantity(text, "95%", "percent", 95, unit="%")])
    [finding] = list(number_mismatch.check(claim, make_ctx([claim])))
    assert "Rivera" in finding.message



def test_a_ratio_in_words_with_letters_lower_case_keeps_is_a_percent() -> None:
    """The case-insensitive word ratio matches "\u017feven in ten" (long s); lower() keeps that
    letter, so the words are looked up case-folded (it raised KeyError once)."""
    from types import SimpleNamespace

    from claimaudit.rules.statistics._numbers import _as_percent

    def ratio(text: str) -> float:
        return _as_percent(SimpleNamespace(kind="ratio", text=text, value=0.0, upper=None))  # type: ignore[arg-type]

    assert ratio("seven in ten") == ratio("\u017feven in ten") == ratio("SEVEN out of TEN") == 70.0
    assert ratio("three of four") == 75.0
    assert ratio("\u017feven in zero") == 0.0  # no whole to divide by: the quantity's own value


def test_stated_numbers_for_a_few_kinds_match_a_reading_of_those_kinds_alone() -> None:
    """Each set of kinds is read from one reading of all of them: the same numbers, in order, as
    reading that set alone."""
    from claimaudit.rules.statistics import _numbers

    text = ("In 12 studies, about 70% of 40 patients (7 in 10) responded after six infusions, "
            "with at least a 50% drop; OR 2.1 (95% CI 1.2-3.4), under 5% relapsed.")
    claim = make_claim(text, quantities=[
        quantity(text, "12", "sample_size", 12), quantity(text, "70%", "percent", 70),
        quantity(text, "40", "sample_size", 40), quantity(text, "7 in 10", "ratio", 7, upper=10),
        quantity(text, "six infusions", "sessions", 6), quantity(text, "50%", "percent", 50),
        quantity(text, "2.1", "odds_ratio", 2.1), quantity(text, "1.2-3.4", "ci", 1.2, upper=3.4),
        quantity(text, "5%", "percent", 5),
    ])
    every = _numbers.RESULT_KINDS | _numbers.SESSION_KINDS
    for kinds in (every, _numbers.RESULT_KINDS, frozenset({"percent", "ratio"}), _numbers.SESSION_KINDS,
                  frozenset({"sample_size"}), frozenset()):
        alone = _numbers._stated_numbers.__wrapped__(claim, kinds | {"(no such kind)"})
        assert tuple(_numbers.stated_numbers(claim, kinds)) == alone
    assert len(_numbers.stated_numbers(claim, every)) >= 7


def test_number_mismatch_reads_a_hazard_ratio_as_the_relative_change_it_stands_for(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    def stat001(percent: int) -> list[str]:
        text = (f"# Esketamine\n\nIn stable remitters, continuing esketamine nasal spray cut the risk of "
                f"relapse by {percent}% (Daly et al., 2019).\n")
        result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
        return [f.message for f in result.findings if f.code == "STAT001"]

    assert stat001(51) == []  # the base records HR 0.49 for relapse: 1 - 0.49
    [message] = stat001(64)
    assert "Daly" in message and "64" in message
    # the ratio's relative change stands only for a change in risk, not for any other figure
    text = "# Esketamine\n\nIn stable remitters, 51% of patients on the spray stayed well (Daly et al., 2019).\n"
    result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
    assert [f.code for f in result.findings if f.code == "STAT001"] == ["STAT001"]
