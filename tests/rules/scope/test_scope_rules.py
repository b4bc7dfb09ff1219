"""SCOPE001-003: design words, transplanted results and stretched comparisons."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import make_claim, make_ctx, marker, quantity, small_kb, with_control_arm_substance  # noqa: E402

from claimaudit.claims.model import ClaimKind  # noqa: E402
from claimaudit.rules.scope import comparison_extended, design_overstated, transplanted_result  # noqa: E402


def run(module, claim, others=()):  # type: ignore[no-untyped-def]
    return list(module.check(claim, make_ctx([*others, claim])))


# ---------------------------------------------------------------- SCOPE001


def test_design_overstated_open_label_called_rct() -> None:
    claim = make_claim("Okafor et al. 2016 was the first randomized controlled trial in refractory anxiety.")
    [finding] = run(design_overstated, claim)
    assert "Okafor et al. 2016" in finding.message and "not randomized" in finding.message


def test_design_overstated_group_of_years_is_judged_per_study() -> None:
    claim = make_claim("The Okafor and Lee RCTs (2016, 2019) and the Brown 2015 meta-analysis of RCTs.")
    [finding] = run(design_overstated, claim)
    assert "Okafor" in finding.message
    assert "Lee et al. 2019" not in finding.message and "Brown" not in finding.message


def test_design_overstated_true_design_or_negated_not_flagged() -> None:
    right = make_claim("Lee et al. 2019 was a randomized, double-blind crossover trial.")
    negated = make_claim("Okafor et al. 2016 was not randomized.")
    review = make_claim("Brown 2015 pooled 12 RCTs.")
    for claim in (right, negated, review):
        assert run(design_overstated, claim) == [], claim.text


def test_design_overstated_cited_study() -> None:
    text = "A double-blind trial showed benefit [1]."
    from claimaudit.claims.model import Reference

    ref = Reference("1", "Okafor 2016", 0, 5, study_id="okafor2016")
    claim = make_claim(text, citations=[marker(text, "[1]", label="1", reference=ref)])
    [finding] = run(design_overstated, claim)
    assert "not blinded" in finding.message


def test_design_overstated_control_arm_substance_comes_from_the_base() -> None:
    """"<substance>-controlled" asserts a controlled design when the base gives that substance
    to trials' control arms (`trial_control`), whatever its name; any other word does not."""
    claim = make_claim("Okafor et al. 2016 was calmazine-controlled.")
    for flagged in (True, False):
        ctx = make_ctx([claim], kb=with_control_arm_substance(small_kb(), flagged))
        found = list(design_overstated.check(claim, ctx))
        if flagged:
            [finding] = found
            assert "'calmazine-controlled'" in finding.message and "not controlled" in finding.message
        else:
            assert found == []


# ---------------------------------------------------------------- SCOPE002


def test_transplanted_result_depression_rate_on_anxiety_claim() -> None:
    text = "In anxiety, 72.5% of patients respond to a course of infusions."
    claim = make_claim(text, kinds=(ClaimKind.EFFICACY, ClaimKind.STATISTIC), indications=["anxiety_disorders"],
                       quantities=[quantity(text, "72.5%", "percent", 72.5, unit="%")])
    [finding] = run(transplanted_result, claim)
    assert "Rivera" in finding.message and "TRD" in finding.message


def test_transplanted_result_cited_study_of_other_condition() -> None:
    text = "For social anxiety, 72% respond (Rivera et al., 2014)."
    claim = make_claim(text, indications=["sad"], quantities=[quantity(text, "72%", "percent", 72, unit="%")],
                       citations=[marker(text, "(Rivera et al., 2014)", "author_year", label="Rivera", year=2014,
                                         study_id="rivera2014")])
    assert len(run(transplanted_result, claim)) == 1


def test_transplanted_result_same_condition_or_bounded_uncited_not_flagged() -> None:
    text = "In TRD, 72.5% respond to six infusions."
    same = make_claim(text, indications=["trd"], quantities=[quantity(text, "72.5%", "percent", 72.5, unit="%")])
    text2 = "In anxiety, over 70% respond."
    bounded = make_claim(text2, indications=["anxiety_disorders"],
                         quantities=[quantity(text2, "70%", "percent", 70, unit="%")])
    assert run(transplanted_result, same) == [] and run(transplanted_result, bounded) == []


def test_transplanted_result_animal_study_for_patients() -> None:
    text = "Ketamine lifts mood within a day (Ito 1991)."
    claim = make_claim(text, substances=["ketamine"],
                       citations=[marker(text, "(Ito 1991)", "author_year", label="Ito", year=1991, study_id="ito1991")])
    [finding] = run(transplanted_result, claim)
    assert "animals" in finding.message
    animal_stated = make_claim("In mice, ketamine lifts mood (Ito 1991).", substances=["ketamine"],
                               studies=["ito1991"])
    assert run(transplanted_result, animal_stated) == []


# ---------------------------------------------------------------- SCOPE003


def test_comparison_extended_to_uncompared_condition() -> None:
    first = make_claim("Novak et al. (2020) followed 1,500 clinic patients.", claim_id="c0", studies=["novak2020"],
                       section="Real world")
    claim = make_claim("Compared to antidepressant users, patients recovered faster from depression and anxiety.",
                       indications=["mdd", "anxiety_disorders"], section="Real world")
    [finding] = run(comparison_extended, claim, [first])
    assert "anxiety disorders" in finding.message and "compared only MDD" in finding.message


