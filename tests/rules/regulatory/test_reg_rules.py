"""REG001-REG005: approvals judged per substance x indication x regulator."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import cue, domain_ctx, make_claim  # noqa: E402

from claimaudit.claims.model import Certainty, ClaimKind, Mention, QualifierKind  # noqa: E402
from claimaudit.findings.model import Severity  # noqa: E402
from claimaudit.rules.regulatory import (  # noqa: E402
    approval_not_held,
    approval_scope_misstated,
    implied_approval,
    prescription_framing,
    regulatory_misconception,
)


def claim_with(text, *, substances=(), indications=(), cues=(), certainty=Certainty.ASSERTED,
               qualifiers=(), topic_indication=None, regulators=()):  # type: ignore[no-untyped-def]
    """A regulatory claim; substances/indications/regulators are (id, word-in-text) pairs."""
    mentions = []
    for kind, pairs in (("substance", substances), ("indication", indications), ("regulator", regulators)):
        for entity_id, word in pairs:
            at = text.find(word)
            assert at >= 0, word
            mentions.append(Mention(kind, entity_id, word, at, at + len(word)))
    base = make_claim(text, kinds=[ClaimKind.REGULATORY], certainty=certainty, qualifiers=qualifiers,
                      topic_indication=topic_indication)
    return replace(base, mentions=tuple(mentions), cues=tuple(cue(text, label, word) for label, word in cues))


def run(module, claim, **ctx_args):  # type: ignore[no-untyped-def]
    return list(module.check(claim, domain_ctx([claim], **ctx_args)))


# ---------------------------------------------------------------- REG001


def test_reg001_unapproved_indication_is_error_naming_the_real_approval() -> None:
    text = "Ketamine is an FDA-approved treatment for generalized anxiety disorder."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")],
                       indications=[("gad", "generalized anxiety disorder")],
                       regulators=[("fda", "FDA")], cues=[("approval", "FDA-approved")])
    [finding] = run(approval_not_held, claim)
    assert finding.code == "REG001" and finding.severity is Severity.ERROR
    assert "generalized anxiety disorder" in finding.message
    assert "anaesthesia" in finding.message
    assert finding.suggestion == (
        "Ketamine is used off-label for generalized anxiety disorder; it is approved (FDA) for anaesthesia."
    )
    assert finding.note and "Spravato" in finding.note  # the family's approvals, as context
    assert any(e.id == "ket_fda" for e in finding.evidence)


def test_reg001_recorded_approval_is_not_flagged() -> None:
    text = "Spravato is approved by Health Canada for treatment-resistant depression."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("trd", "treatment-resistant depression")],
                       regulators=[("health_canada", "Health Canada")], cues=[("approval", "approved")])
    assert run(approval_not_held, claim) == []


def test_reg001_negated_approval_is_not_flagged() -> None:
    text = "Ketamine is not approved for generalized anxiety disorder."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")],
                       indications=[("gad", "generalized anxiety disorder")],
                       cues=[("approval", "approved")], certainty=Certainty.REJECTED,
                       qualifiers=[(QualifierKind.NEGATION, "not")])
    assert run(approval_not_held, claim) == []


def test_reg001_wrong_regulator_names_where_it_is_approved() -> None:
    text = "Spravato is approved by Health Canada for depression with suicidal thoughts."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("mdd_si", "depression with suicidal thoughts")],
                       regulators=[("health_canada", "Health Canada")], cues=[("approval", "approved")])
    [finding] = run(approval_not_held, claim)
    assert "FDA" in finding.message


def test_reg001_only_the_clause_after_the_cue_counts() -> None:
    text = "Doctors use ketamine off-label for chronic pain, and FDA-approved Spravato treats treatment-resistant depression."
    claim = claim_with(text, substances=[("ketamine", "ketamine"), ("esketamine", "Spravato")],
                       indications=[("ptsd", "chronic pain"), ("trd", "treatment-resistant depression")],
                       cues=[("off_label", "off-label"), ("approval", "FDA-approved")])
    assert run(approval_not_held, claim) == []


# ---------------------------------------------------------------- REG002


def test_reg002_label_without_indication_on_unapproved_topic_page() -> None:
    text = "We use FDA-approved ketamine, given by our medical team."
    claim = claim_with(text, substances=[("ketamine", "ketamine")], cues=[("approval", "FDA-approved")],
                       topic_indication="gad", regulators=[("fda", "FDA")])
    [finding] = run(implied_approval, claim)
    assert finding.severity is Severity.WARNING
    assert "implies approval" in finding.message and "anaesthesia" in finding.message


def test_reg002_sentence_naming_the_approved_use_is_not_flagged() -> None:
    text = "Ketamine is an FDA-approved anesthetic that we use at lower doses."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")], cues=[("approval", "FDA-approved")],
                       topic_indication="gad", regulators=[("fda", "FDA")])
    assert run(implied_approval, claim) == []


# ---------------------------------------------------------------- REG003


def test_reg003_exclusive_statement_leaving_out_approvals() -> None:
    text = "Spravato is approved only for treatment-resistant depression in the United States."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("trd", "treatment-resistant depression")], cues=[("approval", "approved")])
    [finding] = run(approval_scope_misstated, claim, jurisdictions=("US",))
    assert finding.severity is Severity.WARNING
    assert "major depressive disorder with suicidal ideation" in finding.message


def test_reg003_exclusive_statement_that_matches_the_table_is_not_flagged() -> None:
    text = "In Canada, Spravato is approved only for treatment-resistant depression."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("trd", "treatment-resistant depression")], cues=[("approval", "approved")])
    assert run(approval_scope_misstated, claim, jurisdictions=("CA",)) == []


def test_reg003_non_exclusive_statement_is_not_flagged() -> None:
    text = "Spravato is approved for treatment-resistant depression."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("trd", "treatment-resistant depression")], cues=[("approval", "approved")])
    assert run(approval_scope_misstated, claim) == []


# ---------------------------------------------------------------- REG004


def test_reg004_prescription_for_unapproved_indication_is_error() -> None:
    text = "Ketamine is available by prescription for panic disorder."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")],
                       indications=[("panic_disorder", "panic disorder")],
                       cues=[("prescription", "available by prescription")])
    [finding] = run(prescription_framing, claim)
    assert finding.severity is Severity.ERROR and "panic disorder" in finding.message


def test_reg004_off_label_disclosure_is_not_flagged() -> None:
    text = "Ketamine can be prescribed off-label for panic disorder."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")],
                       indications=[("panic_disorder", "panic disorder")],
                       cues=[("prescription", "prescribed"), ("off_label", "off-label")])
    assert run(prescription_framing, claim) == []


def test_reg004_prescription_for_approved_use_is_not_flagged() -> None:
    text = "Spravato is prescribed for treatment-resistant depression."
    claim = claim_with(text, substances=[("esketamine", "Spravato")],
                       indications=[("trd", "treatment-resistant depression")],
                       cues=[("prescription", "prescribed for")])
    assert run(prescription_framing, claim) == []


# ---------------------------------------------------------------- REG005


def test_reg005_wrong_schedule_is_error_with_correction() -> None:
    text = "Ketamine is a Schedule II controlled substance."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")], cues=[("schedule", "Schedule II")])
    [finding] = run(regulatory_misconception, claim)
    assert "Schedule III" in finding.message


def test_reg005_correct_schedule_is_not_flagged() -> None:
    text = "Ketamine is a Schedule III controlled substance."
    claim = claim_with(text, substances=[("ketamine", "Ketamine")], cues=[("schedule", "Schedule III")])
    assert run(regulatory_misconception, claim) == []


# ---------------------------------------------------------------- approval frames


def test_frames_gated_on_the_approval_cue_match_the_direct_computation() -> None:
    from claimaudit.rules.regulatory import _frames

    texts = [
        ("Ketamine is FDA-approved for depression.", [("approval", "FDA-approved")]),
        ("Ketamine is not FDA-approved for anxiety.", [("approval", "FDA-approved")]),
        ("Is ketamine approved for PTSD?", [("approval", "approved")]),
        ("Ketamine is used off-label, not approved, for PTSD.", [("off_label", "off-label"), ("approval", "approved")]),
        ("Ketamine lifts mood within hours.", []),
        ("Ketamine requires a prescription.", [("prescription", "prescription")]),
    ]
    for text, cues in texts:
        claim = claim_with(text, substances=[("ketamine", "Ketamine" if "Ketamine" in text else "ketamine")], cues=cues)
        ctx = domain_ctx([claim])
        direct = _frames._approval_frames(claim, ctx)
        assert _frames.approval_frames(claim, ctx) == direct
        assert _frames.asserted_frames(claim, ctx) == _frames._asserted_frames(claim, ctx)
        assert _frames.has_approval_cue(claim) == any(label == "approval" for label, _ in cues)
        if not _frames.has_approval_cue(claim):
            assert direct == ()