def test_comparison_within_compared_condition_not_flagged() -> None:
    claim = make_claim("Compared to antidepressant users, depression fell further (Novak 2020).",
                       indications=["mdd"], studies=["novak2020"])
    no_comparison = make_claim("Patients improved in depression and anxiety (Novak 2020).",
                               indications=["mdd", "anxiety_disorders"], studies=["novak2020"])
    assert run(comparison_extended, claim) == [] and run(comparison_extended, no_comparison) == []


# --- subtype results widened, animal inference, age groups --------------------------------

def test_transplanted_result_subtype_figure_quoted_for_the_parent_condition() -> None:
    from claimaudit.claims.model import CitationMarker

    text = "Nearly 38% of people with anxiety disorders respond (Lee et al., 2019)."
    cite = CitationMarker("author_year", "(Lee et al., 2019)", text.find("(Lee"), len(text) - 1,
                          label="Lee", year=2019, study_id="lee2019")
    claim = make_claim(text, indications=["anxiety_disorders"], citations=[cite],
                       quantities=[quantity(text, "38%", "percent", 38, unit="%")])
    [finding] = list(transplanted_result.check(claim, make_ctx([claim])))
    assert "SAD" in finding.message


def test_transplanted_result_animal_finding_carried_to_people() -> None:
    claim = make_claim("In mice the drug restored lost connections, so patients will recover them too.",
                       kinds=(ClaimKind.MECHANISM,))
    [finding] = list(transplanted_result.check(claim, make_ctx([claim])))
    assert "animal" in finding.message
    plain = make_claim("In mice the drug restored lost connections; this has not been tested in people.",
                       kinds=(ClaimKind.MECHANISM,))
    assert list(transplanted_result.check(plain, make_ctx([plain]))) == []


def test_animal_inference_rewrite_names_any_treatment() -> None:
    """The rewrite drops ", which shows X will do the same for people" whatever treatment X is."""
    claim = make_claim("In rats the compound rebuilt synapses, which shows psilocybin will do the same for people.",
                       kinds=(ClaimKind.MECHANISM,))
    [finding] = list(transplanted_result.check(claim, make_ctx([claim])))
    assert finding.suggestion is not None
    assert "will do the same" not in finding.suggestion and "not been shown in people" in finding.suggestion


def test_study_gates_answer_as_the_look_ups() -> None:
    """`may_name_studies` is False only where neither `cited_studies` nor `studies_named_in_text`
    finds a study; `_acronym_gate` says no only where no acronym of the index is written."""
    from claimaudit.rules.scope import _studies

    from claimaudit.knowledge_base.load import load_knowledge_base
    from claimaudit.knowledge_base.lookup import KnowledgeLookup

    kb = KnowledgeLookup(load_knowledge_base((), bundled=True))
    names = list(_studies._acronym_index(kb))
    assert names
    authors = sorted({s.first_author for s in kb.kb.studies.values() if s.first_author})
    years = sorted({str(s.year) for s in kb.kb.studies.values()})
    words = [*names, *authors, *years, "et al", "and colleagues", "study", " ", ", ", "(", ")", "19", "20x"]
    import random

    rng = random.Random(12)
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        claim = make_claim(text or "x")
        if not _studies.may_name_studies(claim):
            assert not _studies.cited_studies(claim, kb) and not _studies.studies_named_in_text(claim.text, kb)
        gate = _studies._acronym_gate(kb)
        assert (gate is not None and gate.search(text) is not None) == any(n in text for n in names)
    text = "Ketamine works (Smith)."
    cited = make_claim(text, citations=[marker(text, "(Smith)", "author_year")])
    assert _studies.may_name_studies(cited)


def test_animal_finding_carried_to_people_names_any_treatment_of_the_claim() -> None:
    """"which shows X can": X is a substance the claim names (any the base knows), or "it";
    the animal as the subject ("which shows that rats can") carries nothing to people."""
    claim = make_claim("In rats the compound regrew synapses, which shows psilocybin can heal people's brains.",
                       kinds=(ClaimKind.MECHANISM,), substances=["psilocybin"])
    [finding] = list(transplanted_result.check(claim, make_ctx([claim])))
    assert "animal" in finding.message
    for text in ("In a study in rats, ketamine regrew synapses, which shows that rats can recover from stress.",
                 "In rats, ketamine reversed stress damage, which means insurance will not cover it yet."):
        plain = make_claim(text, kinds=(ClaimKind.MECHANISM,), substances=["ketamine"])
        assert list(transplanted_result.check(plain, make_ctx([plain]))) == [], text


def test_scope002_animal_mechanism_reported_as_research_in_people(auditor) -> None:  # type: ignore[no-untyped-def]
    from claimaudit.ingest import read_text

    def scope(sentence: str) -> list[str]:
        text = f"# Ketamine for depression\n\n{sentence}\n"
        result = auditor.audit_source(read_text(text, path="page.md", media_type="text/markdown"))
        return [f.message for f in result.findings if f.code == "SCOPE002"]

    # words between the research and its verb ("published in a top journal") do not hide the report
    assert scope("Research published in a top journal shows ketamine regrows brain cells in people.")
    assert scope("Scientists at two universities have found that ketamine grows new synapses.")
    # said of animals, or only suggested: no transplant
    assert scope("Research in mice shows ketamine grows new synapses.") == []
    assert scope("Studies at two universities suggest ketamine may grow new synapses.") == []
    # another subject's finding after the research word is not the research's report
    assert scope("Research is still limited but our patients have found that ketamine helps rewire the brain.") == []
    assert scope("Our research team and our nurses have found that ketamine increases BDNF.") == []
